/**
 * Per-flow TCP stream reassembly, both directions. In-order data is passed straight through as a view of the
 * packet buffer (no copy); only out-of-order pieces are copied and held, bounded per direction and across the
 * run (ReassemblyBudget). Overlaps keep the first copy seen (held pieces never overlap). A hole is declared a
 * gap when the peer acknowledges past it, when a limit forces it, or when the flow closes; a limit that forces
 * a gap is reported as a problem, never silently dropped.
 */
import {
  DEFAULT_LIMITS,
  ReassemblyBudget,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
  type Dir,
  type ReassemblyLimits,
  type ReassemblyProblem,
  type StreamRef,
  type StreamSink,
  type TcpSegmentIn,
} from './types.js';

interface Held {
  off: number;
  bytes: Uint8Array;
  packet: number;
  fileIndex: number;
  frameOffset: number;
  payloadOffset: number;
  tsSec: number;
  tsNsec: number;
}

/** Counters per direction, for the flow table and for tests. */
export class DirStats {
  /** bytes delivered in order */
  bytes = 0;
  /** bytes seen again (retransmitted or overlapping what was already delivered or held) */
  dupBytes = 0;
  /** segments that arrived ahead of the expected sequence number */
  outOfOrder = 0;
  gaps = 0;
  gapBytes = 0;
}

class DirState {
  started = false;
  ended = false;
  /** next expected sequence number (uint32) */
  next = 0;
  /** stream offset of next (bytes delivered + gap bytes); a JS number, so no wrap */
  offset = 0;
  /** stream offset of the FIN, -1 until seen */
  finOff = -1;
  held: Held[] = [];
  heldBytes = 0;
  readonly stats = new DirStats();
}

const MAX_PROBLEMS_PER_FLOW = 4;

export class TcpReassembler {
  private readonly dirs: [DirState, DirState] = [new DirState(), new DirState()];
  private readonly ref: StreamRef = {
    dir: 0,
    packet: 0,
    fileIndex: 0,
    frameOffset: 0,
    payloadOffset: 0,
    len: 0,
    streamOffset: 0,
  };
  private problems = 0;

  constructor(
    private readonly sink: StreamSink,
    private readonly budget: ReassemblyBudget = new ReassemblyBudget(),
    private readonly limits: ReassemblyLimits = DEFAULT_LIMITS,
    private readonly onProblem: ((p: ReassemblyProblem) => void) | null = null,
  ) {}

  stats(dir: Dir): DirStats {
    return this.dirs[dir].stats;
  }

  /** Bytes currently held out of order, both directions. */
  heldBytes(): number {
    return this.dirs[0].heldBytes + this.dirs[1].heldBytes;
  }

  /** Feeds one segment (data, flags, acknowledgement). */
  segment(s: TcpSegmentIn): void {
    const d = this.dirs[s.dir];
    const syn = (s.flags & TCP_SYN) !== 0;
    if (!d.started) {
      d.started = true;
      d.next = syn ? (s.seq + 1) >>> 0 : s.seq >>> 0;
    }
    if (!d.ended) {
      const dataSeq = syn ? (s.seq + 1) >>> 0 : s.seq >>> 0;
      if (s.len > 0) this.place(s.dir, d, dataSeq, s.buf, s.off, s.len, s, s.payloadOffset);
      if ((s.flags & TCP_FIN) !== 0 && d.finOff < 0) {
        const fin = d.offset + ((((dataSeq + s.len) >>> 0) - d.next) | 0);
        if (fin >= d.offset) {
          d.finOff = fin;
          if (fin === d.offset) this.finish(s.dir, d, 'fin');
        }
      }
      if ((s.flags & TCP_RST) !== 0) {
        this.flushHeld(s.dir, d);
        this.finish(s.dir, d, 'rst');
      }
    }
    if ((s.flags & TCP_ACK) !== 0) this.peerAck(s.dir === 0 ? 1 : 0, s.ack >>> 0);
  }

