import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PairSet } from './pair-set.js';

test('pair set: unordered pairs, growth past the initial table, and the cap', () => {
  const s = new PairSet(1 << 20, 16);
  const seen = new Set<string>();
  let seed = 3;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 500;
  for (let i = 0; i < 20000; i++) {
    const x = rnd();
    const y = rnd();
    const key = x < y ? `${x},${y}` : `${y},${x}`;
    assert.equal(s.add(x, y), !seen.has(key), key);
    seen.add(key);
  }
  assert.equal(s.size, seen.size);
  assert.equal(s.add(7, 9), !seen.has('7,9'));
  assert.equal(s.add(9, 7), false, 'the same pair the other way round');
  const capped = new PairSet(3, 16);
  assert.deepEqual(
    [capped.add(1, 2), capped.add(2, 3), capped.add(3, 4), capped.add(4, 5), capped.add(1, 2)],
    [true, true, true, false, false],
  );
});
