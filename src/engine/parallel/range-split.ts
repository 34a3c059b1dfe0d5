/**
 * `flows` on two cores: a flows-only run (no host table, no application layer, rows streamed to onFlow) of one
 * large classic pcap file is cut in two at a record boundary. A worker thread reads the part after the cut
 * (range-part.ts) while this thread reads the part before it; nothing is read or decoded twice except what the
 * hand-over below needs.
 *
 * The hand-over is exact, so the rows and ids are those of one reader (only the order rows are written in may
 * differ: sort by id):
 * - Conversations live at the cut stay this thread's. Past the cut it reads on, decoding every record to keep
 *   the capture clock, but accounts only those conversations (Analysis.beginTail), each until it has been
 *   silent for longer than any timeout; then every reader agrees it has no live flow, and the key is given up.
 *   The worker's flows of a kept key that start before it was given up are dropped: this thread counted them.
 * - The worker starts with a fresh clock; that agrees with one reader when its first record is not older than
 *   this thread's clock at the cut (and no clock jump is pending). Otherwise, and when IP fragments wait for
 *   the rest of their datagram at the cut, or a flow was evicted, this thread reads on as one reader and the
 *   worker's work is dropped.
 * - Ids follow creation order: this part's flows keep theirs; the worker's kept flows and the flows this thread
 *   created past the cut are numbered after them by their creation position (file offset, IP layer).
 * - Counts (packets, protocols, problems...) are the sum of the two parts (Analysis.absorb, FileStats.absorb).
 *
 * The worker writes its rows' texts to a spill file rather than holding them (memory stays bounded by live
 * flows); they are written out with their ids once both parts are done.
 */
import { tmpdir } from 'node:os';
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { PcaplensError, type ErrorCode } from '../../shared/errors.js';
import type { Problem } from '../../shared/problem.js';
import type { FlowRow } from '../../shared/rows.js';
import type { Analysis } from '../../flow/analysis.js';
import { FlowKey } from '../../flow/flow-key.js';
import { keyFromWords } from '../../flow/flow-state.js';
import { HARD_MAX_RECORD, maxPacketFor } from '../../wire/link-types.js';
import { PCAP_HEADER_LEN, PCAP_RECORD_HEADER_LEN, pcapMagic, type PcapHeader } from '../../wire/pcap.js';
import type { PacketRecord } from '../../wire/record.js';
import type { AnalyzeFilesResult, AnalyzeOptions } from '../analyze-files.js';
import type { FileStats } from '../file-stats.js';
import { POS_LAYERS, type RangePartResult } from './range-part.js';
import type { RangePartMessage, RangePartWorkerData } from './range-part-worker.js';
import { workerEntry } from './worker-thread.js';

/** Plain files from this size on are split (a worker costs ~0.1 s to start). */
export const SPLIT_MIN_SIZE = 64 * 1024 * 1024;
/**
 * Where the cut goes, as a fraction of the file: this thread also decodes the records past the cut while
 * conversations of its part live on, so it takes the smaller part.
 */
export const CUT_FRACTION = 0.45;
/** Consecutive plausible record headers that make a cut. */
const RESYNC_CHAIN = 16;
const RESYNC_WINDOW = 8 * 1024 * 1024;

/** What a split run needs: the file, its header and where the worker's part starts. */
export interface RangePlan {
  path: string;
  size: number;
  header: PcapHeader;
  cut: number;
}

/**
 * PCAPLENS_FLOW_THREADS, else 1. Measured on the 1 GiB bench capture with both cores idle (bench/README.md,
 * 2026-11-22 23:52): 4.6-4.7 s wall for two parts against 4.6-4.9 s for one reader, at 7.4 s of CPU against
 * 5.1 s and 234 MB of peak RSS against 140 MB. Past the cut the first part still reads every record and
 * accounts the conversations live at the cut (12 % of the records past it), and on two cores the second thread
 * also takes the core V8's garbage collector uses beside a single reader. So the split is there to be switched on
 * (more cores, a slower disk), not the default.
 */
export function defaultFlowThreads(): number {
  const env = Number(process.env.PCAPLENS_FLOW_THREADS);
  return Number.isInteger(env) && env >= 1 ? env : 1;
}

