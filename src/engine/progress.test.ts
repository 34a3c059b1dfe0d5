import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressThrottle, type Progress } from './progress.js';

test('progress: throttled to the interval, final event always sent, ETA from the byte rate', () => {
  let now = 1000;
  const seen: Progress[] = [];
  const t = new ProgressThrottle(
    (p) => seen.push(p),
    100,
    () => now,
  );
  t.tick(0, 1000, 0, 0); // first call always emits
  now += 50;
  t.tick(100, 1000, 10, 1); // within 100 ms: dropped
  now += 450;
  t.tick(250, 1000, 20, 2); // 500 ms for 250 bytes -> 1500 ms for the other 750
  now += 10;
  t.tick(1000, 1000, 40, 3, true);
  assert.equal(seen.length, 3);
  assert.deepEqual(seen[1], {
    bytesRead: 250,
    bytesTotal: 1000,
    packets: 20,
    flows: 2,
    elapsedMs: 500,
    etaMs: 1500,
    done: false,
  });
  assert.equal(seen[0]!.etaMs, null);
  assert.equal(seen[2]!.done, true);
  assert.equal(seen[2]!.etaMs, 0);
});
