/**
 * The ingest pipeline for files on disk: open every capture (gzip is undone by the source), merge them in time
 * order, read with the sync/async loop, feed the flow Analysis, and build the CaptureSummary.
 * A file that cannot be opened is a problem of the run; the run fails only when nothing could be read.
 */
import { PcaplensError, isPcaplensError, type ErrorCode } from '../shared/errors.js';
import type { Problem } from '../shared/problem.js';
import type { CaptureSummary, FlowRow, HostRow } from '../shared/rows.js';
import { isoTime, toSeconds } from '../shared/time.js';
import { Analysis, type AnalysisOptions } from '../flow/analysis.js';
import { mergeReaders } from '../wire/merge.js';
import type { CaptureReader, ResolvedName } from '../wire/reader.js';
import { READ_END, READ_NEED_MORE, READ_RECORD } from '../wire/reader.js';
import { PacketRecord } from '../wire/record.js';
import type { ByteSource } from '../wire/source.js';
import { openCaptureFile } from './sources/open-capture-file.js';
import { FileStats, type FileInfo } from './file-stats.js';
import type { PacketRecord as Rec } from '../wire/record.js';
import { ProgressThrottle, type Progress } from './progress.js';
import { analyzeFlowsRange, rangeSplitPlan } from './parallel/range-split.js';
import type { FileBytesOptions } from './app-run.js';
import { emptyAppRows, type AppRowSink, type AppRows } from './app-tables.js';

export interface AnalyzeOptions {
  onProgress?: (p: Progress) => void;
  /** minimum time between two progress events (default 100 ms) */
  progressIntervalMs?: number;
  signal?: AbortSignal;
  /** passed to the flow Analysis */
  idleTimeoutSec?: number;
  timeouts?: AnalysisOptions['timeouts'];
  maxFlows?: number;
  /** keep the host table (default true); false leaves `hosts` empty and summary.hosts 0 */
  hosts?: boolean;
  /**
   * Finished flows are handed here as they end (idle, evicted, or at the end of input) instead of being
   * collected: memory then stays bounded by the live flows. The result's `flows` is empty in that case.
   */
  onFlow?: (row: FlowRow) => void;
  /** passed to the flow Analysis: finished flows as their state instead of rows (no onFlow then) */
  onFlowState?: AnalysisOptions['onFlowState'];
  /** passed to the flow Analysis: called per packet and IP layer, outer to inner, after accounting */
  onPacket?: AnalysisOptions['onPacket'];
  /** passed to the flow Analysis: which layers this run accounts (sharded runs; default all) */
  acceptLayer?: AnalysisOptions['acceptLayer'];
  /**
   * keep the application layer's problems (reassembly limits) out of the summary and return them apart in
   * `appProblems`: a sharded run's shards each have their own, merged by the caller
   */
  appProblemsApart?: boolean;
  /** passed to the flow Analysis: called for each finished flow before its row is emitted */
  onFlowEnd?: AnalysisOptions['onFlowEnd'];
  /**
   * run the application layer (TCP reassembly, dns/http/tls/... rows; default true); false leaves the app
   * tables empty and app_source as the port tables and heuristics decided
   */
  app?: boolean;
  /** application rows are handed here as they are found instead of being collected in the result */
  onRow?: AppRowSink;
  /** file extraction: transferred files' bytes, bounded, handed out with their rows */
  fileBytes?: FileBytesOptions;
  /** called for each record after the Analysis has taken it (the packet index hangs here) */
  onRecord?: (rec: PacketRecord) => void;
  /**
   * awaited between two chunks of input, once AFTER_CHUNK_BYTES of records were read since the last time: the
   * place for asynchronous work driven by the synchronous per-packet hooks (database batches, a worker's
   * posts), so it is paced by the reading and memory stays bounded
   */
  afterChunk?: () => Promise<void>;
  /** called once the input is read, before the live flows are finished (their ends are end-of-input ends) */
  onEndOfInput?: () => void;
  /** passed to the flow Analysis: called when a flow is created (keeps flow objects reusable) */
  onFlowStart?: AnalysisOptions['onFlowStart'];
  /**
   * threads for a flows-only run (onFlow, no hosts, no app layer, no per-packet hooks) of one large classic
   * pcap file: 2 or more splits it in two at a record boundary (parallel/range-split.ts), same rows and ids.
   * Default: PCAPLENS_FLOW_THREADS, else 1 (why: range-split.ts defaultThreads).
   */
  flowThreads?: number;
  /**
   * a split run (flowThreads) hands the flows of the part read by the worker thread to `onText` as the text
   * `encoder` makes of them (a module URL exporting `flowJsonTail(row): string`, run in the worker) instead of
   * to onFlow; every other flow goes to onFlow
   */
  flowText?: { encoder: string; onText: (id: number, text: string) => void };
  /** smallest file split over threads (default parallel/range-split.ts SPLIT_MIN_SIZE; tests lower it) */
  flowSplitMinSize?: number;
  /** where a split run cuts, as a fraction of the file (default parallel/range-split.ts CUT_FRACTION; tests) */
  flowSplitAt?: number;
  /** told whether a split run went ahead with two parts or was read on as one reader (tests, benchmarks) */
  onSplit?: (how: 'two-parts' | 'one-reader') => void;
  /** the first part of a split run (parallel/range-split.ts sets it) */
  rangeCut?: RangeCut;
}