/** The classic pcap header at the start of `b`, or null for anything else (pcapng, gzip...). */
function pcapHeaderOf(b: Uint8Array): PcapHeader | null {
  const magic = pcapMagic(b, 0);
  if (magic === null) return null;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = magic.littleEndian;
  if (v.getUint16(4, le) !== 2) return null;
  const linkTypeField = v.getUint32(20, le);
  return {
    littleEndian: le,
    nanosecond: magic.nanosecond,
    versionMajor: 2,
    versionMinor: v.getUint16(6, le),
    snaplen: v.getUint32(16, le),
    linkType: linkTypeField & 0xffff,
    linkTypeField,
  };
}

/**
 * The offset of a record boundary at or after `from` in `b` (bytes of the file from `base`): the first place
 * where RESYNC_CHAIN record headers in a row are plausible (lengths within the reader's limits, a sub-second
 * field below one second, times within a day of each other and of the file's first record). -1 if none.
 * The first part checks the guess: it must meet a record starting exactly there.
 */
export function findRecordBoundary(
  b: Uint8Array,
  base: number,
  from: number,
  h: PcapHeader,
  firstSec: number,
): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = h.littleEndian;
  const fracMax = h.nanosecond ? 1e9 : 1e6;
  const maxCaplen = Math.min(HARD_MAX_RECORD, Math.max(maxPacketFor(h.linkType), h.snaplen));
  const plausible = (o: number, prevSec: number): number => {
    const sec = v.getUint32(o, le);
    const caplen = v.getUint32(o + 8, le);
    const len = v.getUint32(o + 12, le);
    if (v.getUint32(o + 4, le) >= fracMax || caplen > maxCaplen || caplen > len || len > HARD_MAX_RECORD)
      return -1;
    if (Math.abs(sec - prevSec) > 86400 || sec + 86400 < firstSec) return -1;
    return sec;
  };
  for (let o = from - base; o + PCAP_RECORD_HEADER_LEN <= b.length; o++) {
    let at = o;
    let prev = firstSec;
    let n = 0;
    for (; n < RESYNC_CHAIN && at + PCAP_RECORD_HEADER_LEN <= b.length; n++) {
      const sec = plausible(at, n === 0 ? v.getUint32(o, le) : prev);
      if (sec < 0) break;
      prev = sec;
      at += PCAP_RECORD_HEADER_LEN + v.getUint32(at + 8, le);
    }
    if (n === RESYNC_CHAIN) return base + o;
  }
  return -1;
}

/**
 * A split plan for this run, or null for the single-thread path: two threads or more asked for (flowThreads or
 * PCAPLENS_FLOW_THREADS), a flows-only run with no per-packet hooks, one classic pcap file of at least `minSize` bytes, and
 * a record boundary found near the cut.
 */
export async function rangeSplitPlan(
  paths: readonly string[],
  o: AnalyzeOptions,
  minSize = SPLIT_MIN_SIZE,
): Promise<RangePlan | null> {
  const threads = Math.floor(o.flowThreads ?? defaultFlowThreads());
  if (threads <= 1 || paths.length !== 1 || !o.onFlow || o.hosts !== false || o.app !== false) return null;
  if (o.onPacket || o.onFlowEnd || o.onRecord || o.onRow || o.acceptLayer || o.afterChunk || o.onEndOfInput)
    return null;
  if (o.onFlowStart || o.maxFlows !== undefined || o.rangeCut) return null;
  const path = paths[0]!;
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return null; // the single-thread path reports it
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size < Math.max(minSize, 2 * PCAP_HEADER_LEN)) return null;
    const head = new Uint8Array(PCAP_HEADER_LEN + PCAP_RECORD_HEADER_LEN);
    if ((await fh.read(head, 0, head.length, 0)).bytesRead < head.length) return null;
    const header = pcapHeaderOf(head);
    if (header === null) return null;
    const firstSec = new DataView(head.buffer).getUint32(PCAP_HEADER_LEN, header.littleEndian);
    const from = Math.max(PCAP_HEADER_LEN, Math.floor(st.size * (o.flowSplitAt ?? CUT_FRACTION)));
    const window = new Uint8Array(Math.min(RESYNC_WINDOW, st.size - from));
    const { bytesRead } = await fh.read(window, 0, window.length, from);
    const cut = findRecordBoundary(window.subarray(0, bytesRead), from, from, header, firstSec);
    if (cut < 0) return null;
    return { path, size: st.size, header, cut };
  } finally {
    await fh.close();
  }
}

