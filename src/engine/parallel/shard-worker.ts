/**
 * Worker thread of the parallel ingest: runs one shard (distributed/range-analyze.ts) over the capture files
 * and posts its rows to the main thread chunk by chunk. At most CREDITS chunks are in flight: the main thread
 * acknowledges a chunk once the merge has handed its rows out, so a shard running ahead of the other waits
 * instead of piling rows up in memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeRange } from '../distributed/range-analyze.js';
import type { ShardChunk } from './shard-merge.js';
import { AckCredits, settleWorker } from './worker-thread.js';

export interface ShardWorkerData {
  paths: string[];
  job: number;
  jobs: number;
}

export type ShardMessage =
  | { t: 'chunk'; chunk: ShardChunk; read: number; total: number }
  | { t: 'hosts'; rows: unknown[]; macFirst: number[][]; firstKeys: number[][] }
  | { t: 'done'; result: unknown }
  | { t: 'error'; code: string | null; message: string };

/** chunks posted and not yet acknowledged at most */
export const CREDITS = 4;

const port = parentPort!;
const d = workerData as ShardWorkerData;
const credits = new AckCredits(port, CREDITS);

let cur: ShardChunk = fresh(0);
function fresh(n: number): ShardChunk {
  return { n, started: { ids: [], n: [], layer: [] }, packets: [], flows: { rows: [], keys: [] }, app: [] };
}
let read = 0;
let total = 0;

async function run(): Promise<void> {
  const result = await analyzeRange(
    d.paths,
    {
      started: async (ids, first) => {
        for (let i = 0; i < ids.length; i++) {
          cur.started.ids.push(ids[i]!);
          cur.started.n.push(first[i]!.n);
          cur.started.layer.push(first[i]!.layer);
        }
      },
      packets: async (rows) => {
        for (const r of rows) cur.packets.push(r);
      },
      flows: async (rows, _first, keys) => {
        for (let i = 0; i < rows.length; i++) {
          cur.flows.rows.push(rows[i]!);
          cur.flows.keys.push(keys[i]!);
        }
      },
      app: async (table, rows, keys) => {
        cur.app.push({ table, rows, keys });
      },
      hosts: async (rows, macFirst, firstKeys) => {
        port.postMessage({ t: 'hosts', rows, macFirst, firstKeys } satisfies ShardMessage);
      },
      chunk: async (n) => {
        cur.n = n;
        const msg: ShardMessage = { t: 'chunk', chunk: cur, read, total };
        cur = fresh(n);
        await credits.take();
        port.postMessage(msg);
      },
    },
    {
      job: d.job,
      jobs: d.jobs,
      onProgress: (r, t) => {
        read = r;
        total = t;
      },
    },
  );
  port.postMessage({ t: 'done', result } satisfies ShardMessage);
}

settleWorker(port, run());
