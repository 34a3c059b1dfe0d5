import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HashSlots } from './hash-slots.js';

/** Random sets, gets and deletes against a Map, with hashes that crowd a few slots and wrap around the end. */
for (const [name, spread] of [
  ['crowded hashes (long probe runs, wrap-around)', 64],
  ['wide hashes, negative ones included', 2 ** 32],
] as const) {
  test(`hash slots: the same answers as a Map, ${name}`, () => {
    const h = new HashSlots<{ v: number }>(16);
    const m = new Map<number, { v: number }>();
    let seed = 99;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const key = () => (spread === 64 ? (rnd() % spread) * 1024 + 1023 * (rnd() % 2) : rnd() | 0);
    for (let step = 0; step < 200_000; step++) {
      const k = key();
      const op = rnd() % 10;
      if (op < 4) {
        const o = { v: step };
        h.set(k, o);
        m.set(k, o);
      } else if (op < 7) {
        h.delete(k);
        m.delete(k);
      } else assert.equal(h.get(k), m.get(k) ?? null, `step ${step} key ${k}`);
      assert.equal(h.size, m.size);
    }
    for (const [k, o] of m) assert.equal(h.get(k), o);
    assert.ok(m.size > 10);
  });
}
