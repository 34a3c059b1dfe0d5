/**
 * Worker thread of a split `flows` run (flow-split.ts): runs one shard (flow-split-shard.ts) and posts its
 * batches. At most CREDITS batches are in flight: the main thread acknowledges a batch once every shard has
 * read that far, so a shard running ahead waits instead of piling rows up in the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isPcaplensError } from '../../shared/errors.js';
import { runFlowShard, type FlowShardBatch } from './flow-split-shard.js';

export interface FlowSplitWorkerData {
  path: string;
  job: number;
  jobs: number;
}

export type FlowSplitMessage =
  | { t: 'batch'; batch: FlowShardBatch; read: number; total: number }
  | { t: 'done'; result: unknown }
  | { t: 'error'; code: string | null; message: string };

/** batches posted and not yet acknowledged at most */
const CREDITS = 8;

const port = parentPort!;
const d = workerData as FlowSplitWorkerData;
let credits = CREDITS;
let wake: (() => void) | null = null;
port.on('message', (m: { t: string }) => {
  if (m.t === 'ack') {
    credits++;
    wake?.();
    wake = null;
  }
});

let read = 0;
let total = -1;

async function run(): Promise<void> {
  const result = await runFlowShard(
    d.path,
    {
      job: d.job,
      jobs: d.jobs,
      onRead: (r, t) => {
        read = r;
        total = t;
      },
    },
    async (batch) => {
      while (credits <= 0) await new Promise<void>((r) => (wake = r));
      credits--;
      port.postMessage({ t: 'batch', batch, read, total } satisfies FlowSplitMessage);
    },
  );
  port.postMessage({ t: 'done', result } satisfies FlowSplitMessage);
}

run().then(
  () => port.close(),
  (e: unknown) => {
    port.postMessage({
      t: 'error',
      code: isPcaplensError(e) ? e.code : null,
      message: e instanceof Error ? e.message : String(e),
    } satisfies FlowSplitMessage);
    port.close();
  },
);
