import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoSeconds } from './alert.js';

/** The general parse isoSeconds had before its fast path: the fast path must give the same number. */
function reference(iso: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!m) {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? 0 : t / 1000;
  }
  return Date.parse(`${m[1]}Z`) / 1000 + (m[2] ? Number(`0.${m[2]}`) : 0);
}

test('isoSeconds: the cached fast path gives what the general parse gives, bit for bit', () => {
  const cases = [
    '2024-01-02T03:04:05Z',
    '2024-01-02T03:04:05.1Z',
    '2024-01-02T03:04:05.123456Z',
    '2024-01-02T03:04:05.123456789Z',
    '2024-01-02T03:04:05.1234567890Z', // ten digits: not our form
    '2024-01-02T03:04:06.000001Z', // next second after a cached one
    '2024-13-02T03:04:05.123456Z', // impossible month
    '2024-01-02T03:04:05.12a456Z',
    '2024-01-02 03:04:05.123456Z',
    '1970-01-01T00:00:00.000000001Z',
    'not a time',
    '',
  ];
  // a deterministic spread of seconds and fraction lengths
  let x = 12345;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const digits = 1 + (x % 9);
    const frac = String(x % 10 ** digits).padStart(digits, '0');
    const sec = (x * 3) % 4_000_000_000;
    cases.push(`${new Date(sec * 1000).toISOString().slice(0, 19)}.${frac}Z`);
    if (i % 7 === 0) cases.push(cases[cases.length - 1]!); // same second again: from the cache
  }
  for (const c of cases) assert.ok(Object.is(isoSeconds(c), reference(c)), c);
});
