/**
 * Follow stream: the payload of one conversation, each direction in order, as the two sides sent it. The
 * bytes are not kept anywhere between requests: each call reads them again and reassembles TCP afresh.
 *
 * A stored capture is read by its packet index: the flow's frames (packets.flow_id, in frame order) are read
 * by their file offsets and fed, alone, to the same flow pipeline the import ran, so the work is the
 * conversation's size, not the capture's. The answer is checked against the stored counts (every frame
 * found, read back with its stored lengths, accounted to one flow); when anything does not hold (gzip or
 * multi-link files, a tunnelled flow, fragments whose first pieces belong to no flow) it falls back to the
 * scan: the capture read from the start through the import's pipeline (so flow ids agree with the stored
 * flows) until the flow is over (its end, or its last packet by the stored counts). Files given directly are
 * always scanned.
 */
import { readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { PcaplensError } from '../shared/errors.js';
import { compileFilter } from '../shared/filter/index.js';
import { isoTime } from '../shared/time.js';
import { L4_TCP, L4_UDP } from '../dissect/dissector.js';
import {
  ReassemblyBudget,
  TcpSegmentIn,
  type Dir,
  type StreamRef,
  type StreamSink,
} from '../flow/reassembly/types.js';
import { TcpReassembler } from '../flow/reassembly/tcp-reassembler.js';
import type { FlowState } from '../flow/flow-state.js';
import type { NetLayer } from '../dissect/dissector.js';
import { Analysis } from '../flow/analysis.js';
import { pcapMagic } from '../wire/pcap.js';
import { PacketRecord } from '../wire/record.js';
import type { FlowRow } from '../shared/rows.js';
import type { CaptureRow, PacketIndexRow } from '../shared/store-rows.js';
import type { ColumnPages } from '../store/query-cache.js';
import type { Store } from '../store/store.js';
import { analyzeFiles } from './analyze-files.js';
import { isStoredSource, resolveCapture, type CaptureSource } from './capture-source.js';

export interface StreamChunk {
  /** fwd: sent by the flow's src (the side that sent first); rev: by its dst */
  direction: 'fwd' | 'rev';
  /** frame number (over the whole capture, as the packet index numbers frames) of the chunk's first byte */
  packet: number;
  /** time of that frame, ISO-8601 */
  ts: string;
  /** bytes of this direction never seen just before this chunk (capture loss); 0 normally */
  gap: number;
  /** payload: consecutive TCP data of one direction merged into one chunk; one chunk per UDP datagram */
  bytes: Uint8Array;
  /** set on the last chunk when the stream was cut at maxBytes */
  truncated?: boolean;
}

export interface FollowStreamOptions {
  direction?: 'both' | 'fwd' | 'rev';
  /** payload bytes returned at most (default 64 MiB); the rest is cut and the last chunk says so */
  maxBytes?: number;
  signal?: AbortSignal;
}

const DEFAULT_MAX_BYTES = 64 << 20;
const DIR_NAME = ['fwd', 'rev'] as const;
/** why the read stopped early: the flow is complete */
const DONE = new Error('flow complete');

class Collector implements StreamSink {
  readonly chunks: StreamChunk[] = [];
  private readonly gaps = [0, 0];
  /** the chunk being extended per direction, with its pieces */
  private open: { chunk: StreamChunk; parts: Uint8Array[]; len: number } | null = null;
  private total = 0;
  truncated = false;
  /** frame number and time of the packet being fed */
  packet = 0;
  ts = '';

  constructor(
    private readonly want: (dir: Dir) => boolean,
    private readonly maxBytes: number,
  ) {}

  /** TCP: consecutive data of one direction goes into one chunk. */
  data(dir: Dir, bytes: Uint8Array, _off: number, ref: StreamRef, tsSec: number, tsNsec: number): void {
    if (!this.want(dir) || bytes.length === 0) return;
    const o = this.open;
    if (o && o.chunk.direction === DIR_NAME[dir] && this.gaps[dir] === 0) {
      this.add(o, bytes);
      return;
    }
    this.start(dir, ref.packet, isoTime(tsSec, tsNsec), bytes);
  }

  gap(dir: Dir, _off: number, len: number): void {
    if (this.want(dir)) this.gaps[dir]! += len;
  }

  end(): void {}

  /** UDP (and any datagram flow): one chunk per datagram. */
  datagram(dir: Dir, bytes: Uint8Array): void {
    if (this.want(dir) && bytes.length > 0) this.start(dir, this.packet, this.ts, bytes);
    this.close();
  }

  private start(dir: Dir, packet: number, ts: string, bytes: Uint8Array): void {
    this.close();
    if (this.truncated) return;
    const chunk: StreamChunk = {
      direction: DIR_NAME[dir],
      packet,
      ts,
      gap: this.gaps[dir]!,
      bytes: new Uint8Array(0),
    };
    this.gaps[dir] = 0;
    this.open = { chunk, parts: [], len: 0 };
    this.add(this.open, bytes);
  }

  private add(o: { parts: Uint8Array[]; len: number }, bytes: Uint8Array): void {
    if (this.truncated) return;
    const n = Math.min(bytes.length, this.maxBytes - this.total);
    // the view is valid only during the call: copy
    if (n > 0) o.parts.push(bytes.slice(0, n));
    o.len += Math.max(0, n);
    this.total += Math.max(0, n);
    if (n < bytes.length) this.truncated = true;
  }

  close(): void {
    const o = this.open;
    if (!o) return;
    this.open = null;
    if (o.len === 0) return;
    const b = new Uint8Array(o.len);
    let at = 0;
    for (const p of o.parts) {
      b.set(p, at);
      at += p.length;
    }
    o.chunk.bytes = b;
    this.chunks.push(o.chunk);
  }

  finish(): StreamChunk[] {
    this.close();
    const last = this.chunks[this.chunks.length - 1];
    if (this.truncated && last) last.truncated = true;
    return this.chunks;
  }
}

/** Feeds one flow's packets (as the flow pipeline hands them over) to TCP reassembly or the datagram list. */
class StreamFeeder {
  private readonly seg = new TcpSegmentIn();
  private tcp: TcpReassembler | null = null;

  constructor(readonly out: Collector) {}

  /** `frame`: the packet's frame number over the whole capture */
  packet(dir: Dir, rec: PacketRecord, l: NetLayer, frame: number): void {
    const out = this.out;
    out.packet = frame;
    out.ts = isoTime(rec.tsSec, rec.tsNsec);
    if (l.l4 === L4_TCP) {
      this.tcp ??= new TcpReassembler(out, new ReassemblyBudget(256 << 20));
      const seg = this.seg;
      seg.dir = dir;
      seg.seq = l.tcpSeq;
      seg.ack = l.tcpAck;
      seg.flags = l.tcpFlags;
      seg.buf = l.pbuf;
      seg.off = l.payloadOff;
      seg.len = l.payloadLen;
      seg.packet = frame;
      seg.fileIndex = rec.fileIndex;
      seg.frameOffset = rec.dataOffset;
      seg.payloadOffset = -1;
      seg.tsSec = rec.tsSec;
      seg.tsNsec = rec.tsNsec;
      this.tcp.segment(seg);
    } else if (l.l4 === L4_UDP || l.payloadLen > 0) {
      out.datagram(dir, l.pbuf.subarray(l.payloadOff, l.payloadOff + l.payloadLen));
    }
  }

  /** The flow is over: what reassembly still holds is delivered. */
  close(): void {
    this.tcp?.close();
    this.tcp = null;
  }
}

/** The stored flow row, or E_NOT_FOUND. */
async function storedFlow(store: Store, captureId: number, flowId: number): Promise<FlowRow> {
  const page = await store.page('flows', {
    captureId,
    filter: compileFilter(`flow.id == ${flowId}`, 'flows'),
    limit: 1,
  });
  const f = page.rows[0];
  if (!f) throw new PcaplensError('E_NOT_FOUND', `capture ${captureId} has no flow ${flowId}`);
  return f;
}

/**
 * The payload of flow `flowId` of a capture (files, or a stored capture whose kept files are re-read), in
 * capture order: TCP reassembled per direction (retransmissions and overlaps once, gaps counted), UDP per
 * datagram. Throws E_NOT_FOUND when the capture has no such flow.
 */
export async function followStream(
  source: CaptureSource,
  flowId: number,
  opts: FollowStreamOptions = {},
): Promise<StreamChunk[]> {
  if (!Number.isSafeInteger(flowId) || flowId < 1)
    throw new PcaplensError('E_USAGE', `flow id must be a positive whole number, not ${flowId}`);
  if (isStoredSource(source)) {
    const flow = await storedFlow(source.store, source.captureId, flowId);
    const byIndex = await followByIndex(source, flow, opts);
    if (byIndex) return byIndex;
    return followByScan(source, flowId, flow.packets_fwd + flow.packets_rev, opts);
  }
  return followByScan(source, flowId, null, opts);
}

function collectorFor(opts: FollowStreamOptions): Collector {
  const direction = opts.direction ?? 'both';
  return new Collector(
    (d) => direction === 'both' || DIR_NAME[d] === direction,
    Math.max(0, opts.maxBytes ?? DEFAULT_MAX_BYTES),
  );
}

const INDEX_COLUMNS = ['n', 'ts', 'file_index', 'file_offset', 'caplen', 'len'] as const;
/** Index rows asked for at once (keyset pages by frame number). */
const INDEX_PAGE = 16384;
/** Frames of one file closer than this are read with one positioned read. */
const READ_JOIN_GAP = 8 << 10;
/** A joined read spans this much at most. */
const READ_SPAN_MAX = 4 << 20;
/** Classic pcap record header: ts_sec, ts_frac, incl_len, orig_len. */
const PCAP_RECORD_HEADER = 16;

/** How a kept file's frames are read at their offsets; null when they cannot be (then the scan reads it). */
interface IndexedFile {
  fh: FileHandle;
  linkType: number;
  /** classic pcap: the record header before each frame is read too (time, lengths checked) */
  pcap: { le: boolean; nano: boolean } | null;
}

async function openIndexed(path: string, capture: CaptureRow): Promise<IndexedFile | null> {
  const fh = await open(path, 'r');
  try {
    const head = new Uint8Array(24);
    const { bytesRead } = await fh.read(head, 0, 24, 0);
    const magic = bytesRead >= 24 ? pcapMagic(head, 0) : null;
    if (magic) {
      const v = new DataView(head.buffer);
      const linkType = v.getUint32(20, magic.littleEndian) & 0xffff;
      return { fh, linkType, pcap: { le: magic.littleEndian, nano: magic.nanosecond } };
    }
    // pcapng with one link type (else the interface of each block decides)
    if (head[0] === 0x0a && head[1] === 0x0d && head[2] === 0x0d && head[3] === 0x0a) {
      if (capture.link_types.length === 1) return { fh, linkType: capture.link_types[0]!, pcap: null };
    }
  } catch {
    // unreadable here: the scan says why
  }
  await fh.close();
  return null;
}

/** Frames of one file read together, and their index rows list[from, to). */
interface Span {
  file: IndexedFile;
  from: number;
  to: number;
  start: number;
  end: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** The index's ISO time back to (seconds, nanoseconds); null when it is not the form isoTime writes. */
function parseIso(ts: string): [number, number] | null {
  const m = ISO.exec(ts);
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (!Number.isFinite(ms)) return null;
  const nsec = m[7] ? Number(m[7].padEnd(9, '0')) : 0;
  return [ms / 1000, nsec];
}

/**
 * Follow stream by the packet index (see the top of this file); null when the answer cannot be trusted to
 * equal the scan's, for the caller to scan instead.
 */
async function followByIndex(
  source: { store: Store; dataDir: string; captureId: number },
  flow: FlowRow,
  opts: FollowStreamOptions,
): Promise<StreamChunk[] | null> {
  const expected = flow.packets_fwd + flow.packets_rev;
  // a tunnelled conversation shares its frames with the outer one: which layer is it? The scan knows.
  if (expected === 0 || (flow.tunnel_depth ?? 0) !== 0) return null;
  const { paths, capture } = await resolveCapture(source);
  if (!capture) return null;
  const files = new Map<number, IndexedFile | null>();
  const out = collectorFor(opts);
  const feeder = new StreamFeeder(out);
  let target = 0;
  let seen = 0;
  let frame = 0;
  const analysis = new Analysis({
    hosts: false,
    onFlow: () => {},
    onPacket: (_pkt, f, dir, rec, l) => {
      if (f === null) return;
      // the first layer of the flow's first frame is the outermost: the stored flow (tunnel depth 0)
      if (target === 0) target = f.id;
      // another conversation in the flow's frames: an inner (tunnelled) layer; anything else shows as a
      // count that differs from the stored one
      if (f.id !== target) return;
      seen++;
      if (l === null) return;
      feeder.packet(dir, rec, l, frame);
    },
  });
  const rec = new PacketRecord();
  let scratch = new Uint8Array(64 << 10);
  /** Feeds a span's frames to the flow pipeline; false when the bytes are not what the index says. */
  const feedSpan = (sp: Span, buf: Uint8Array, list: PacketIndexRow[]): boolean => {
    const f = sp.file;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let k = sp.from; k < sp.to; k++) {
      const r = list[k]!;
      const off = r.file_offset - sp.start;
      if (f.pcap) {
        const h = off - PCAP_RECORD_HEADER;
        const le = f.pcap.le;
        // the index must describe this very record
        if (view.getUint32(h + 8, le) !== r.caplen || view.getUint32(h + 12, le) !== r.len) return false;
        rec.tsSec = view.getUint32(h, le);
        const frac = view.getUint32(h + 4, le);
        rec.tsNsec = f.pcap.nano ? frac : frac * 1000;
        if (rec.tsNsec >= 1e9) return false;
      } else {
        const t = parseIso(r.ts);
        if (!t) return false;
        [rec.tsSec, rec.tsNsec] = t;
      }
      // (a narrow page of pcap frames carries no ts: the record header's lengths were checked instead)
      if (r.ts !== undefined && isoTime(rec.tsSec, rec.tsNsec) !== r.ts) return false;
      rec.fileIndex = r.file_index;
      rec.n = 0;
      rec.fileOffset = f.pcap ? r.file_offset - PCAP_RECORD_HEADER : r.file_offset;
      rec.dataOffset = r.file_offset;
      rec.hasTs = true;
      rec.caplen = r.caplen;
      rec.len = r.len;
      rec.linkType = f.linkType;
      rec.interfaceId = 0;
      rec.buf = buf;
      rec.off = off;
      rec.comment = null;
      frame = r.n;
      analysis.addPacket(rec);
      if (out.truncated) return true;
    }
    return true;
  };
  const filter = compileFilter(`flow.id == ${flow.id}`, 'packets');
  const narrow = (source.store as Partial<ColumnPages>).pageColumns;
  for (let i = 0; i < paths.length; i++) files.set(i, await openIndexed(paths[i]!, capture));
  // classic pcap gives each frame's time in its record header (the index's text is not needed)
  const allPcap = [...files.values()].every((f) => f?.pcap);
  const columns = allPcap ? INDEX_COLUMNS.filter((c) => c !== 'ts') : INDEX_COLUMNS;
  try {
    let after = 0;
    let rows = 0;
    for (;;) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      const q = {
        captureId: capture.id,
        filter: after
          ? compileFilter(`flow.id == ${flow.id} and frame.number > ${after}`, 'packets')
          : filter,
        sort: [{ column: 'n', desc: false }],
        limit: INDEX_PAGE,
      };
      // the SQL stores read only the columns used, and no total
      const list = (
        narrow
          ? await narrow.call(source.store, 'packets', q, columns)
          : (await source.store.page('packets', q)).rows
      ) as PacketIndexRow[];
      if (list.length === 0) break;
      rows += list.length;
      if (rows > expected) return null;
      // frames of one file close together: one read; reads of a page run a few at a time, fed in order
      const spans: Span[] = [];
      for (let i = 0; i < list.length;) {
        const first = list[i]!;
        const f = files.get(first.file_index);
        if (!f) return null;
        const pre = f.pcap ? PCAP_RECORD_HEADER : 0;
        const start = first.file_offset - pre;
        let j = i + 1;
        let end = first.file_offset + first.caplen;
        while (j < list.length) {
          const r = list[j]!;
          if (r.file_index !== first.file_index || r.file_offset - pre < end) break;
          if (r.file_offset - pre - end > READ_JOIN_GAP || r.file_offset + r.caplen - start > READ_SPAN_MAX)
            break;
          end = r.file_offset + r.caplen;
          j++;
        }
        if (start < 0 || end - start > READ_SPAN_MAX + (1 << 20)) return null;
        spans.push({ file: f, from: i, to: j, start, end });
        i = j;
      }
      // positioned reads into one reused buffer, synchronously: a page is a few thousand small reads from
      // the page cache, whose cost through the thread pool (a request, a promise, a buffer each) was several
      // times the read; the event loop is given back between pages
      for (const sp of spans) {
        const len = sp.end - sp.start;
        if (scratch.length < len) scratch = new Uint8Array(Math.max(len, scratch.length * 2));
        if (readSync(sp.file.fh.fd, scratch, 0, len, sp.start) !== len) return null;
        if (!feedSpan(sp, scratch, list)) return null;
        // past maxBytes nothing more is kept: the rest need not be read
        if (out.truncated) break;
      }
      await new Promise<void>((r) => setImmediate(r));
      after = list[list.length - 1]!.n;
      if (out.truncated || list.length < INDEX_PAGE) break;
    }
    if (!out.truncated && (rows !== expected || seen !== expected)) return null;
  } finally {
    for (const f of files.values()) await f?.fh.close().catch(() => undefined);
  }
  feeder.close();
  return out.finish();
}

