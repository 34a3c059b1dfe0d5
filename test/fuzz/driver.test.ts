/** The fuzz driver notices each kind of failure: an exception, a hang, a memory blow-up. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeDriver } from './fuzzer.js';
import { makeInput, loadSeeds, DEFAULT_SEED_DIRS } from './fuzzer.js';

test('an exception escaping is a crash, named by its first frame', async () => {
  const c = await probeDriver('throw');
  assert.equal(c?.kind, 'crash');
  // numbers are blanked so the same bug at other offsets is one finding
  assert.match(c!.signature, /^RangeError: probe: offset # is outside the bounds @ /);
});

test('an input that does not finish in time is a hang', async () => {
  const c = await probeDriver('hang', 500);
  assert.deepEqual(c, { kind: 'hang', signature: 'hang' });
});

test('an input that eats memory past the bound is a memory finding', async () => {
  const c = await probeDriver('alloc', 10000, 32);
  assert.equal(c?.kind, 'memory');
});

test('inputs are deterministic given the seed and input number', () => {
  const seeds = loadSeeds(DEFAULT_SEED_DIRS, 64 * 1024);
  assert.ok(seeds.length > 10);
  for (const n of [0, 1, 57, 1000]) {
    const a = makeInput(seeds, 42, n);
    const b = makeInput(seeds, 42, n);
    assert.deepEqual(a.steps, b.steps);
    assert.deepEqual(a.bytes, b.bytes);
    assert.equal(a.config, b.config);
  }
  assert.notDeepEqual(makeInput(seeds, 42, 3).bytes, makeInput(seeds, 43, 3).bytes);
});
