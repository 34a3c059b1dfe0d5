/**
 * Worker thread of a split `flows` run (flow-split.ts): runs one shard (flow-split-shard.ts) and posts its
 * batches. At most CREDITS batches are in flight: the main thread acknowledges a batch once every shard has
 * read that far, so a shard running ahead waits instead of piling rows up in the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isPcaplensError } from '../../shared/errors.js';
import type { FlowRow } from '../../shared/rows.js';
import { runFlowShard, type FlowText } from './flow-split-shard.js';

export interface FlowSplitWorkerData {
  path: string;
  job: number;
  jobs: number;
  /** module URL exporting flowJsonTail(row): rows are sent as that text (AnalyzeOptions.flowText) */
  encoder?: string;
}

/**
 * A batch on the wire: creations as a typed array; texts (with an encoder) as one string, one row a line (JSON
 * text has no raw line breaks) with their ids apart: copying a few large values costs far less than
 * structured-cloning thousands of small objects (~0.7 s per worker thread for the 1 GiB bench capture).
 */
export interface WireBatch {
  n: number;
  starts: Float64Array;
  rows: FlowRow[] | null;
  ids: Int32Array | null;
  text: string | null;
}

export type FlowSplitMessage =
  | { t: 'batch'; batch: WireBatch; read: number; total: number }
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
  let encode: ((row: FlowRow) => FlowText) | undefined;
  if (d.encoder !== undefined) {
    const m = (await import(d.encoder)) as { flowJsonTail: (row: FlowRow) => string };
    encode = (row) => ({ id: row.id, t: m.flowJsonTail(row) });
  }
  const result = await runFlowShard<FlowRow | FlowText>(
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
      const starts = Float64Array.from(batch.starts);
      let wire: WireBatch;
      if (encode) {
        const rows = batch.rows as FlowText[];
        const ids = new Int32Array(rows.length);
        let text = '';
        for (let i = 0; i < rows.length; i++) {
          ids[i] = rows[i]!.id;
          text += (i === 0 ? '' : '\n') + rows[i]!.t;
        }
        wire = { n: batch.n, starts, rows: null, ids, text };
      } else wire = { n: batch.n, starts, rows: batch.rows as FlowRow[], ids: null, text: null };
      const transfer: ArrayBuffer[] = [starts.buffer as ArrayBuffer];
      if (wire.ids) transfer.push(wire.ids.buffer as ArrayBuffer);
      port.postMessage({ t: 'batch', batch: wire, read, total } satisfies FlowSplitMessage, transfer);
    },
    encode,
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