/** Follow stream by reading the capture from its start (files given directly, or when the index cannot). */
async function followByScan(
  source: CaptureSource,
  flowId: number,
  expected: number | null,
  opts: FollowStreamOptions,
): Promise<StreamChunk[]> {
  const { paths } = await resolveCapture(source);
  const out = collectorFor(opts);
  const feeder = new StreamFeeder(out);
  let seen = 0;
  let frames = 0;
  let found = false;
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const finishFlow = (flow: FlowState | null) => {
    if (flow !== null && flow.id !== flowId) return;
    feeder.close();
    if (!stop.signal.aborted) stop.abort(DONE);
  };
  try {
    await analyzeFiles(paths, {
      app: false,
      hosts: false,
      signal: stop.signal,
      // flows are not wanted: streamed to nowhere rather than collected
      onFlow: () => {},
      onRecord: () => {
        frames++;
        if (expected !== null && seen >= expected) finishFlow(null);
      },
      onFlowEnd: (flow) => finishFlow(flow),
      onPacket: (_pkt, flow, dir, rec, l) => {
        if (flow === null || flow.id !== flowId || stop.signal.aborted) return;
        found = true;
        seen++;
        if (l === null) return;
        feeder.packet(dir, rec, l, frames + 1);
      },
    });
  } catch (e) {
    if (stop.signal.reason !== DONE) throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (!found && expected === null)
    throw new PcaplensError('E_NOT_FOUND', `the capture has no flow ${flowId}`);
  feeder.close();
  return out.finish();
}

/** For tests: the scan, whatever the source (the answer the index path must equal). */
export function followStreamByScan(
  source: CaptureSource,
  flowId: number,
  opts: FollowStreamOptions = {},
): Promise<StreamChunk[]> {
  return followByScan(source, flowId, null, opts);
}

/** For tests: the index path alone (null when it would fall back to the scan). */
export async function followStreamByIndex(
  source: { store: Store; dataDir: string; captureId: number },
  flowId: number,
  opts: FollowStreamOptions = {},
): Promise<StreamChunk[] | null> {
  return followByIndex(source, await storedFlow(source.store, source.captureId, flowId), opts);
}