/**
 * The first part of a byte-range split (parallel/range-split.ts): at the first record at or past `offset`,
 * `reached` says whether the run goes on past the cut accounting only its own live conversations
 * (Analysis.beginTail; the run then ends as soon as they are over) or reads on as one reader; `join` then adds
 * the other part's counts before the live flows finish and returns its records and reader problems.
 */
export interface RangeCut {
  offset: number;
  reached(analysis: Analysis, rec: Rec, records: number): Promise<boolean>;
  join(
    analysis: Analysis,
    stats: FileStats,
    readerProblems: readonly Problem[],
    readTo: number,
  ): Promise<{ records: number; problems: Problem[] }>;
}

/** dns, http, tls, dhcp, credentials, files, ssh: empty when streamed to onRow or with app: false */
export interface AnalyzeFilesResult extends AppRows {
  summary: CaptureSummary;
  flows: FlowRow[];
  hosts: HostRow[];
  /** pcapng Name Resolution Block entries of every file (address -> name), for host names */
  names: ResolvedName[];
  /** the application layer's problems, when asked for apart (appProblemsApart) */
  appProblems?: Problem[];
}

/**
 * Inputs read at once. A time-ordered merge keeps every input open with its own chunk buffer
 * (sources/open-capture-file.ts), so the count is capped; merge a very large set in batches (mergecap) first.
 */
export const MAX_FILES = 256;

/** Records between two progress/abort checks on the synchronous path. */
const CHECK_EVERY = 4096;
/**
 * captured bytes between two afterChunk calls: the size of a read chunk when files were read 4 MiB at a time,
 * which the hooks' batches and credits were tuned for (the import worker's posts: with one call per 256 KiB
 * chunk an import of the bench capture took 13.2 s instead of 11.5 s)
 */
export const AFTER_CHUNK_BYTES = 4 << 20;

interface Opened {
  index: number;
  source: ByteSource;
  reader: CaptureReader;
}

function problemOf(file: string, e: unknown): Problem {
  const code: ErrorCode = isPcaplensError(e) ? e.code : 'E_IO';
  let message = e instanceof Error ? e.message : String(e);
  // the sources prefix their messages with the path or its base name; the problem names the file already
  for (const prefix of [file + ': ', file.slice(file.lastIndexOf('/') + 1) + ': ']) {
    if (message.startsWith(prefix)) message = message.slice(prefix.length);
  }
  return { file, offset: 0, code, message };
}

function uniqueLinkTypes(reader: CaptureReader): number[] {
  const seen: number[] = [];
  for (const itf of reader.interfaces) if (!seen.includes(itf.linkType)) seen.push(itf.linkType);
  return seen;
}

export async function analyzeFiles(paths: string[], opts: AnalyzeOptions = {}): Promise<AnalyzeFilesResult> {
  if (paths.length === 0) throw new PcaplensError('E_USAGE', 'no capture file given');
  if (paths.length > MAX_FILES) {
    throw new PcaplensError(
      'E_LIMIT',
      `${paths.length} capture files given; at most ${MAX_FILES} are read together`,
    );
  }
  opts.signal?.throwIfAborted();
  const plan = await rangeSplitPlan(paths, opts, opts.flowSplitMinSize);
  if (plan) return analyzeFlowsRange(plan, opts, analyzeFiles);

  const infos: FileInfo[] = paths.map((name) => ({
    name,
    format: 'unknown',
    linkTypes: [],
    size: -1,
    problems: [],
  }));
  const opened: Opened[] = [];
  const openErrors: PcaplensError[] = [];
  try {
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i]!;
      try {
        const { source, reader } = await openCaptureFile(path, paths.length);
        opened.push({ index: i, source, reader });
        infos[i]!.size = source.size;
      } catch (e) {
        infos[i]!.problems.push(problemOf(path, e));
        openErrors.push(
          isPcaplensError(e) ? e : new PcaplensError('E_IO', `${path}: ${infos[i]!.problems[0]!.message}`),
        );
      }
    }
    if (opened.length === 0) throw openErrors[0]!;
    return await run(opened, infos, opts);
  } finally {
    for (const o of opened) await o.reader.close().catch(() => undefined);
  }
}

