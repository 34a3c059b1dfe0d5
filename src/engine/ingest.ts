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
import {
  copyCaptureFile,
  dropCaptureCopy,
  hashFile,
  keepCaptureCopy,
  type CaptureCopy,
  type KeptCaptureFile,
} from '../store/capture-files.js';
import { hashFileOffThread } from './parallel/hash-file.js';
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
  const copies: CaptureCopy[] = [];
  let kept: KeptCaptureFile[] | null = null;
  try {
    for (const p of paths) copies.push(await copyCaptureFile(dataDir, p));
    const size = copies.reduce((s, c) => s + c.size, 0);
    const offThread = ingestThreads(opts.threads) === 1 && decodeOffThread(size, opts.offThread);
    // a large import decodes its copies while another thread hashes them (hash-file.ts), and looks for the
    // same content already stored once the digests are known; a small one hashes first, as it costs little
    const digests = Promise.all(
      copies.map(async (c) => c.sha256 ?? (await (offThread ? hashFileOffThread : hashFile)(c.tmp)).sha256),
    );
    void digests.catch(() => undefined); // awaited below or inside the import; not unhandled meanwhile
    let existing: CaptureRow | null = null;
    const isNew = async (): Promise<boolean> => {
      existing = opts.force ? null : await store.findCaptureBySha256(combinedSha256(await digests));
      return existing === null;
    };
    // the copies take their digests as names once read (a reader may hold them open until then)
    const keepAll = async (): Promise<KeptCaptureFile[]> => {
      const d = await digests;
      const out: KeptCaptureFile[] = [];
      for (let i = 0; i < copies.length; i++) out.push(await keepCaptureCopy(dataDir, copies[i]!, d[i]!));
      return (kept = out);
    };
    const stored = async (): Promise<IngestResult> => {
      await keepAll();
      return { ...(existing as unknown as CaptureRow), existing: true };
    };
    if (!offThread && !(await isNew())) return await stored();
    try {
      return await importCopies(store, paths, copies, opts, offThread, offThread ? isNew : null, keepAll);
    } catch (e) {
      if (e instanceof AlreadyStored) return await stored();
      throw e;
    }
  } finally {
    // copies not named by their digest are not kept (the import failed)
    if (kept === null) await Promise.all(copies.map((c) => dropCaptureCopy(c)));
  }
}

/** Thrown through the import transaction when the capture turns out to be stored already (rolled back). */
class AlreadyStored extends Error {}

/**
 * The import transaction over the copies, decoded from their temporary names. `isNew`, when given, says
 * while the reading goes on whether the content is stored already (false cancels the import); `keep` names
 * the copies by their digests once they are read.
 */
async function importCopies(
  store: Store,
  paths: string[],
  copies: CaptureCopy[],
  opts: IngestOptions,
  offThread: boolean,
  isNew: (() => Promise<boolean>) | null,
  keep: () => Promise<KeptCaptureFile[]>,
): Promise<IngestResult> {
  const files = copies.map((c) => c.tmp);
  // a file that is not a capture is refused before anything is written
  const formats: string[] = [];
  for (let i = 0; i < files.length; i++) {
    try {
      formats.push(await sniffFormat(files[i]!));
    } catch (e) {
      if (e instanceof PcaplensError)
        throw new PcaplensError(e.code, `${paths[i]}: ${e.message.replace(/^[^:]*: /, '')}`);
      throw e;
    }
  }
  // the digests are filled in once known (store.importCapture reads meta after the rows are written)
  const meta = {
    name: opts.name ?? defaultName(paths),
    sha256: '',
    size: copies.reduce((s, c) => s + c.size, 0),
    format: formats.join(','),
    link_types: [] as number[],
    files: copies.map((c, i) => ({
      file_index: i,
      name: paths[i]!,
      sha256: '',
      size: c.size,
      format: formats[i]!,
      path: '',
    })),
  };
  const nameFiles = async (): Promise<void> => {
    const kept = await keep();
    meta.sha256 = combinedSha256(kept.map((k) => k.sha256));
    kept.forEach((k, i) => Object.assign(meta.files[i]!, { sha256: k.sha256, path: resolve(k.path) }));
  };
  const batch = Math.max(1, opts.batchRows ?? 20_000);

  const row = await store.importCapture(meta, async (w) => {
    // packet index rows: columns in batches of `batch` rows (store/packet-batch.ts); full ones wait in
    // `ready` for the next chunk boundary; the ones this thread fills go back to `pool` once written (two in
    // use at most in steady state), those received from the decoding thread are dropped
    const pool: PacketBatch[] = [];
    const ready: PacketBatch[] = [];
    // a capture found stored already while this one is read stops the reading at once (and the transaction
    // rolls back)
    const stop = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    const checked = isNew?.().then(
      (fresh) => {
        if (!fresh) stop.abort(new AlreadyStored('capture stored already'));
      },
      (e: unknown) => stop.abort(e),
    );
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
    const threads = ingestThreads(opts.threads);
    let result: Pick<AnalyzeFilesResult, 'summary' | 'hosts' | 'names'>;
    if (threads > 1) {
      result = await analyzeFilesParallel(files, {
        threads,
        signal,
        onProgress: opts.onProgress,
        onFlow,
        onRow,
        onIndex: (r) => indexRows.push(r),
        afterChunk,
      });
    } else if (offThread) {
      const decoding = analyzeFilesOffThread(files, {
        batchRows: batch,
        signal,
        onProgress: opts.onProgress,
        onPackets: (b) => ready.push(b),
        onFlow,
        onRow,
        afterChunk,
      });
      // the main thread is idle while the worker starts: the enrichment data loads meanwhile (a failure to
      // load comes back where the data is used, after the reading)
      try {
        enrichment?.preload();
      } catch {
        // see above
      }
      result = await decoding;
    } else {
      const r = await analyzeFiles(files, {
        signal,
        onProgress: opts.onProgress,
        onFlow,
        onRow,
        ...index.hooks,
        afterChunk,
      });
      for (const f of r.flows) onFlow(f);
      result = r;
    }
    await checked;
    signal.throwIfAborted();
    await flush(true);
    await nameFiles();
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
    const named = (file: string) => paths[files.indexOf(file)] ?? file;
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