  /** The flow is over (idle timeout or end of capture): held data is delivered after its gaps, both ends close. */
  close(): void {
    for (const dir of [0, 1] as const) {
      const d = this.dirs[dir];
      this.flushHeld(dir, d);
      this.finish(dir, d, 'close');
    }
  }

  private finish(dir: Dir, d: DirState, reason: 'fin' | 'rst' | 'close'): void {
    if (d.ended) return;
    d.ended = true;
    this.release(d);
    this.sink.end(dir, reason);
  }

  /** The peer acknowledged ack for direction dir: holes it acknowledges were lost by the capture. */
  private peerAck(dir: Dir, ack: number): void {
    const d = this.dirs[dir];
    if (!d.started || d.ended || d.held.length === 0) return;
    const ackOff = d.offset + ((ack - d.next) | 0);
    while (d.held.length > 0 && ackOff > d.offset && d.held[0]!.off <= ackOff) this.skipToFirstHeld(dir, d);
  }

  private place(
    dir: Dir,
    d: DirState,
    seq: number,
    buf: Uint8Array,
    off: number,
    len: number,
    meta: TcpSegmentIn,
    payloadOffset: number,
  ): void {
    let rel = (seq - d.next) | 0;
    if (rel + len <= 0) {
      d.stats.dupBytes += len;
      return;
    }
    if (rel < 0) {
      d.stats.dupBytes -= rel;
      off -= rel;
      payloadOffset -= rel;
      len += rel;
      rel = 0;
    }
    if (rel === 0) {
      const h = d.held[0];
      if (h && h.off < d.offset + len) {
        // held bytes were seen first: deliver up to them, let them through, then place the rest again
        const head = h.off - d.offset;
        this.deliver(
          dir,
          d,
          buf,
          off,
          head,
          meta.packet,
          meta.fileIndex,
          meta.frameOffset,
          payloadOffset,
          meta.tsSec,
          meta.tsNsec,
        );
        this.drain(dir, d);
        if (!d.ended)
          this.place(dir, d, (seq + head) >>> 0, buf, off + head, len - head, meta, payloadOffset + head);
        return;
      }
      this.deliver(
        dir,
        d,
        buf,
        off,
        len,
        meta.packet,
        meta.fileIndex,
        meta.frameOffset,
        payloadOffset,
        meta.tsSec,
        meta.tsNsec,
      );
      this.drain(dir, d);
      return;
    }
    d.stats.outOfOrder++;
    const start = d.offset + rel;
    const L = this.limits;
    const tooFar = rel > L.maxAheadBytes;
    const overLimit = (): boolean =>
      d.heldBytes + len > L.maxHeldBytesPerDir ||
      d.held.length + 1 > L.maxHeldSegmentsPerDir ||
      this.budget.used + len > this.budget.maxTotalBytes;
    if (tooFar || overLimit()) {
      this.budget.limitHits++;
      this.problem(
        meta,
        tooFar
          ? `TCP segment ${rel} bytes ahead of the stream: the hole before it is recorded as a gap`
          : `TCP reassembly limit reached (held ${d.heldBytes} bytes in ${d.held.length} pieces, ${this.budget.used} in total): holes recorded as gaps`,
      );
      // give up the oldest hole(s) until the new piece fits or becomes in-order
      const stuck = (): boolean => start - d.offset > L.maxAheadBytes || overLimit();
      while (d.held.length > 0 && d.held[0]!.off < start && stuck()) this.skipToFirstHeld(dir, d);
      if (d.offset < start && stuck()) this.gapTo(dir, d, start);
      this.place(dir, d, seq, buf, off, len, meta, payloadOffset);
      return;
    }
    this.hold(d, start, buf, off, len, meta, payloadOffset);
  }

