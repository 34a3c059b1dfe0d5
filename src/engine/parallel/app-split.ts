/**
 * The direct application-layer commands (`summary`, `dns`, `http`, ...) on more than one core: a run of one
 * large plain capture is split by conversation over worker threads, as the threaded import is
 * (parallel-analyze.ts). Each worker (app-split-worker.ts -> distributed/range-analyze.ts) reads and decodes
 * every record but accounts only the conversations whose symmetric endpoint hash is its own, and sends only
 * what the command prints: the rows of the tables asked for (with the keys that order them), the flow starts
 * (to number flows as one reader does), the host rows if asked for, and its summary. The main thread merges
 * them (shard-merge.ts, host-merge.ts) into exactly the rows, ids and order of the single-thread run.
 *
 * The price: every thread reads and decodes every record besides its share of the flow and application work,
 * and each worker's heap has its own garbage collection: two threads cost ~1.4-1.5x the CPU of one, for a
 * critical path of ~0.7x (see defaultAppThreads for the measurement and why the split is opt-in).
 */
import { availableParallelism } from 'node:os';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { PcaplensError, type ErrorCode } from '../../shared/errors.js';
import type { HostRow } from '../../shared/rows.js';
import type { AnalyzeFilesResult } from '../analyze-files.js';
import { emptyAppRows, type AppRowSink, type AppTable } from '../app-tables.js';
import type { RangeResult } from '../distributed/range-analyze.js';
import { ProgressThrottle, type Progress } from '../progress.js';
import type { AppSplitMessage, AppSplitWorkerData, WireAppChunk } from './app-split-worker.js';
import { mergeShardHosts, type ShardHosts } from './host-merge.js';
import { mergeSummary } from './parallel-analyze.js';
import { ShardMerge, type ShardChunk } from './shard-merge.js';
import { RunOutcome, workerEntry } from './worker-thread.js';
import { APP_SPLIT_MAX_THREADS, APP_SPLIT_MIN_SIZE } from './app-split-limits.js';

export { APP_SPLIT_MAX_THREADS, APP_SPLIT_MIN_SIZE } from './app-split-limits.js';

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);

/**
 * Threads when the command line does not say: 1, the split is opt-in. Measured on the 1 GiB bench capture on
 * two cores shared with other work (load 10-12): `summary` costs 13-15 s of CPU on one thread and 20-22 s on
 * two (each worker ~8.5 s, V8's GC helper threads the rest), `http` 10.5-15 s against 17.5 s, and two threads
 * were not faster on the clock (the second core was never free). The critical path shrinks from ~12 s (one
 * thread) to ~8.5 s (the slower worker), which pays only when a core is idle: hence `--threads 2` on request.
 * PCAPLENS_APP_THREADS sets another default (capped at the cores).
 */
export function defaultAppThreads(): number {
  const env = Number(process.env.PCAPLENS_APP_THREADS);
  if (Number.isInteger(env) && env >= 1)
    return Math.min(env, APP_SPLIT_MAX_THREADS, Math.max(1, availableParallelism()));
  return 1;
}

/**
 * How many threads a run gets: `requested` (default defaultAppThreads()) when it is one plain (not gzip) pcap
 * or pcapng file of at least `minSize` bytes, else 1 (the single-thread path).
 */
export async function appSplitThreads(
  paths: readonly string[],
  requested: number | undefined,
  minSize = APP_SPLIT_MIN_SIZE,
): Promise<number> {
  const threads = Math.min(APP_SPLIT_MAX_THREADS, Math.floor(requested ?? defaultAppThreads()));
  if (threads <= 1 || paths.length !== 1) return 1;
  let fh;
  try {
    fh = await open(paths[0]!, 'r');
  } catch {
    return 1; // the single-thread path reports it
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size < minSize) return 1;
    const head = new Uint8Array(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    if (bytesRead < 4) return 1;
    const magic = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
    return PCAP_MAGICS.has(magic) ? threads : 1;
  } finally {
    await fh.close();
  }
}