const here = import.meta.url;

/** The reader's once-per-file warnings: a second part must not say them again. */
const ONCE_PER_FILE = [/more than the file's snapshot length/, /more than its original length/];

/**
 * The worker's reader problems as one reader would have them: those past `readTo` (this thread's reader saw and
 * reported the ones before, numbered over the whole file), record numbers over the whole file.
 */
function shiftProblems(
  ps: Problem[],
  records: number,
  mine: readonly Problem[],
  file: string,
  readTo: number,
): Problem[] {
  const out: Problem[] = [];
  for (const p of ps) {
    if (p.offset <= readTo) continue;
    if (ONCE_PER_FILE.some((re) => re.test(p.message) && mine.some((m) => re.test(m.message)))) continue;
    const q: Problem = {
      ...p,
      file,
      message: p.message
        .replace(/\brecord (\d+)/g, (_, n: string) => `record ${Number(n) + records}`)
        .replace(/\bafter (\d+) packets/g, (_, n: string) => `after ${Number(n) + records} packets`),
    };
    if (p.packet !== undefined) q.packet = p.packet + records;
    out.push(q);
  }
  return out;
}

/** Every line of a spill file (range-part.ts), in order. */
function forEachSpillLine(path: string, each: (line: number, text: string) => void): void {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(1 << 20);
    let have = 0;
    let pos = 0;
    let line = 0;
    for (;;) {
      if (have === buf.length) {
        const next = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(next, 0, 0, have);
        buf = next;
      }
      const n = readSync(fd, buf, have, buf.length - have, pos);
      pos += n;
      have += n;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0 && nl < have; nl = buf.indexOf(10, start)) {
        each(line++, buf.toString('utf8', start, nl));
        start = nl + 1;
      }
      buf.copy(buf, 0, start, have);
      have -= start;
      if (n === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * analyzeFiles for a flows-only run of one file split at `plan.cut` (see the module comment). `single` is the
 * single-thread run with the cut hooks (analyze-files.ts), called back so this module does not repeat it.
 */
export async function analyzeFlowsRange(
  plan: RangePlan,
  o: AnalyzeOptions,
  single: (paths: string[], o: AnalyzeOptions) => Promise<AnalyzeFilesResult>,
): Promise<AnalyzeFilesResult> {
  const onFlow = o.onFlow!;
  const text = o.flowText;
  const spillPath = join(tmpdir(), `pcaplens-flows-${process.pid}-${randomBytes(6).toString('hex')}.spill`);
  const entry = workerEntry(here, 'range-part-worker');
  const worker = new Worker(entry.src, {
    workerData: {
      path: plan.path,
      size: plan.size,
      header: plan.header,
      cut: plan.cut,
      spillPath,
      ...(text ? { encoder: text.encoder } : {}),
      ...(o.timeouts ? { timeouts: o.timeouts } : {}),
      ...(o.idleTimeoutSec !== undefined ? { idleTimeoutSec: o.idleTimeoutSec } : {}),
    } satisfies RangePartWorkerData,
    eval: entry.eval,
  });
  let firstOk!: (t: { sec: number }) => void;
  const first = new Promise<{ sec: number }>((ok) => (firstOk = ok));
  let doneOk!: (r: RangePartResult) => void;
  let doneFail!: (e: Error) => void;
  const done = new Promise<RangePartResult>((ok, fail) => ((doneOk = ok), (doneFail = fail)));
  let ended = false;
  worker.on('message', (m: RangePartMessage) => {
    if (m.t === 'first') firstOk({ sec: m.sec });
    else if (m.t === 'done') {
      ended = true;
      doneOk(m.result);
    } else {
      ended = true;
      firstOk({ sec: -1 });
      doneFail(m.code ? new PcaplensError(m.code as ErrorCode, m.message) : new Error(m.message));
    }
  });
  worker.on('error', (e) => {
    ended = true;
    firstOk({ sec: -1 });
    doneFail(e);
  });
  worker.on('exit', (code) => {
    firstOk({ sec: -1 });
    if (!ended) doneFail(new Error(`flows worker exited with ${code}`));
  });
  done.catch(() => undefined); // awaited only when the split goes ahead

  // set at the cut and at the join (closures: a state object keeps the compiler's narrowing out of the way)
  const st: {
    analysis: Analysis | null;
    tailing: boolean;
    ownFlows: number;
    ownRecords: number;
    other: RangePartResult | null;
  } = { analysis: null, tailing: false, ownFlows: 0, ownRecords: 0, other: null };
  const held: { pos: number; row: FlowRow }[] = [];
  const heldPos = new Map<number, number>();
  try {
    const result = await single([plan.path], {
      ...o,
      flowThreads: 1,
      onFlowStart: (f, rec, layer) => {
        if (st.tailing) heldPos.set(f.id, rec.fileOffset * POS_LAYERS + layer);
      },
      onFlow: (row) => {
        if (st.tailing && row.id > st.ownFlows) held.push({ pos: heldPos.get(row.id)!, row });
        else onFlow(row);
      },
      rangeCut: {
        offset: plan.cut,
        reached: async (a: Analysis, rec: PacketRecord, records: number) => {
          const { sec } = await first;
          const c = a.cutClock();
          const go =
            rec.fileOffset !== plan.cut || sec < 0 || c.jumpPending || sec < c.clock || sec - c.clock > 86400
              ? false
              : a.beginTail();
          if (!go) {
            // read on as one reader; the worker's part would not be used
            void worker.terminate();
            o.onSplit?.('one-reader');
            return false;
          }
          o.onSplit?.('two-parts');
          st.analysis = a;
          st.ownFlows = a.flowCount;
          st.ownRecords = records;
          st.tailing = true;
          return true;
        },
        join: async (a: Analysis, stats: FileStats, mine: readonly Problem[], readTo: number) => {
          const other = await done;
          st.other = other;
          a.absorb(other.analysis, st.ownRecords);
          stats.absorb(0, other.file);
          return {
            records: other.records,
            problems: shiftProblems(other.problems, st.ownRecords, mine, plan.path, readTo),
          };
        },
      },
    });
    // read as one reader: the worker's part is not used
    if (!st.tailing || st.other === null || st.analysis === null) return result;
    const b = st.other;
    const ownFlows = st.ownFlows;
    const tail = st.analysis;
    // the worker's flows that are not this thread's, and the flows this thread created past the cut, numbered
    // together by creation position after this part's own
    const key = new FlowKey();
    const keptLines: number[] = [];
    for (let line = 0; line < b.flows; line++) {
      const id = b.ids[line]!;
      keyFromWords(key, b.keyWords, id * 5, b.keyHi.get(id) ?? null);
      if (!(b.posById[id]! < tail.tailKeyEnd(key) * POS_LAYERS)) keptLines.push(line);
    }
    // kept worker lines are 0..n-1 of `order`, held rows n..; sorted by creation position
    const n = keptLines.length;
    const order = Array.from({ length: n + held.length }, (_, i) => i);
    const posOf = (i: number) => (i < n ? b.posById[b.ids[keptLines[i]!]!]! : held[i - n]!.pos);
    order.sort((x, y) => posOf(x) - posOf(y));
    const idOfLine = new Int32Array(b.flows);
    for (let i = 0; i < order.length; i++) {
      const k = order[i]!;
      if (k < n) idOfLine[keptLines[k]!] = ownFlows + 1 + i;
      else held[k - n]!.row.id = ownFlows + 1 + i;
    }
    forEachSpillLine(spillPath, (line, t) => {
      const id = idOfLine[line]!;
      if (id === 0) return;
      if (text) text.onText(id, t);
      else onFlow({ ...(JSON.parse(t) as FlowRow), id });
    });
    for (const h of held) onFlow(h.row);
    return { ...result, summary: { ...result.summary, flows: ownFlows + order.length } };
  } finally {
    await worker.terminate();
    rmSync(spillPath, { force: true });
  }
}
