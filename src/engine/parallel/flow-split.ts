/**
 * `flows` on more than one core: a flows-only run (no host table, no application layer, rows streamed to
 * onFlow) of one large plain capture is split by conversation over worker threads. Each worker
 * (flow-split-worker.ts -> flow-split-shard.ts) reads and decodes the whole file but accounts only the
 * conversations whose endpoint pair hashes into its range; the main thread numbers the flows as a single
 * reader would (flow-split-merge.ts) and hands the rows to onFlow. The rows and their ids are those of the
 * single-thread run; only the order in which rows are handed out may differ (sort by id).
 *
 * Why by conversation and not by byte range: a byte-range split has to carry every conversation, the capture
 * clock (idle expiry), TCP stream reuse and IP fragments across the cut exactly, which needs a replay step;
 * splitting by endpoint pair keeps every piece of per-flow state in one thread by construction, at the price
 * of every thread reading and decoding every record (the decoding is ~15 % of the run).
 *
 * Limit: maxFlows (500 000 live flows by default) applies per thread; a run with more live flows than that
 * evicts differently from a single thread (the flows command does not set it and the bench peaks at ~77 k).
 */
import { availableParallelism } from 'node:os';
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { PcaplensError, type ErrorCode } from '../../shared/errors.js';
import type { AnalyzeFilesResult, AnalyzeOptions } from '../analyze-files.js';
import { ProgressThrottle } from '../progress.js';
import { FlowSplitMerge } from './flow-split-merge.js';
import type { FlowRow } from '../../shared/rows.js';
import type { FlowText } from './flow-split-shard.js';
import type { FlowSplitMessage, FlowSplitWorkerData } from './flow-split-worker.js';

/** Plain files from this size on are split (a worker costs ~0.1 s to start). */
export const SPLIT_MIN_SIZE = 64 * 1024 * 1024;
const MAX_THREADS = 8;

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);

/**
 * PCAPLENS_FLOW_THREADS, else 1: measured on the 1 GiB bench capture (2 shared cores, load 11-13), two threads
 * cost 5.2-5.5 s of CPU against 2.8 s for one (every thread reads and decodes every record) and were not faster
 * on the clock either, with no core to spare; with a free second core the estimate is ~2.4 s against ~2.9 s
 * wall. So the split is there to be switched on, not the default.
 */
function defaultThreads(): number {
  const env = Number(process.env.PCAPLENS_FLOW_THREADS);
  if (Number.isInteger(env) && env >= 1)
    return Math.min(env, MAX_THREADS, Math.max(1, availableParallelism()));
  return 1;
}

/**
 * How many threads a run gets: 1 (the single-thread path) unless it is a flows-only run of one plain
 * (not gzip) pcap or pcapng file of at least `minSize` bytes.
 */
