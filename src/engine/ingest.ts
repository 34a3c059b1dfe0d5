/**
 * Stores captures: keeps the original files in the data directory (content-addressed), reads them once
 * through the same pipeline as the direct CLI runs, and writes every table of one capture in one store
 * transaction. A failure or an abort leaves the store as it was; a capture already stored (same SHA-256) is
 * returned as it is unless `force` is set.
 */
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { PcaplensError } from '../shared/errors.js';
import type { EnrichmentSource, FlowRow } from '../shared/rows.js';
import type { CaptureRow, PacketIndexInput } from '../shared/store-rows.js';
import type { Store } from '../store/store.js';
import { storeCaptureFile } from '../store/capture-files.js';
import { openCapture } from '../wire/open.js';
import { analyzeFiles, type AnalyzeFilesResult } from './analyze-files.js';
import { analyzeFilesParallel } from './parallel/parallel-analyze.js';
import { analyzeFilesOffThread, decodeOffThread } from './parallel/ingest-decode.js';
import { PacketIndexBatches } from './packet-index.js';
import type { Progress } from './progress.js';
import { openFileSource } from './sources/file-source.js';
import { PacketBatch } from '../store/packet-batch.js';
import { PROTO_NAMES } from '../dissect/proto-ids.js';
import { APP_TABLES, emptyAppRows, type AppRowSink, type AppRows } from './app-tables.js';
import { enrichRun } from './enrich-result.js';
import { EnrichInputs } from './enrich-inputs.js';
import { defaultEnrichment, type Enrichment } from './enrich-sources.js';
import { toStoredAlert } from './stored-alert.js';

export interface IngestOptions {
  /** display name; default the first file's base name (plus "+N" for more files) */
  name?: string;
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** store again even when a capture with the same content exists */
  force?: boolean;
  /** rows per database batch (default 20 000) */
  batchRows?: number;
  /**
   * enrichment data for the hosts and the alert analyses (default: the bundled data, defaultEnrichment());
   * false stores the hosts as counted, without vendor, location, names from the application layer or tags
   */
  enrichment?: Enrichment | false;
  /**
   * decoding threads: 1 reads on this thread; N > 1 decodes on N worker threads, each accounting the
   * conversations of its share of the symmetric endpoint hash (parallel/parallel-analyze.ts), with the same
   * rows as one thread. Default: PCAPLENS_INGEST_THREADS, else 1 (see bench/README.md for why).
   */
  threads?: number;
  /**
   * one decoding thread: read and decode on a worker thread while this one writes the store (true), or both
   * on this thread (false). Default: parallel/ingest-decode.ts decodeOffThread (large inputs off the thread).
   */
  offThread?: boolean;
}

/** The decoding threads of an import: the option, else PCAPLENS_INGEST_THREADS, else 1. */
export function ingestThreads(opt?: number): number {
  const env = Number(process.env.PCAPLENS_INGEST_THREADS);
  const n = opt ?? (Number.isFinite(env) && env > 0 ? env : 1);
  return Math.max(1, Math.min(16, Math.floor(n)));
}

type StoredFile = Awaited<ReturnType<typeof storeCaptureFile>>;

/** The digest naming a capture made of several files: SHA-256 over their digests in order. */
function combinedSha256(digests: readonly string[]): string {
  if (digests.length === 1) return digests[0]!;
  return createHash('sha256').update(digests.join('\n')).digest('hex');
}

export interface IngestResult extends CaptureRow {
  /** true when the capture was already stored and nothing was read */
  existing?: boolean;
}

async function sniffFormat(path: string): Promise<string> {
  const source = await openFileSource(path);
  try {
    const reader = await openCapture(source);
    const format = reader.format + (reader.compressed || source.compressed ? '+gzip' : '');
    await reader.close();
    return format;
  } finally {
    await source.close().catch(() => undefined);
  }
}

function defaultName(paths: readonly string[]): string {
  const first = basename(paths[0]!);
  return paths.length > 1 ? `${first}+${paths.length - 1}` : first;
}

