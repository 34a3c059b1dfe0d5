import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpv4 } from '../shared/addr.js';
import { parseIp, parseIpv4Text } from './ip.js';

test('parseIpv4Text answers what shared parseIpv4 answers, on edge cases and on every short string of its alphabet', () => {
  const cases = [
    '0.0.0.0',
    '255.255.255.255',
    '256.0.0.1',
    '1.2.3.256',
    '010.001.000.009',
    '1.2.3',
    '1.2.3.4.5',
    '1..3.4',
    '.1.2.3',
    '1.2.3.',
    '1234.1.1.1',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1.2.3.4\n',
    '1.2.3.a',
    '１.2.3.4', // full-width digit
    '',
    'example.com',
    '192.168.100.200',
    '999.999.999.999',
  ];
  for (const s of cases) assert.equal(parseIpv4Text(s), parseIpv4(s), JSON.stringify(s));
  // every string of 7..9 characters over "1", "9", "5", "." and "x" (digits, dots and one stranger)
  const alphabet = ['1', '9', '5', '.', 'x'];
  let n = 0;
  const walk = (s: string): void => {
    if (s.length >= 7) {
      assert.equal(parseIpv4Text(s), parseIpv4(s), s);
      n++;
    }
    if (s.length < 9) for (const c of alphabet) walk(s + c);
  };
  walk('');
  assert.ok(n > 2_000_000 / 10);
  assert.deepEqual(parseIp('10.0.0.1'), { v: 4, n: 0x0a000001 });
  assert.deepEqual(parseIp('::ffff:10.0.0.1'), { v: 4, n: 0x0a000001 });
  assert.equal(parseIp('10.0.0.256'), null);
});
