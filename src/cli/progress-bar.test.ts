import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressBar, progressLine } from './progress-bar.js';
import type { Progress } from '../engine/progress.js';

const p = (over: Partial<Progress>): Progress => ({
  bytesRead: 524288,
  bytesTotal: 1048576,
  packets: 1200,
  flows: 34,
  elapsedMs: 2000,
  etaMs: 2000,
  done: false,
  ...over,
});

test('progress line: percent, sizes, counts, ETA, fitted to the width', () => {
  const line = progressLine(p({}), 100);
  assert.match(line, /^\[#{15}-{15}\]  50% 0\.5\/1\.0 MB 1200 pkts 34 flows 2s eta 2s$/);
  assert.ok(progressLine(p({}), 20).length <= 19);
});

test('progress bar: silent when not a TTY and during the first second; cleared at the end', () => {
  const writes: string[] = [];
  new ProgressBar({ write: (s) => writes.push(s), isTTY: false }).update(p({}));
  assert.equal(writes.length, 0);
  const tty = { write: (s: string) => writes.push(s), isTTY: true, columns: 80 };
  const bar = new ProgressBar(tty);
  bar.update(p({ elapsedMs: 500 }));
  assert.equal(writes.length, 0);
  bar.update(p({}));
  assert.equal(writes.length, 1);
  assert.ok(writes[0]!.startsWith('\r['));
  bar.update(p({ done: true }));
  assert.deepEqual(writes.slice(1), ['\r\x1b[K']);
  // a terminal that reports no width (columns 0) still gets a readable line
  const unsized: string[] = [];
  new ProgressBar({ write: (s: string) => unsized.push(s), isTTY: true, columns: 0 }).update(p({}));
  assert.match(unsized[0]!, /^\r\[#+-+\] +50% /);
});
