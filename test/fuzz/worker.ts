/**
 * Runs fuzz inputs inside a worker thread, so the driver can kill a hang (terminate) and bound memory
 * (resourceLimits). Reports per input: ok with stats, or the exception that escaped.
 */
import { parentPort } from 'node:worker_threads';
import { runInput, type Config, type RunStats } from './run-input.js';

export interface WorkIn {
  id: number;
  bytes: Uint8Array;
  config: Config;
  /** self-test of the driver: misbehave on purpose instead of running the input */
  probe?: 'throw' | 'hang' | 'alloc';
}

export type WorkOut =
  | { id: number; ok: true; stats: RunStats; ms: number; growthMb: number }
  | { id: number; ok: false; name: string; message: string; stack: string; ms: number; growthMb: number };

const used = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const hoard: unknown[] = [];

async function probe(kind: 'throw' | 'hang' | 'alloc'): Promise<RunStats> {
  if (kind === 'throw') throw new RangeError('probe: offset 12 is outside the bounds');
  if (kind === 'hang') for (;;);
  for (;;) hoard.push(new Array(1 << 20).fill(hoard.length));
}

parentPort!.on('message', (m: WorkIn) => {
  const before = used();
  const t0 = performance.now();
  const done = (
    r: { ok: true; stats: RunStats } | { ok: false; name: string; message: string; stack: string },
  ): void => {
    const out = { id: m.id, ms: performance.now() - t0, growthMb: (used() - before) / 1048576, ...r };
    parentPort!.postMessage(out satisfies WorkOut);
  };
  const work = m.probe ? probe(m.probe) : runInput(m.bytes, m.config);
  work.then(
    (stats) => done({ ok: true, stats }),
    (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      done({ ok: false, name: err.name, message: err.message, stack: err.stack ?? '' });
    },
  );
});

// modules are loaded: the driver starts its per-input clock from here
parentPort!.postMessage({ ready: true });
