import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilter } from './parser.js';
import { FilterError } from './filter-error.js';
import type { FilterNode } from './ast.js';

/** Compact text form of a tree: shows grouping, so precedence is visible. */
function show(n: FilterNode): string {
  switch (n.kind) {
    case 'and':
    case 'or':
      return `(${show(n.left)} ${n.kind} ${show(n.right)})`;
    case 'not':
      return `!${show(n.expr)}`;
    case 'exists':
      return n.field;
    case 'compare': {
      const v = n.value;
      const lit =
        v.kind === 'string'
          ? JSON.stringify(v.value)
          : v.kind === 'number'
            ? `#${v.value}`
            : v.kind === 'ipv4' || v.kind === 'ipv6'
              ? `${v.kind}:${v.raw}${v.prefix === null ? '' : '/' + v.prefix}`
              : `${v.kind}:${v.raw}`;
      return `${n.field} ${n.op} ${lit}`;
    }
  }
}

function err(src: string): FilterError {
  try {
    parseFilter(src);
  } catch (e) {
    assert.ok(e instanceof FilterError, `not a FilterError: ${String(e)}`);
    assert.equal(e.code, 'E_FILTER');
    return e;
  }
  assert.fail(`parsed: ${src}`);
}

test('the architecture example parses with and binding tighter than or', () => {
  assert.equal(
    show(parseFilter('ip.addr == 10.0.0.1 and (tcp.port == 80 or dns) and not app == "tls"')),
    '((ip.addr == ipv4:10.0.0.1 and (tcp.port == #80 or dns)) and !app == "tls")',
  );
  assert.equal(show(parseFilter('a or b and c')), '(a or (b and c))');
  assert.equal(show(parseFilter('a and b or c')), '((a and b) or c)');
  assert.equal(show(parseFilter('not a and b')), '(!a and b)');
  assert.equal(show(parseFilter('!a || b && !(c)')), '(!a or (b and !c))');
  assert.equal(show(parseFilter('a or b or c')), '((a or b) or c)');
  assert.equal(show(parseFilter('not not a')), '!!a');
  assert.equal(show(parseFilter('A AND B OR NOT C')), '((A and B) or !C)');
});

test('operators, their word forms and literal kinds', () => {
  assert.equal(show(parseFilter('port>=1024')), 'port >= #1024');
  assert.equal(show(parseFilter('port ge 1024')), 'port >= #1024');
  assert.equal(
    show(parseFilter('x eq 1 and x ne 2 and x lt 3 and x le 4 and x gt 5')).includes('x != #2'),
    true,
  );
  assert.equal(show(parseFilter('ip.addr==10.0.0.0/8')), 'ip.addr == ipv4:10.0.0.0/8');
  assert.equal(show(parseFilter('ip.addr == 2001:db8::/32')), 'ip.addr == ipv6:2001:db8::/32');
  assert.equal(show(parseFilter('ip.addr == ::1')), 'ip.addr == ipv6:::1');
  assert.equal(show(parseFilter('ip.addr == ::ffff:10.1.2.3')), 'ip.addr == ipv6:::ffff:10.1.2.3');
  assert.equal(show(parseFilter('eth.addr == 00:1B:21:aa:bb:cc')), 'eth.addr == mac:00:1B:21:aa:bb:cc');
  assert.equal(show(parseFilter('eth.addr == 00-1b-21-aa-bb-cc')), 'eth.addr == mac:00-1b-21-aa-bb-cc');
  assert.equal(show(parseFilter('app == tls')), 'app == word:tls');
  assert.equal(show(parseFilter('flow.duration < 0.5')), 'flow.duration < #0.5');
  assert.equal(show(parseFilter('x > -3')), 'x > #-3');
  assert.equal(show(parseFilter('x == 0x1F')), 'x == #31');
  assert.equal(show(parseFilter('http.host contains "evil"')), 'http.host contains "evil"');
  assert.equal(show(parseFilter('http.host matches "^a.+b$"')), 'http.host matches "^a.+b$"');
  assert.equal(show(parseFilter('http.host ~ "x"')), 'http.host matches "x"');
});

test('string escapes are decoded', () => {
  const n = parseFilter(String.raw`x == "a\"b\\c\n\t\x41\u00e9" or y == 'single \' quote'`);
  assert.equal(n.kind, 'or');
  if (n.kind !== 'or' || n.left.kind !== 'compare' || n.right.kind !== 'compare') return;
  assert.deepEqual(n.left.value, { kind: 'string', value: 'a"b\\c\n\tAé', pos: 5 });
  assert.equal(n.right.value.kind === 'string' && n.right.value.value, "single ' quote");
});

test('errors carry the position and what was expected', () => {
  let e = err('ip.addr ==');
  assert.equal(e.pos, 10);
  assert.deepEqual(e.expected, ['a value']);
  e = err('ip.addr = 1.2.3.4');
  assert.equal(e.pos, 8);
  assert.deepEqual(e.expected, ["'=='"]);
  e = err('(a or b');
  assert.equal(e.pos, 7);
  assert.deepEqual(e.expected, ["')'", "'and'", "'or'"]);
  e = err('a or b)');
  assert.equal(e.pos, 6);
  e = err('a b');
  assert.equal(e.pos, 2);
  assert.match(e.message, /after field a/);
  e = err('');
  assert.equal(e.pos, 0);
  assert.match(e.message, /empty filter/);
  e = err('a and');
  assert.equal(e.pos, 5);
  assert.deepEqual(e.expected, ['a field name', "'('", "'not'"]);
  e = err('x == "abc');
  assert.equal(e.pos, 5);
  assert.match(e.message, /unterminated string/);
  e = err(String.raw`x == "a\qb"`);
  assert.equal(e.pos, 7);
  assert.match(e.message, /unknown escape/);
  e = err('a & b');
  assert.equal(e.pos, 2);
  assert.deepEqual(e.expected, ["'&&'"]);
  e = err('a == 1 $');
  assert.equal(e.pos, 7);
  e = err('80 == port');
  assert.equal(e.pos, 0);
  e = err('x == and');
  assert.equal(e.pos, 5);
  e = err('x == (1)');
  assert.equal(e.pos, 5);
  assert.match(err('a == ').message, /^filter, column 6: /);
});

test('limits: long expressions and deep nesting are refused, not recursed into', () => {
  assert.match(err('a or '.repeat(1000) + 'a').message, /longer than 4096/);
  assert.match(err('('.repeat(100) + 'a' + ')'.repeat(100)).message, /nesting deeper than 64/);
  assert.match(err('not '.repeat(100) + 'a').message, /nesting deeper than 64/);
  // within limits is fine
  assert.equal(show(parseFilter('('.repeat(60) + 'a' + ')'.repeat(60))), 'a');
});
