/**
 * An import's reading and decoding on a worker thread (ingest-decode-worker.ts) while the main thread writes
 * the store: the two halves of a one-thread import (decoding with the application layer; encoding rows into
 * the database) then run side by side on two cores. The worker runs the same analyzeFiles as the one-thread
 * import, so the rows, their order and the summary are the same; only the thread that makes them differs.
 */
import { Worker } from 'node:worker_threads';
import { PcaplensError, type ErrorCode } from '../../shared/errors.js';
import type { FlowRow } from '../../shared/rows.js';
import { PacketBatch } from '../../store/packet-batch.js';
import { PROTO_NAMES } from '../../dissect/proto-ids.js';
import { FlowKey } from '../../flow/flow-key.js';
import { flowRow } from '../../flow/flow-row.js';
import { FLOW_WORDS, FlowState } from '../../flow/flow-state.js';
import type { AnalyzeFilesResult } from '../analyze-files.js';
import { APP_TABLES, type AppRowSink } from '../app-tables.js';
import type { Progress } from '../progress.js';
import type { DecodeMessage, DecodeWorkerData } from './ingest-decode-worker.js';
import { RunOutcome, workerEntry } from './worker-thread.js';

/** Inputs smaller than this are decoded on the main thread: starting the worker costs more than it saves. */
export const OFF_THREAD_MIN_SIZE = 32 << 20;

/**
 * Whether an import of `bytes` of input decodes on a worker thread: PCAPLENS_INGEST_OFF_THREAD=1 or 0 decides
 * when set, else inputs of at least OFF_THREAD_MIN_SIZE bytes do.
 */
export function decodeOffThread(bytes: number, requested?: boolean): boolean {
  if (requested !== undefined) return requested;
  const env = process.env.PCAPLENS_INGEST_OFF_THREAD;
  if (env === '1' || env === '0') return env === '1';
  return bytes >= OFF_THREAD_MIN_SIZE;
}

export interface DecodeOffThreadOptions {
  /** packet index rows per batch */
  batchRows: number;
  onPackets: (batch: PacketBatch) => void;
  onFlow: (row: FlowRow) => void;
  onRow: AppRowSink;
  /** awaited after each chunk's rows were handed out (database batches); the worker waits meanwhile */
  afterChunk: () => Promise<void>;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
}

const here = import.meta.url;

export async function analyzeFilesOffThread(
  paths: string[],
  o: DecodeOffThreadOptions,
): Promise<Pick<AnalyzeFilesResult, 'summary' | 'hosts' | 'names'>> {
  o.signal?.throwIfAborted();
  const entry = workerEntry(here, 'ingest-decode-worker');
  const outcome = new RunOutcome(o.signal);
  const fail = outcome.fail;
  let result: Pick<AnalyzeFilesResult, 'summary' | 'hosts' | 'names'> | null = null;
  // messages are handled one at a time, in arrival order, each after the previous one's database work
  let chain: Promise<void> = Promise.resolve();
  const worker = new Worker(entry.src, {
    workerData: { paths, batchRows: o.batchRows } satisfies DecodeWorkerData,
    eval: entry.eval,
  });
  // the flow each received one is loaded into to build its row
  const flow = new FlowState(0, new FlowKey());
  const handle = async (m: DecodeMessage): Promise<void> => {
    if (m.t === 'chunk') {
      const c = m.chunk;
      for (const cols of c.packets) o.onPackets(PacketBatch.of(cols, PROTO_NAMES));
      const { words, n, names } = c.flows;
      for (let i = 0; i < n; i++) o.onFlow(flowRow(flow.loadFrom(words, i * FLOW_WORDS, names)));
      for (const t of APP_TABLES) {
        const rows = c.app[t];
        if (rows) for (const r of rows) o.onRow(t, r as never);
      }
      await o.afterChunk();
      worker.postMessage({ t: 'ack' });
    } else if (m.t === 'progress') o.onProgress?.(m.progress);
    else if (m.t === 'done') {
      result = m.result;
      outcome.ok();
    }
  };
  try {
    // the worker's end is seen on arrival: its thread may exit before the chain reaches the last message
    let ended = false;
    worker.on('message', (m: DecodeMessage) => {
      if (m.t === 'error') {
        ended = true;
        fail(m.code ? new PcaplensError(m.code as ErrorCode, m.message) : new Error(m.message));
        return;
      }
      if (m.t === 'done') ended = true;
      chain = chain
        .then(() => (outcome.failed ? undefined : handle(m)))
        .catch((e: unknown) => fail(e as Error));
    });
    worker.on('error', (e) => fail(e));
    worker.on('exit', (code) => {
      if (!ended) fail(new Error(`ingest decoding worker exited with ${code} before its end`));
    });
    await outcome.over;
    await chain;
    if (outcome.failed) throw outcome.failed;
    return result!;
  } finally {
    outcome.dispose();
    // no database write may still run once the caller sees the outcome
    await chain.catch(() => undefined);
    await worker.terminate();
  }
}
