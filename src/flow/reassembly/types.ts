/** Contracts of TCP reassembly: what goes in per segment, what comes out per in-order chunk. */

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;

/** 0 = client to server (the flow's src side), 1 = the reverse */
export type Dir = 0 | 1;

/**
 * One TCP segment as handed to the reassembler. The engine keeps one instance and refills it per packet, so
 * the hot path allocates nothing. payload bytes are buf[off, off + len), valid only during the call.
 */
export class TcpSegmentIn {
  dir: Dir = 0;
  seq = 0;
  ack = 0;
  flags = 0;
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  len = 0;
  /** frame number (1-based, within its file) and the file it came from */
  packet = 0;
  fileIndex = 0;
  /** byte offset of the frame's first byte in the (decompressed) capture stream (PacketRecord.dataOffset) */
  frameOffset = 0;
  /** offset of the TCP payload's first byte inside the frame */
  payloadOffset = 0;
  tsSec = 0;
  tsNsec = 0;
}

/**
 * Where a piece of the reassembled stream lives in the capture, so follow-stream can re-read it from the file
 * rather than keep it: bytes [streamOffset, streamOffset + len) of direction dir are the frame's bytes
 * [payloadOffset, payloadOffset + len), i.e. file bytes [frameOffset + payloadOffset, ... + len).
 */
export interface StreamRef {
  dir: Dir;
  packet: number;
  fileIndex: number;
  frameOffset: number;
  payloadOffset: number;
  len: number;
  streamOffset: number;
}

/** Receives the reassembled streams. Bytes are a view valid only during the call (copy to keep). */
export interface StreamSink {
  /** in-order bytes of direction dir starting at streamOffset (bytes counted from the stream start, gaps included) */
  data(
    dir: Dir,
    bytes: Uint8Array,
    streamOffset: number,
    ref: StreamRef,
    tsSec: number,
    tsNsec: number,
  ): void;
  /** len bytes at streamOffset were never seen (capture loss, or given up under a memory limit) */
  gap(dir: Dir, streamOffset: number, len: number): void;
  /** the direction ended: FIN reached in order, RST, or the flow was closed by the engine */
  end(dir: Dir, reason: 'fin' | 'rst' | 'close'): void;
}

export interface ReassemblyLimits {
  /** out-of-order bytes held per direction */
  maxHeldBytesPerDir: number;
  /** out-of-order pieces held per direction */
  maxHeldSegmentsPerDir: number;
  /** a segment further ahead than this is not held: the hole before it is declared a gap */
  maxAheadBytes: number;
}

export const DEFAULT_LIMITS: ReassemblyLimits = {
  maxHeldBytesPerDir: 1 << 20,
  maxHeldSegmentsPerDir: 1024,
  maxAheadBytes: 16 << 20,
};

/** Counts shared by every flow's reassembler: the total held bytes are bounded across the run. */
export class ReassemblyBudget {
  used = 0;
  peak = 0;
  /** times a per-direction or total limit forced a gap */
  limitHits = 0;
  constructor(readonly maxTotalBytes = 64 << 20) {}
}

/** A limit that forced data to be skipped; the engine turns it into a Problem (code E_LIMIT). */
export interface ReassemblyProblem {
  packet: number;
  fileIndex: number;
  message: string;
}