export interface AppSplitOptions {
  /** worker threads, at least 2 */
  threads: number;
  /** the application tables whose rows go to onRow (others are dropped in the workers) */
  tables: readonly AppTable[];
  /**
   * the host table (default true); 'count' counts the hosts for the summary and leaves the result's hosts
   * empty (each thread sends only its hosts' addresses)
   */
  hosts?: boolean | 'count';
  onRow?: AppRowSink;
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

const here = import.meta.url;

/** A chunk from the wire as the merge takes it. */
function unwire(c: WireAppChunk): ShardChunk {
  const ids: number[] = [];
  const n: number[] = [];
  const layer: number[] = [];
  for (let i = 0; i + 2 < c.starts.length; i += 3) {
    ids.push(c.starts[i]!);
    n.push(c.starts[i + 1]!);
    layer.push(c.starts[i + 2]!);
  }
  const app = c.app.map((a) => {
    const keys: number[][] = new Array<number[]>(a.keyLen.length);
    let at = 0;
    for (let i = 0; i < a.keyLen.length; i++) {
      const len = a.keyLen[i]!;
      keys[i] = Array.from(a.keys.subarray(at, at + len));
      at += len;
    }
    return { table: a.table, rows: a.rows, keys };
  });
  return { n: c.n, started: { ids, n, layer }, packets: [], flows: { rows: [], keys: [] }, app };
}

/** analyzeFiles for one file over `o.threads` workers (see the module comment); flows are not listed. */
export async function analyzeAppSplit(path: string, o: AppSplitOptions): Promise<AnalyzeFilesResult> {
  const jobs = Math.max(2, Math.floor(o.threads));
  const hosts: AppSplitWorkerData['hosts'] =
    o.hosts === false ? false : o.hosts === 'count' ? 'keys' : 'rows';
  const hostKeys = new Set<string>();
  o.signal?.throwIfAborted();
  const onRow = o.onRow;
  const merge = new ShardMerge(jobs, {
    packet: () => undefined,
    flow: () => undefined,
    app: (t, r) => onRow?.(t, r as never),
  });
  const throttle = o.onProgress ? new ProgressThrottle(o.onProgress, o.progressIntervalMs ?? 100) : null;
  const read = new Array<number>(jobs).fill(0);
  let total = -1;
  const results: RangeResult[] = new Array<RangeResult>(jobs);
  const hostParts: ShardHosts[] = Array.from({ length: jobs }, () => ({
    rows: [],
    macFirst: [],
    firstKeys: [],
  }));
  const unacked: number[][] = Array.from({ length: jobs }, () => []);
  const workers: Worker[] = [];
  let finished = 0;
  const outcome = new RunOutcome(o.signal);
  const fail = outcome.fail;

  const handle = (job: number, m: AppSplitMessage) => {
    if (m.t === 'chunk') {
      read[job] = m.read;
      total = m.total;
      unacked[job]!.push(m.chunk.n);
      merge.add(job, unwire(m.chunk));
      // a worker may run ahead of the others by its credits only: its rows wait meanwhile
      const w = merge.watermark;
      for (let s = 0; s < jobs; s++) {
        const q = unacked[s]!;
        while (q.length && q[0]! <= w) {
          q.shift();
          workers[s]!.postMessage({ t: 'ack' });
        }
      }
      throttle?.tick(Math.min(...read), total, w < Number.MAX_SAFE_INTEGER ? w : 0, merge.flows);
    } else if (m.t === 'hosts') {
      hostParts[job] = { rows: m.rows, macFirst: m.macFirst, firstKeys: m.firstKeys };
    } else if (m.t === 'hostKeys') {
      if (m.text !== '') for (const k of m.text.split('\n')) hostKeys.add(k);
    } else if (m.t === 'done') {
      results[job] = m.result as RangeResult;
      if (++finished === jobs) outcome.ok();
    } else {
      fail(m.code ? new PcaplensError(m.code as ErrorCode, m.message) : new Error(m.message));
    }
  };

  try {
    const entry = workerEntry(here, 'app-split-worker');
    for (let job = 0; job < jobs; job++) {
      const w = new Worker(entry.src, {
        workerData: { path, job, jobs, tables: [...o.tables], hosts } satisfies AppSplitWorkerData,
        eval: entry.eval,
      });
      w.on('message', (m: AppSplitMessage) => {
        if (outcome.failed) return;
        try {
          handle(job, m);
        } catch (e) {
          fail(e instanceof Error ? e : new Error(String(e)));
        }
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (results[job] === undefined) fail(new Error(`application worker ${job} exited with ${code}`));
      });
      workers.push(w);
    }
    await outcome.over;
    if (merge.pending !== 0) throw new Error(`application split: ${merge.pending} rows left unmerged`);
    const hostRows: HostRow[] = hosts === 'rows' ? mergeShardHosts(hostParts) : [];
    const summary = mergeSummary(results, hosts === 'keys' ? hostKeys.size : hostRows.length);
    throttle?.tick(Math.max(0, total), total, summary.packets, summary.flows, true);
    return { summary, flows: [], hosts: hostRows, names: results[0]!.names, ...emptyAppRows() };
  } finally {
    outcome.dispose();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