export async function ingestFiles(
  store: Store,
  dataDir: string,
  paths: string[],
  opts: IngestOptions = {},
): Promise<IngestResult> {
  if (paths.length === 0) throw new PcaplensError('E_USAGE', 'no capture file given');
  opts.signal?.throwIfAborted();
  const kept: StoredFile[] = [];
  for (const p of paths) kept.push(await storeCaptureFile(dataDir, p));
  const sha256 = combinedSha256(kept.map((k) => k.sha256));
  if (!opts.force) {
    const existing = await store.findCaptureBySha256(sha256);
    if (existing) return { ...existing, existing: true };
  }
  // a file that is not a capture is refused before anything is written
  const formats: string[] = [];
  for (let i = 0; i < kept.length; i++) {
    try {
      formats.push(await sniffFormat(kept[i]!.path));
    } catch (e) {
      if (e instanceof PcaplensError)
        throw new PcaplensError(e.code, `${paths[i]}: ${e.message.replace(/^[^:]*: /, '')}`);
      throw e;
    }
  }
  const meta = {
    name: opts.name ?? defaultName(paths),
    sha256,
    size: kept.reduce((s, k) => s + k.size, 0),
    format: formats.join(','),
    link_types: [] as number[],
    files: kept.map((k, i) => ({
      file_index: i,
      name: paths[i]!,
      sha256: k.sha256,
      size: k.size,
      format: formats[i]!,
      path: resolve(k.path),
    })),
  };
  const batch = Math.max(1, opts.batchRows ?? 20_000);

  const row = await store.importCapture(meta, async (w) => {
    // packet index rows: columns in batches of `batch` rows (store/packet-batch.ts); full ones wait in
    // `ready` for the next chunk boundary; the ones this thread fills go back to `pool` once written (two in
    // use at most in steady state), those received from the decoding thread are dropped
    const pool: PacketBatch[] = [];
    const ready: PacketBatch[] = [];
    const offThread = ingestThreads(opts.threads) === 1 && decodeOffThread(meta.size, opts.offThread);
    const index = new PacketIndexBatches(batch, (full) => {
      ready.push(full);
      return pool.pop() ?? new PacketBatch(batch, PROTO_NAMES);
    });
    // the parallel path hands index rows over as objects (from its workers): written as they are
    let indexRows: PacketIndexInput[] = [];
    let flows: FlowRow[] = [];
    // application rows wait per table for the next chunk boundary, as packets and flows do
    let app: AppRows = emptyAppRows();
    let appRows = 0;
    // enrichment and the alert analyses run once the reading is over (as the direct hosts run does), over
    // what they read: the flows and the application rows' inputs (enrich-inputs.ts), kept while the rows
    // themselves go to the store batch by batch
    const enrichment = opts.enrichment === false ? null : (opts.enrichment ?? defaultEnrichment());
    const keep = enrichment ? new EnrichInputs() : null;
    const writePackets = async (b: PacketBatch): Promise<void> => {
      if (w.writePackets) await w.writePackets(b);
      else await w.write('packets', b.rows());
      b.clear();
    };
    const flushApp = async (): Promise<void> => {
      const b = app;
      app = emptyAppRows();
      appRows = 0;
      for (const t of APP_TABLES) if (b[t].length) await w.write(t, b[t]);
    };
    const flush = async (all: boolean): Promise<void> => {
      if (appRows >= batch || (all && appRows)) await flushApp();
      while (ready.length) {
        const b = ready.shift()!;
        await writePackets(b);
        if (!offThread) pool.push(b);
      }
      if (all && index.current.length) await writePackets(index.current);
      if (indexRows.length >= batch || (all && indexRows.length)) {
        const b = indexRows;
        indexRows = [];
        await w.write('packets', b);
      }
      if (flows.length >= batch || (all && flows.length)) {
        const b = flows;
        flows = [];
        await w.write('flows', b);
      }
    };
    // frame numbers count over the whole capture (files merged in time order), as Wireshark numbers a merge
    const onFlow = (r: FlowRow) => {
      flows.push(r);
      keep?.flow(r);
    };
    const onRow: AppRowSink = (table, r) => {
      (app[table] as unknown[]).push(r);
      keep?.row(table, r);
      appRows++;
    };
    const afterChunk = () =>
      ready.length > 0 || indexRows.length >= batch || flows.length >= batch || appRows >= batch
        ? flush(false)
        : Promise.resolve();
    const files = kept.map((k) => k.path);
    const threads = ingestThreads(opts.threads);
    let result: Pick<AnalyzeFilesResult, 'summary' | 'hosts' | 'names'>;
    if (threads > 1) {
      result = await analyzeFilesParallel(files, {
        threads,
        signal: opts.signal,
        onProgress: opts.onProgress,
        onFlow,
        onRow,
        onIndex: (r) => indexRows.push(r),
        afterChunk,
      });
    } else if (offThread) {
      result = await analyzeFilesOffThread(files, {
        batchRows: batch,
        signal: opts.signal,
        onProgress: opts.onProgress,
        onPackets: (b) => ready.push(b),
        onFlow,
        onRow,
        afterChunk,
      });
    } else {
      const r = await analyzeFiles(files, {
        signal: opts.signal,
        onProgress: opts.onProgress,
        onFlow,
        onRow,
        ...index.hooks,
        afterChunk,
      });
      for (const f of r.flows) onFlow(f);
      result = r;
    }
    await flush(true);
    let sources: EnrichmentSource[] | undefined;
    if (enrichment && keep) {
      const enriched = await enrichRun({ ...keep, names: result.names, hosts: result.hosts }, enrichment);
      await w.write('hosts', enriched.hosts);
      await w.write('alerts', enriched.alerts.map(toStoredAlert));
      sources = enriched.sources;
    } else await w.write('hosts', result.hosts);
    // the last moment a cancel can still undo the whole import
    opts.signal?.throwIfAborted();
    const s = result.summary;
    // the summary names the files as the user gave them, not as kept in the data directory
    const named = (file: string) => paths[kept.findIndex((k) => k.path === file)] ?? file;
    const summary = {
      ...s,
      files: s.files.map((f) => ({
        ...f,
        name: named(f.name),
        problems: f.problems.map((p) => ({ ...p, file: named(p.file) })),
      })),
      problems: s.problems.map((p) => ({ ...p, file: named(p.file) })),
      ...(sources ? { enrichment_sources: sources } : {}),
    };
    const linkTypes = [...new Set(s.files.flatMap((f) => f.link_types))];
    return {
      packets: s.packets,
      bytes: s.bytes,
      first_ts: s.first_ts,
      last_ts: s.last_ts,
      status: s.problems.length ? 'partial' : 'complete',
      errors: summary.problems,
      link_types: linkTypes,
      summary,
    };
  });
  return row;
}
