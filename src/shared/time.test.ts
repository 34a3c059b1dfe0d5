import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateText, inSecond, isoTime } from './time.js';

/** The definition isoTime's fast path must agree with: Date's text plus the fraction. */
function reference(sec: number, nsec: number): string {
  const base = new Date(sec * 1000).toISOString().slice(0, 19);
  const frac = nsec % 1000 === 0 ? String(nsec / 1000).padStart(6, '0') : String(nsec).padStart(9, '0');
  return `${base}.${frac}Z`;
}

test('isoTime: microseconds, nanoseconds, day and year boundaries', () => {
  assert.equal(isoTime(0, 0), '1970-01-01T00:00:00.000000Z');
  assert.equal(isoTime(1700000000, 123456000), '2023-11-14T22:13:20.123456Z');
  assert.equal(isoTime(1700000000, 123456789), '2023-11-14T22:13:20.123456789Z');
  assert.equal(isoTime(1700000000, 5), '2023-11-14T22:13:20.000000005Z');
  assert.equal(isoTime(951782399, 999999000), '2000-02-28T23:59:59.999999Z');
  assert.equal(isoTime(951782400, 0), '2000-02-29T00:00:00.000000Z');
  assert.equal(isoTime(253402300799, 0), '9999-12-31T23:59:59.000000Z');
});

test('isoTime agrees with Date over many seconds, in and out of order', () => {
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < 5000; i++) {
    const sec = i % 3 === 0 ? 1700000000 + (rnd() % 200000) : rnd() % 4102444800;
    const nsec = i % 2 ? (rnd() % 1000000) * 1000 : rnd() % 1000000000;
    assert.equal(isoTime(sec, nsec), reference(sec, nsec), `${sec} ${nsec}`);
  }
});

test('isoTime outside 1970..9999 or with odd parts still answers (Date text)', () => {
  assert.equal(isoTime(-1, 0), '1969-12-31T23:59:59.000000Z');
  assert.equal(isoTime(NaN, 0), '1970-01-01T00:00:00.000000Z');
  assert.equal(isoTime(1.5, 0), reference(1.5, 0));
});

test('dateText agrees with Date on every day from 1970 to 9999', () => {
  for (let day = 0; day <= 2932896; day++) {
    const want = new Date(day * 86400000).toISOString().slice(0, 11);
    const got = dateText(day);
    if (got !== want) assert.equal(got, want, `day ${day}`);
  }
});

test('inSecond: an ISO time within a cached second, compared character by character', () => {
  const second = '2026-11-23T07:39:24';
  assert.equal(inSecond('2026-11-23T07:39:24.376000Z', second), true);
  assert.equal(inSecond(isoTime(1795419564, 5), '2026-11-23T07:39:24'), true);
  assert.equal(inSecond('2026-11-23T07:39:25.376000Z', second), false);
  assert.equal(inSecond('2026-11-23T07:39:2', second), false);
  // a second that is not one (wrong length) never matches
  assert.equal(inSecond('2026-11-23T07:39:24.376000Z', ''), false);
  assert.equal(inSecond('2026-11-23T07:39:24.376000Z', '2026-11-23T07:39:2'), false);
});
