/**
 * analyzeFiles on several threads: each worker thread (shard-worker.ts) reads the capture and decodes every
 * record, but accounts only the conversations whose symmetric endpoint hash falls in its shard, so a flow
 * never crosses workers. The main thread merges their rows (shard-merge.ts, host-merge.ts) into exactly
 * the rows and order of a single reader and hands them to the same hooks as analyzeFiles.
 *
 * Every worker reads the file itself (from the page cache after the first): reading is ~1 % of the work,
 * and each worker needs every record to keep the capture clock, idle expiry and IP reassembly identical.
 */
import { Worker } from 'node:worker_threads';
import { PcaplensError, type ErrorCode } from '../../shared/errors.js';
import type { Problem } from '../../shared/problem.js';
import type { CaptureSummary, FlowRow, HostRow } from '../../shared/rows.js';
import type { PacketIndexInput } from '../../shared/store-rows.js';
import type { ResolvedName } from '../../wire/reader.js';
import type { RangeResult } from '../distributed/range-analyze.js';
import type { AppRowSink } from '../app-tables.js';
import { ProgressThrottle, type Progress } from '../progress.js';
import { mergeShardHosts, type ShardHosts } from './host-merge.js';
import { ShardMerge } from './shard-merge.js';
import type { ShardMessage, ShardWorkerData } from './shard-worker.js';
import { RunOutcome, workerEntry } from './worker-thread.js';

export interface ParallelOptions {
  /** worker threads (shards), at least 2 */
  threads: number;
  onFlow: (row: FlowRow) => void;
  onRow: AppRowSink;
  onIndex: (row: PacketIndexInput) => void;
  /** awaited after each merged step (database batches); workers wait meanwhile */
  afterChunk?: () => Promise<void>;
  onProgress?: (p: Progress) => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

export interface ParallelResult {
  summary: CaptureSummary;
  hosts: HostRow[];
  names: ResolvedName[];
}

const here = import.meta.url;

/** Application problems a run keeps (app-run.ts MAX_PROBLEMS); past it one line counts the rest. */
const MAX_APP_PROBLEMS = 100;
const MORE = /^(\d+) more reassembly limit problems$/;

/**
 * The shards' application problems as one run has them: in packet order, the first MAX_APP_PROBLEMS kept and
 * one line counting the rest (each shard keeps its own first ones and counts its own rest).
 */
function mergeAppProblems(results: RangeResult[]): Problem[] {
  let dropped = 0;
  const kept: Problem[] = [];
  for (const r of results)
    for (const p of r.appProblems) {
      const more = p.packet === undefined && p.code === 'E_LIMIT' ? MORE.exec(p.message) : null;
      if (more) dropped += Number(more[1]);
      else kept.push(p);
    }
  kept.sort((a, b) => (a.packet ?? 0) - (b.packet ?? 0));
  if (kept.length > MAX_APP_PROBLEMS) dropped += kept.splice(MAX_APP_PROBLEMS).length;
  if (dropped > 0) {
    const file = results[0]!.summary.files[0]?.name ?? '';
    kept.push({ file, offset: 0, code: 'E_LIMIT', message: `${dropped} more reassembly limit problems` });
  }
  return kept;
}

/** The summary of the run: decoding totals are every shard's; flows and application problems are summed. */
export function mergeSummary(results: RangeResult[], hosts: number): CaptureSummary {
  const s = results[0]!.summary;
  const app = mergeAppProblems(results);
  const files = s.files.map((f) => ({ ...f, problems: [...f.problems] }));
  for (const p of app) (files.find((f) => f.name === p.file) ?? files[0])?.problems.push(p);
  return {
    ...s,
    files,
    problems: files.flatMap((f) => f.problems),
    flows: results.reduce((a, r) => a + r.flows, 0),
    hosts,
  };
}

export async function analyzeFilesParallel(paths: string[], o: ParallelOptions): Promise<ParallelResult> {
  const jobs = Math.max(2, Math.floor(o.threads));
  o.signal?.throwIfAborted();
  const merge = new ShardMerge(jobs, {
    packet: o.onIndex,
    flow: o.onFlow,
    app: (t, r) => o.onRow(t, r as never),
  });
  const entry = workerEntry(here, 'shard-worker');
  const workers: Worker[] = [];
  const hostParts: ShardHosts[] = new Array<ShardHosts>(jobs);
  const results: RangeResult[] = new Array<RangeResult>(jobs);
  const unacked: number[][] = Array.from({ length: jobs }, () => []);
  const read = new Array<number>(jobs).fill(0);
  let total = -1;
  const throttle = o.onProgress ? new ProgressThrottle(o.onProgress, o.progressIntervalMs ?? 100) : null;

  // messages are handled one at a time, in arrival order, each after the previous one's database work
  let chain: Promise<void> = Promise.resolve();
  let finished = 0;
  const outcome = new RunOutcome(o.signal);
  const fail = outcome.fail;

  const handle = async (shard: number, m: ShardMessage): Promise<void> => {
    if (m.t === 'chunk') {
      read[shard] = m.read;
      total = m.total;
      unacked[shard]!.push(m.chunk.n);
      merge.add(shard, m.chunk);
      if (o.afterChunk) await o.afterChunk();
      const w = merge.watermark;
      for (let s = 0; s < jobs; s++) {
        const q = unacked[s]!;
        while (q.length && q[0]! <= w) {
          q.shift();
          workers[s]!.postMessage({ t: 'ack' });
        }
      }
      throttle?.tick(Math.min(...read), total, w, merge.flows);
    } else if (m.t === 'hosts') {
      hostParts[shard] = { rows: m.rows as HostRow[], macFirst: m.macFirst, firstKeys: m.firstKeys };
    } else if (m.t === 'done') {
      results[shard] = m.result as RangeResult;
      if (++finished === jobs) outcome.ok();
    } else if (m.t === 'error') {
      fail(m.code ? new PcaplensError(m.code as ErrorCode, m.message) : new Error(m.message));
    }
  };

  try {
    for (let job = 0; job < jobs; job++) {
      const w = new Worker(entry.src, {
        workerData: { paths, job, jobs } satisfies ShardWorkerData,
        eval: entry.eval,
      });
      w.on('message', (m: ShardMessage) => {
        chain = chain
          .then(() => (outcome.failed ? undefined : handle(job, m)))
          .catch((e: unknown) => fail(e as Error));
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (code !== 0 && results[job] === undefined)
          fail(new Error(`ingest worker ${job} exited with ${code}`));
      });
      workers.push(w);
    }
    await outcome.over;
    await chain;
    if (outcome.failed) throw outcome.failed;
    if (merge.pending !== 0) throw new Error(`parallel ingest: ${merge.pending} rows left unmerged`);
    const hosts = mergeShardHosts(hostParts);
    const summary = mergeSummary(results, hosts.length);
    throttle?.tick(Math.min(...read), total, summary.packets, summary.flows, true);
    return { summary, hosts, names: results[0]!.names };
  } finally {
    outcome.dispose();
    // no database write may still run once the caller sees the outcome
    await chain.catch(() => undefined);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
