/**
 * One shard of a split `flows` run (flow-split.ts): reads and decodes every record of the capture, but
 * accounts only the IP layers (and non-IP frames) whose symmetric endpoint hash falls in its range
 * (distributed/conversation-hash.ts), so each conversation lives in exactly one shard. Every shard still sees
 * every record, so the capture clock, idle expiry, IP reassembly and protocol counts are those of a single
 * reader, and a shard's flows are exactly the single reader's flows of its endpoint pairs.
 *
 * Flow ids are the one thing a shard cannot know: a single reader numbers flows in order of creation over all
 * of them. The shard numbers its own (local ids, dense from 1) and reports where each was created (record
 * number, IP layer index); flow-split-merge.ts turns that into the global ids.
 */
import type { FlowRow } from '../../shared/rows.js';
import { analyzeFiles, type AnalyzeFilesResult } from '../analyze-files.js';
import { jobOf, l2Hash, layerHash } from '../distributed/conversation-hash.js';

/** A finished flow as text (FlowShardOptions.encode) with its local id. */
export interface FlowText {
  id: number;
  t: string;
}

/** What a shard hands over after each chunk of input: everything up to record `n` (1-based) is in. */
export interface FlowShardBatch<R extends { id: number } = FlowRow> {
  /** records read so far: every flow created at a record <= n is in `starts` of this or an earlier batch */
  n: number;
  /** flows created, in creation order, as triples: local id, record number, IP layer index */
  starts: ArrayLike<number>;
  /** flows finished, rows (or their texts) with their local id */
  rows: R[];
}

export interface FlowShardOptions {
  job: number;
  jobs: number;
  signal?: AbortSignal;
  /** bytes read so far and in total (-1 unknown), after each chunk */
  onRead?: (read: number, total: number) => void;
}

/**
 * Runs one shard over one capture file; `batch` is awaited after each chunk of input (and once at the end,
 * with n = every record), which is where a worker posts and waits for credit.
 */
export async function runFlowShard<R extends { id: number } = FlowRow>(
  path: string,
  o: FlowShardOptions,
  batch: (b: FlowShardBatch<R>) => Promise<void>,
  encode?: (row: FlowRow) => R,
): Promise<AnalyzeFilesResult> {
  const { job, jobs } = o;
  let starts: number[] = [];
  let rows: R[] = [];
  let n = 0;
  const flush = async () => {
    const b: FlowShardBatch<R> = { n, starts, rows };
    starts = [];
    rows = [];
    await batch(b);
  };
  const result = await analyzeFiles([path], {
    hosts: false,
    app: false,
    flowThreads: 1,
    signal: o.signal,
    ...(o.onRead ? { onProgress: (p) => o.onRead!(p.bytesRead, p.bytesTotal) } : {}),
    acceptLayer: (p, l) => jobOf(l === null ? l2Hash(p) : layerHash(l), jobs) === job,
    onFlowStart: (f, rec, layer) => {
      starts.push(f.id, rec.n, layer);
    },
    onFlow: (row) => {
      rows.push(encode ? encode(row) : (row as unknown as R));
    },
    onRecord: (rec) => {
      n = rec.n;
    },
    afterChunk: flush,
    onEndOfInput: () => {
      // the live flows finish after this: their rows go out with the last batch, n is final already
      n = Number.MAX_SAFE_INTEGER;
    },
  });
  await flush();
  return result;
}
