/**
 * Follow stream: the payload of one conversation, each direction in order, as the two sides sent it. The
 * bytes are not kept anywhere between requests: each call reads the capture files again, picks the flow's
 * packets out of the same pipeline the import ran (so flow ids agree with the stored flows), reassembles TCP
 * afresh and returns the chunks. The read stops as soon as the flow is over (its end, or, for a stored
 * capture, its last packet by the stored counts).
 */
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

/** Packets of the flow by the stored counts, or null for files given directly (then unknown). */
async function storedPacketCount(source: CaptureSource, flowId: number): Promise<number | null> {
  if (!isStoredSource(source)) return null;
  const page = await source.store.page('flows', {
    captureId: source.captureId,
    filter: compileFilter(`flow.id == ${flowId}`, 'flows'),
    limit: 1,
  });
  const f = page.rows[0];
  if (!f) throw new PcaplensError('E_NOT_FOUND', `capture ${source.captureId} has no flow ${flowId}`);
  return f.packets_fwd + f.packets_rev;
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
  const direction = opts.direction ?? 'both';
  const expected = await storedPacketCount(source, flowId);
  const { paths } = await resolveCapture(source);
  const out = new Collector(
    (d) => direction === 'both' || DIR_NAME[d] === direction,
    Math.max(0, opts.maxBytes ?? DEFAULT_MAX_BYTES),
  );
  const seg = new TcpSegmentIn();
  let tcp: TcpReassembler | null = null;
  let seen = 0;
  let frames = 0;
  let found = false;
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const finishFlow = (flow: FlowState | null) => {
    if (flow !== null && flow.id !== flowId) return;
    tcp?.close();
    tcp = null;
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
        out.packet = frames + 1;
        out.ts = isoTime(rec.tsSec, rec.tsNsec);
        if (l.l4 === L4_TCP) {
          tcp ??= new TcpReassembler(out, new ReassemblyBudget(256 << 20));
          seg.dir = dir;
          seg.seq = l.tcpSeq;
          seg.ack = l.tcpAck;
          seg.flags = l.tcpFlags;
          seg.buf = l.pbuf;
          seg.off = l.payloadOff;
          seg.len = l.payloadLen;
          seg.packet = frames + 1;
          seg.fileIndex = rec.fileIndex;
          seg.frameOffset = rec.dataOffset;
          seg.payloadOffset = -1;
          seg.tsSec = rec.tsSec;
          seg.tsNsec = rec.tsNsec;
          tcp.segment(seg);
        } else if (l.l4 === L4_UDP || l.payloadLen > 0) {
          out.datagram(dir, l.pbuf.subarray(l.payloadOff, l.payloadOff + l.payloadLen));
        }
      },
    });
  } catch (e) {
    if (stop.signal.reason !== DONE) throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (!found && expected === null)
    throw new PcaplensError('E_NOT_FOUND', `the capture has no flow ${flowId}`);
  (tcp as TcpReassembler | null)?.close();
  return out.finish();
}
