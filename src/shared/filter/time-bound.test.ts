import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoToNs, nsToIso, parseDurationNs, parseTimeBound } from './time-bound.js';

test('ISO times keep nanoseconds and honour zones', () => {
  assert.equal(isoToNs('1970-01-01T00:00:01Z'), 1_000_000_000n);
  assert.equal(isoToNs('2024-05-01T12:00:00.123456789Z'), 1714564800123456789n);
  assert.equal(isoToNs('2024-05-01T14:00:00.5+02:00'), 1714564800500000000n);
  assert.equal(isoToNs('2024-05-01'), 1714521600000000000n);
  assert.equal(isoToNs('2024-05-01T12:00:00.123456Z'), 1714564800123456000n);
  assert.equal(isoToNs('2024-05-01T12:00:01.000001Z'), 1714564801000001000n);
  assert.equal(isoToNs('2016-12-31T23:59:60.000000Z'), isoToNs('2017-01-01T00:00:00Z')); // leap second rolls over
  assert.equal(isoToNs('2024-13-01T00:00:00.000000Z'), null);
  assert.equal(isoToNs('2024-13-01'), null);
  assert.equal(isoToNs('yesterday'), null);
  assert.equal(nsToIso(1714564800123456789n), '2024-05-01T12:00:00.123456789Z');
  assert.equal(nsToIso(1714564800123456000n), '2024-05-01T12:00:00.123456Z');
  assert.equal(nsToIso(-1n), '1969-12-31T23:59:59.999999999Z');
});

test('durations and --from/--to bounds', () => {
  assert.equal(parseDurationNs('1h30m'), 5_400_000_000_000n);
  assert.equal(parseDurationNs('1.5s'), 1_500_000_000n);
  assert.equal(parseDurationNs('250ms'), 250_000_000n);
  assert.equal(parseDurationNs('5x'), null);
  assert.equal(parseDurationNs(''), null);
  const start = '2024-05-01T12:00:00.000001Z';
  assert.equal(parseTimeBound('+30s', start), '2024-05-01T12:00:30.000001Z');
  assert.equal(parseTimeBound('+5m', start), '2024-05-01T12:05:00.000001Z');
  assert.equal(parseTimeBound('+1h30m', start), '2024-05-01T13:30:00.000001Z');
  assert.equal(parseTimeBound('2024-05-01T12:00:00+01:00', start), '2024-05-01T11:00:00.000000Z');
  assert.throws(() => parseTimeBound('+5', start), { code: 'E_USAGE' });
  assert.throws(() => parseTimeBound('+5m', null), { code: 'E_USAGE' });
  assert.throws(() => parseTimeBound('soon', start), { code: 'E_USAGE' });
});
