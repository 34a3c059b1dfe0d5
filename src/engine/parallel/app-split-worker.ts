/**
 * Worker thread of a split application-layer run (app-split.ts): runs one shard (distributed/range-analyze.ts)
 * over the capture without packet index or flow rows, keeping only the application tables asked for, and posts
 * its rows to the main thread chunk by chunk. On the wire the flow starts and the rows' ordering keys are typed
 * arrays (copied as a few blocks instead of structured-cloning an object per flow); at most CREDITS chunks are
 * in flight (the main thread acknowledges a chunk once the merge has handed its rows out).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { HostRow } from '../../shared/rows.js';
import { analyzeRange } from '../distributed/range-analyze.js';
import type { AppTable } from '../app-tables.js';
import { AckCredits, settleWorker } from './worker-thread.js';

export interface AppSplitWorkerData {
  path: string;
  job: number;
  jobs: number;
  tables: AppTable[];
  /** host rows (with where each was first seen), or only the hosts' addresses (a count), or none */
  hosts: 'rows' | 'keys' | false;
}

/** One table's rows of a chunk: keys flattened, `keyLen[i]` numbers each, in row order. */
export interface WireAppRows {
  table: AppTable;
  rows: unknown[];
  keys: Float64Array;
  keyLen: Uint8Array;
}

export interface WireAppChunk {
  n: number;
  /** flows started: (local id, frame, IP layer) triples */
  starts: Float64Array;
  app: WireAppRows[];
}

export type AppSplitMessage =
  | { t: 'chunk'; chunk: WireAppChunk; read: number; total: number }
  | { t: 'hosts'; rows: HostRow[]; macFirst: number[][]; firstKeys: number[][] }
  /** the hosts' addresses, one a line (host keys hold no line break) */
  | { t: 'hostKeys'; text: string }
  | { t: 'done'; result: unknown }
  | { t: 'error'; code: string | null; message: string };

/** chunks posted and not yet acknowledged at most */
const CREDITS = 8;

const port = parentPort!;
const d = workerData as AppSplitWorkerData;
const credits = new AckCredits(port, CREDITS);

let starts: number[] = [];
let app: WireAppRows[] = [];
let read = 0;
let total = -1;

function flatKeys(keys: number[][]): { keys: Float64Array; keyLen: Uint8Array } {
  let size = 0;
  for (const k of keys) size += k.length;
  const flat = new Float64Array(size);
  const keyLen = new Uint8Array(keys.length);
  let at = 0;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    keyLen[i] = k.length;
    flat.set(k, at);
    at += k.length;
  }
  return { keys: flat, keyLen };
}

async function run(): Promise<void> {
  const result = await analyzeRange(
    [d.path],
    {
      started: async (ids, first) => {
        for (let i = 0; i < ids.length; i++) starts.push(ids[i]!, first[i]!.n, first[i]!.layer);
      },
      packets: async () => undefined,
      flows: async () => undefined,
      app: async (table, rows, keys) => {
        app.push({ table, rows, ...flatKeys(keys) });
      },
      hosts: async (rows, macFirst, firstKeys) => {
        if (d.hosts === 'rows')
          port.postMessage({ t: 'hosts', rows, macFirst, firstKeys } satisfies AppSplitMessage);
        else if (d.hosts === 'keys')
          port.postMessage({
            t: 'hostKeys',
            text: rows.map((h) => h.ip).join('\n'),
          } satisfies AppSplitMessage);
      },
      chunk: async (n) => {
        const s = Float64Array.from(starts);
        const msg: AppSplitMessage = { t: 'chunk', chunk: { n, starts: s, app }, read, total };
        starts = [];
        app = [];
        await credits.take();
        // copied, not transferred: a detached buffer would make V8 rebuild this thread's decoders with a
        // detached check on every typed-array access (flow-json-pipe.ts)
        port.postMessage(msg);
      },
    },
    {
      job: d.job,
      jobs: d.jobs,
      index: false,
      flowRows: false,
      hosts: d.hosts !== false,
      hostOrder: d.hosts === 'rows',
      tables: d.tables,
      onProgress: (r, t) => {
        read = r;
        total = t;
      },
    },
  );
  port.postMessage({ t: 'done', result } satisfies AppSplitMessage);
}

settleWorker(port, run());