  /** Inserts the parts of [start, start+len) not already held (first copy wins), as copies. */
  private hold(
    d: DirState,
    start: number,
    buf: Uint8Array,
    off: number,
    len: number,
    meta: TcpSegmentIn,
    payloadOffset: number,
  ): void {
    const end = start + len;
    let cur = start;
    let i = 0;
    const held = d.held;
    while (i < held.length && held[i]!.off + held[i]!.bytes.length <= cur) i++;
    while (cur < end) {
      const h = held[i];
      const stop = h ? Math.min(end, h.off) : end;
      if (stop > cur) {
        const skip = cur - start;
        const piece: Held = {
          off: cur,
          bytes: buf.slice(off + skip, off + skip + (stop - cur)),
          packet: meta.packet,
          fileIndex: meta.fileIndex,
          frameOffset: meta.frameOffset,
          payloadOffset: payloadOffset + skip,
          tsSec: meta.tsSec,
          tsNsec: meta.tsNsec,
        };
        held.splice(i, 0, piece);
        i++;
        d.heldBytes += piece.bytes.length;
        this.budget.used += piece.bytes.length;
        if (this.budget.used > this.budget.peak) this.budget.peak = this.budget.used;
        cur = stop;
      }
      if (!h) break;
      const hEnd = h.off + h.bytes.length;
      if (hEnd > cur) {
        d.stats.dupBytes += Math.min(hEnd, end) - cur;
        cur = hEnd;
      }
      i++;
    }
  }

  private deliver(
    dir: Dir,
    d: DirState,
    buf: Uint8Array,
    off: number,
    len: number,
    packet: number,
    fileIndex: number,
    frameOffset: number,
    payloadOffset: number,
    tsSec: number,
    tsNsec: number,
  ): void {
    // bytes past a FIN are not part of the stream
    if (d.finOff >= 0 && d.offset + len > d.finOff) len = Math.max(0, d.finOff - d.offset);
    if (len > 0) {
      const r = this.ref;
      r.dir = dir;
      r.packet = packet;
      r.fileIndex = fileIndex;
      r.frameOffset = frameOffset;
      r.payloadOffset = payloadOffset;
      r.len = len;
      r.streamOffset = d.offset;
      d.offset += len;
      d.next = (d.next + len) >>> 0;
      d.stats.bytes += len;
      this.sink.data(dir, buf.subarray(off, off + len), r.streamOffset, r, tsSec, tsNsec);
    }
    if (d.finOff >= 0 && d.offset >= d.finOff) this.finish(dir, d, 'fin');
  }

  /** Delivers held pieces that became in-order. */
  private drain(dir: Dir, d: DirState): void {
    while (d.held.length > 0 && !d.ended) {
      const h = d.held[0]!;
      if (h.off > d.offset) return;
      d.held.shift();
      d.heldBytes -= h.bytes.length;
      this.budget.used -= h.bytes.length;
      const cut = d.offset - h.off;
      if (cut >= h.bytes.length) continue;
      this.deliver(
        dir,
        d,
        h.bytes,
        cut,
        h.bytes.length - cut,
        h.packet,
        h.fileIndex,
        h.frameOffset,
        h.payloadOffset + cut,
        h.tsSec,
        h.tsNsec,
      );
    }
  }

  private gapTo(dir: Dir, d: DirState, off: number): void {
    const len = off - d.offset;
    if (len <= 0) return;
    d.stats.gaps++;
    d.stats.gapBytes += len;
    this.sink.gap(dir, d.offset, len);
    d.offset = off;
    d.next = (d.next + len) >>> 0;
  }

  private skipToFirstHeld(dir: Dir, d: DirState): void {
    const h = d.held[0];
    if (!h) return;
    this.gapTo(dir, d, h.off);
    this.drain(dir, d);
  }

  private flushHeld(dir: Dir, d: DirState): void {
    while (d.held.length > 0 && !d.ended) this.skipToFirstHeld(dir, d);
    this.release(d);
  }

  private release(d: DirState): void {
    this.budget.used -= d.heldBytes;
    d.heldBytes = 0;
    d.held.length = 0;
  }

  private problem(meta: TcpSegmentIn, message: string): void {
    if (!this.onProblem || this.problems >= MAX_PROBLEMS_PER_FLOW) return;
    this.problems++;
    this.onProblem({ packet: meta.packet, fileIndex: meta.fileIndex, message });
  }
}