async function run(opened: Opened[], infos: FileInfo[], opts: AnalyzeOptions): Promise<AnalyzeFilesResult> {
  const stats = new FileStats(infos.length);
  // loaded only for a run with the application layer: a flows-only run starts without its ~100 modules
  const app =
    opts.app === false ? null : new (await import('./app-run.js')).AppRun(opts.onRow, opts.fileBytes);
  const analysis = new Analysis({
    idleTimeoutSec: opts.idleTimeoutSec,
    timeouts: opts.timeouts,
    maxFlows: opts.maxFlows,
    hosts: opts.hosts,
    onFlow: opts.onFlow,
    onFlowState: opts.onFlowState,
    onPacket: app ? app.onPacket(opts.onPacket) : opts.onPacket,
    onFlowEnd: app ? app.onFlowEnd(opts.onFlowEnd) : opts.onFlowEnd,
    acceptLayer: opts.acceptLayer,
    onFlowStart: opts.onFlowStart,
    fileNames: infos.map((i) => i.name),
  });
  // merged records carry the position in `opened`; map it back to the command-line position
  const indexOf = opened.map((o) => o.index);
  const reader = opened.length === 1 ? opened[0]!.reader : mergeReaders(opened.map((o) => o.reader));
  const bytesTotal = opened.reduce((s, o) => (s < 0 || o.source.size < 0 ? -1 : s + o.source.size), 0);
  const consumed = (): number => opened.reduce((s, o) => s + o.source.consumed, 0);
  const throttle = opts.onProgress
    ? new ProgressThrottle(opts.onProgress, opts.progressIntervalMs ?? 100)
    : null;
  const signal = opts.signal;

  const rec = new PacketRecord();
  let packets = 0;
  // captured bytes since afterChunk last ran
  let sinceChunk = 0;
  const cut = opts.rangeCut;
  let cutAt = cut ? cut.offset : Infinity;
  let tail = false;
  // past the cut: the file offset up to which this part read (its reader's problems cover that far)
  let readTo = Infinity;
  for (;;) {
    const s = reader.read(rec);
    if (s === READ_RECORD) {
      if (rec.fileOffset >= cutAt) {
        cutAt = Infinity;
        tail = await cut!.reached(analysis, rec, packets);
      }
      if (tail) {
        // past the cut: the other part counts these records; only this part's conversations go on
        analysis.addPacket(rec);
        if (analysis.tailOver) {
          readTo = rec.fileOffset;
          break;
        }
        if (rec.n % CHECK_EVERY === 0) signal?.throwIfAborted();
        continue;
      }
      rec.fileIndex = indexOf[rec.fileIndex] ?? rec.fileIndex;
      sinceChunk += rec.caplen;
      stats.add(rec);
      analysis.addPacket(rec);
      opts.onRecord?.(rec);
      if (++packets % CHECK_EVERY === 0) {
        signal?.throwIfAborted();
        throttle?.tick(consumed(), bytesTotal, packets, analysis.flowCount);
      }
    } else if (s === READ_NEED_MORE) {
      await reader.fill();
      if (opts.afterChunk && sinceChunk >= AFTER_CHUNK_BYTES) {
        sinceChunk = 0;
        await opts.afterChunk();
      }
      signal?.throwIfAborted();
      throttle?.tick(consumed(), bytesTotal, packets, analysis.flowCount);
    } else if (s === READ_END) {
      break;
    }
  }

  let otherProblems: Problem[] = [];
  if (tail) {
    const other = await cut!.join(analysis, stats, opened[0]!.reader.problems, readTo);
    packets += other.records;
    otherProblems = other.problems;
  }
  opts.onEndOfInput?.();
  const result = analysis.finish();
  for (const o of opened) {
    const info = infos[o.index]!;
    info.format = o.reader.format + (o.reader.compressed || o.source.compressed ? '+gzip' : '');
    info.linkTypes = uniqueLinkTypes(o.reader);
    // readers name files by base name; problems name the file as the user gave it
    for (const p of o.reader.problems) info.problems.push({ ...p, file: info.name });
  }
  infos[0]!.problems.push(...otherProblems);
  // decoding problems (unknown link type, fragment limits) belong to the file they were found in
  const appProblems = app ? app.problems(infos.map((i) => i.name)) : [];
  for (const p of opts.appProblemsApart ? result.problems : [...result.problems, ...appProblems])
    (infos.find((i) => i.name === p.file) ?? infos[0]!).problems.push(p);
  const files = infos.map((info, i) => stats.fileSummary(i, info));
  const problems: Problem[] = files.flatMap((f) => f.problems);
  if (packets === 0 && problems.length > 0 && files.every((f) => f.problems.length > 0)) {
    const first = problems[0]!;
    throw new PcaplensError(first.code, `no packet could be read: ${first.file}: ${first.message}`);
  }
  const span = stats.span();
  const summary: CaptureSummary = {
    files,
    packets,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    bytes_captured: stats.bytesCaptured.reduce((s, n) => s + n, 0),
    first_ts: span ? isoTime(span.first[0], span.first[1]) : null,
    last_ts: span ? isoTime(span.last[0], span.last[1]) : null,
    duration: span ? toSeconds(span.last[0] - span.first[0], span.last[1] - span.first[1]) : 0,
    protocols: result.protocols,
    flows: analysis.flowCount,
    hosts: result.hosts.length,
    problems,
  };
  throttle?.tick(consumed(), bytesTotal, packets, analysis.flowCount, true);
  const names = opened.flatMap((o) => o.reader.names);
  return {
    summary,
    flows: result.flows,
    hosts: result.hosts,
    names,
    ...(app ? app.rows : emptyAppRows()),
    ...(opts.appProblemsApart ? { appProblems } : {}),
  };
}