export async function flowSplitThreads(
  paths: readonly string[],
  o: AnalyzeOptions,
  minSize = SPLIT_MIN_SIZE,
): Promise<number> {
  const threads = Math.min(MAX_THREADS, Math.floor(o.flowThreads ?? defaultThreads()));
  if (threads <= 1 || paths.length !== 1 || !o.onFlow || o.hosts !== false || o.app !== false) return 1;
  if (o.onPacket || o.onFlowEnd || o.onRecord || o.onRow || o.acceptLayer || o.afterChunk || o.onEndOfInput)
    return 1;
  if (o.onFlowStart || o.maxFlows !== undefined || o.timeouts || o.idleTimeoutSec !== undefined) return 1;
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

const here = import.meta.url;
/** The worker's module: the .js when built; under tsx (tests) the .ts through a bootstrap registering tsx. */
function workerEntry(): { src: string | URL; eval: boolean } {
  if (!here.endsWith('.ts')) return { src: new URL('./flow-split-worker.js', here), eval: false };
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./flow-split-worker.ts', here).href;
  return {
    src: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
    eval: true,
  };
}

/** analyzeFiles for a flows-only run of one file over `threads` workers (see the module comment). */
export async function analyzeFlowsSplit(
  path: string,
  threads: number,
  o: AnalyzeOptions,
): Promise<AnalyzeFilesResult> {
  const jobs = Math.max(2, threads);
  const onFlow = o.onFlow!;
  const text = o.flowText;
  const merge = new FlowSplitMerge<FlowRow | FlowText>(
    jobs,
    text ? (r) => text.onText(r.id, (r as FlowText).t) : (r) => onFlow(r as FlowRow),
  );
  const throttle = o.onProgress ? new ProgressThrottle(o.onProgress, o.progressIntervalMs ?? 100) : null;
  const read = new Array<number>(jobs).fill(0);
  let total = -1;
  const results: (AnalyzeFilesResult | undefined)[] = new Array<AnalyzeFilesResult | undefined>(jobs);
  const unacked: number[][] = Array.from({ length: jobs }, () => []);
  const workers: Worker[] = [];
  let finished = 0;
  let failed: Error | null = null;
  let settle!: { ok: () => void; fail: (e: Error) => void };
  const over = new Promise<void>((ok, fail) => (settle = { ok, fail }));
  const fail = (e: Error) => {
    if (failed) return;
    failed = e;
    settle.fail(e);
  };
  const onAbort = () => fail(o.signal!.reason instanceof Error ? o.signal!.reason : new Error('aborted'));
  o.signal?.addEventListener('abort', onAbort, { once: true });

  const handle = (job: number, m: FlowSplitMessage) => {
    if (m.t === 'batch') {
      read[job] = m.read;
      total = m.total;
      unacked[job]!.push(m.batch.n);
      const b = m.batch;
      let rows: (FlowRow | FlowText)[] = b.rows ?? [];
      if (b.ids !== null && b.ids.length > 0) {
        const texts = b.text!.split('\n');
        rows = new Array<FlowText>(b.ids.length);
        for (let i = 0; i < texts.length; i++) rows[i] = { id: b.ids[i]!, t: texts[i]! };
      }
      merge.add(job, { n: b.n, starts: b.starts, rows });
      // a worker may run ahead of the others by its credits only: its rows wait for their ids meanwhile
      const w = merge.watermark;
      for (let s = 0; s < jobs; s++) {
        const q = unacked[s]!;
        while (q.length && q[0]! <= w) {
          q.shift();
          workers[s]!.postMessage({ t: 'ack' });
        }
      }
      throttle?.tick(Math.min(...read), total, w < Number.MAX_SAFE_INTEGER ? w : 0, merge.flows);
    } else if (m.t === 'done') {
      results[job] = m.result as AnalyzeFilesResult;
      if (++finished === jobs) settle.ok();
    } else {
      fail(m.code ? new PcaplensError(m.code as ErrorCode, m.message) : new Error(m.message));
    }
  };

  try {
    const entry = workerEntry();
    for (let job = 0; job < jobs; job++) {
      const w = new Worker(entry.src, {
        workerData: {
          path,
          job,
          jobs,
          ...(text ? { encoder: text.encoder } : {}),
        } satisfies FlowSplitWorkerData,
        eval: entry.eval,
      });
      w.on('message', (m: FlowSplitMessage) => {
        if (failed) return;
        try {
          handle(job, m);
        } catch (e) {
          fail(e instanceof Error ? e : new Error(String(e)));
        }
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (results[job] === undefined) fail(new Error(`flows worker ${job} exited with ${code}`));
      });
      workers.push(w);
    }
    await over;
    if (merge.pending !== 0) throw new Error(`flows split: ${merge.pending} flows left unnumbered`);
    // decoding, protocol counts and problems are every shard's alike; the flows are split
    const first = results[0]!;
    const summary = { ...first.summary, flows: merge.flows };
    throttle?.tick(Math.max(0, total), total, summary.packets, summary.flows, true);
    return { ...first, summary, flows: [] };
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
