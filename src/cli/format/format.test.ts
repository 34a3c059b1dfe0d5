import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvLine } from './csv.js';
import { cellText, flatten } from './cell.js';
import { jsonArrayChunks, jsonObject } from './json.js';
import { renderKeyValue, renderTable } from './table.js';
import { displayWidth, terminalSafe, truncateToWidth } from './terminal-safe.js';

test('csv: RFC 4180 quoting', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(null), '');
  assert.equal(csvLine(['a', 1, null]), 'a,1,\r\n');
});

test('csv: formula injection is neutralised, plain numbers stay numeric', () => {
  assert.equal(csvField('=HYPERLINK("http://x")'), '"\'=HYPERLINK(""http://x"")"');
  assert.equal(csvField('+cmd'), "'+cmd");
  assert.equal(csvField('-2+3'), "'-2+3");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tx'), "'\tx");
  assert.equal(csvField('\rx'), '"\'\rx"');
  assert.equal(csvField(-5), '-5');
  assert.equal(csvField('-5'), '-5');
  assert.equal(csvField('-0.25'), '-0.25');
  assert.equal(csvField(['=a', 'b']), "'=a;b");
});

test('cell text of lists and host names', () => {
  assert.equal(cellText([80, 443]), '80;443');
  assert.equal(cellText([{ name: 'example.org', source: 'dns' }]), 'example.org (dns)');
  assert.equal(cellText(undefined), '');
  assert.equal(cellText(0.6270899999999999), '0.62709');
  assert.equal(cellText(1e-9), '1e-9');
  assert.equal(cellText(-3), '-3');
  assert.deepEqual(flatten({ a: 1, b: { c: [1, 2] }, d: [{ e: 'x' }] }), [
    ['a', 1],
    ['b.c', [1, 2]],
    ['d[0].e', 'x'],
  ]);
});

test('terminal: escape sequences and controls are shown escaped', () => {
  assert.equal(terminalSafe('host\x1b]0;owned\x07'), 'host\\e]0;owned\\x07');
  assert.equal(terminalSafe('a\u009b2Jb'), 'a\\x9b2Jb');
  assert.equal(terminalSafe('abc\u202edcb'), 'abc\\u202edcb');
  assert.equal(terminalSafe('tab\tnl\ncr\r'), 'tab\\tnl\\ncr\\r');
  assert.equal(terminalSafe('\ud800x'), '\\ud800x');
  assert.equal(terminalSafe('café 日本 😀'), 'café 日本 😀');
  assert.equal(displayWidth('日本'), 4);
  assert.equal(truncateToWidth('abcdefgh', 5), 'abcd…');
});

test('table: aligned, numbers right-aligned, no raw escape reaches the output', () => {
  const out = renderTable(
    ['name', 'n'],
    [
      { name: 'a\x1b[31mred', n: 5 },
      { name: 'bb', n: 100 },
    ],
  );
  assert.ok(!out.includes('\x1b'));
  assert.equal(out, 'name          n\n----------  ---\na\\e[31mred    5\nbb          100\n');
  const kv = renderKeyValue([
    ['packets', 3],
    ['x', 'y\x07'],
  ]);
  assert.equal(kv, 'packets  3\nx        y\\x07\n');
});

test('json: one array, risky code points escaped', () => {
  const text = [...jsonArrayChunks([{ a: 'x\u009b' }, { a: 1 }])].join('');
  assert.deepEqual(JSON.parse(text), [{ a: 'x\u009b' }, { a: 1 }]);
  assert.ok(!text.includes('\u009b'));
  assert.equal([...jsonArrayChunks([])].join(''), '[]\n');
  assert.deepEqual(JSON.parse(jsonObject({ s: '\u202e' })), { s: '\u202e' });
});

test('row stream: JSON array and CSV written row by row, empty cases valid', async () => {
  const { RowStream } = await import('./row-stream.js');
  const { MemoryStream } = await import('../io.js');
  const out = new MemoryStream();
  const s = new RowStream(out, 'json', ['a']);
  for (let i = 0; i < 3000; i++) s.add({ a: i, b: '=x' });
  await s.end();
  const rows = JSON.parse(out.text) as { a: number }[];
  assert.equal(rows.length, 3000);
  assert.equal(rows[2999]!.a, 2999);
  const csv = new MemoryStream();
  const c = new RowStream(csv, 'csv', ['a']);
  c.add({ a: -1, b: '=x' });
  await c.end();
  assert.equal(csv.text, "a,b\r\n-1,'=x\r\n");
  const empty = new MemoryStream();
  await new RowStream(empty, 'json', ['a']).end();
  assert.equal(empty.text, '[]\n');
  const emptyCsv = new MemoryStream();
  await new RowStream(emptyCsv, 'csv', ['a', 'b']).end();
  assert.equal(emptyCsv.text, 'a,b\r\n');
});

test('fast row JSON parses to exactly what JSON.stringify gives, for awkward values too', async () => {
  const { JsonRowWriter } = await import('./json-row.js');
  const w = new JsonRowWriter();
  const rows: Record<string, unknown>[] = [
    {
      id: 1,
      s: 'plain 10.0.0.1',
      n: null,
      b: true,
      f: 0.5,
      neg: -3,
      arr: [1, 'x'],
      o: { name: 'a', source: 'dns' },
    },
    {
      id: 2,
      s: 'quote " back\\ nl\n esc\x1b c1\u009b bidi\u202e emoji 😀',
      n: NaN,
      b: false,
      f: 1e21,
      neg: -0,
      arr: [],
      o: {},
    },
    { other: 'keys', u: undefined },
    {},
  ];
  for (const r of rows) {
    const text = w.text(r);
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(r)), text);
    assert.ok(!/[\x00-\x1f\x7f-\x9f\u202e]/.test(text), 'raw control or bidi character in JSON');
  }
});
