/**
 * HTTP/1.x body framing (RFC 9112 section 6) and content decoding. Streaming: bytes are pushed as they come
 * out of TCP reassembly, never buffered whole. The decoded body is counted, hashed (SHA-256) and its first
 * bytes kept for type sniffing; gzip/deflate output is capped so a decompression bomb costs at most the cap.
 */
import { Gunzip, Inflate, Unzlib } from 'fflate';
import { oneShotInflate, type InflateFormat } from '../../../shared/inflate.js';
import { createSha256, type IncrementalSha256 } from '../../../shared/sha256.js';
import { toHex } from '../../../shared/md5.js';
import { header, type HttpHead } from './head.js';

export type Framing = 'none' | 'length' | 'chunked' | 'close';

export interface BodyLimits {
  /** most decoded bytes produced by gzip/deflate per body */
  maxDecoded: number;
  /** bytes of the decoded body kept for sniffing and small-file export */
  keepBytes: number;
  /**
   * shared by every body of a run when keepBytes is large (file extraction): bytes kept past the first
   * HEAD_BYTES are taken from it, so bodies in flight together hold at most `left` bytes; the taker gives them
   * back (BodyInfo.borrowed) once the content was handed on
   */
  keepBudget?: { left: number };
  /** false: the decoded body is not hashed (BodyInfo.sha256 is null), for a run that makes no file rows */
  hash?: boolean;
}
/** bytes every body keeps whatever the budget (type sniffing) */
const HEAD_BYTES = 4096;
export const DEFAULT_BODY_LIMITS: BodyLimits = { maxDecoded: 64 << 20, keepBytes: 4096 };

/** What a finished body looked like. */
export interface BodyInfo {
  framing: Framing;
  /** bytes on the wire after framing removed (before content decoding) */
  wireLen: number;
  /** bytes after content decoding (equals wireLen when not encoded) */
  len: number;
  declaredLen: number | null;
  contentEncoding: string | null;
  /** SHA-256 of the decoded body; null when incomplete or the decoder stopped */
  sha256: string | null;
  /** first decoded bytes (up to BodyLimits.keepBytes) */
  head: Uint8Array;
  /** bytes of head taken from BodyLimits.keepBudget (to give back) */
  borrowed: number;
  complete: boolean;
  /** decompression stopped at maxDecoded */
  bomb: boolean;
  /** content decoding failed (corrupt gzip, unknown coding: then the body is hashed as sent) */
  decodeError: boolean;
}

/** Framing of a message's body; for a response, requestMethod is the method it answers. */
export function bodyFraming(h: HttpHead, requestMethod: string | null): { framing: Framing; length: number } {
  if (!h.isRequest) {
    if (
      requestMethod === 'HEAD' ||
      (h.status >= 100 && h.status < 200) ||
      h.status === 204 ||
      h.status === 304
    )
      return { framing: 'none', length: 0 };
    if (requestMethod === 'CONNECT' && h.status >= 200 && h.status < 300)
      return { framing: 'none', length: 0 };
  }
  const te = header(h, 'transfer-encoding');
  if (te && /(^|,)\s*chunked\s*$/i.test(te)) return { framing: 'chunked', length: 0 };
  const cl = header(h, 'content-length');
  if (cl !== null && /^\s*\d{1,15}\s*$/.test(cl)) {
    const n = Number(cl);
    return n > 0 ? { framing: 'length', length: n } : { framing: 'none', length: 0 };
  }
  return h.isRequest ? { framing: 'none', length: 0 } : { framing: 'close', length: 0 };
}

type Inflater = Gunzip | Inflate | Unzlib;
const SLICE = 16384;
/**
 * compressed bodies up to this size are gathered whole and decoded in one step by the host's decoder when it
 * has one (oneShotInflate); larger ones stream through fflate (a streaming decoder holds ~50 KiB per body too)
 */
const WHOLE_MAX = 128 << 10;

/** "deflate" is zlib-wrapped per RFC 9110, but some servers send raw deflate: the first two bytes tell. */
function deflateFormat(b: Uint8Array): InflateFormat {
  return (b[0]! & 0x0f) === 8 && ((b[0]! << 8) | (b[1] ?? 0)) % 31 === 0 ? 'zlib' : 'raw';
}

/** Content decoding, hashing and counting of one body. */
class ContentSink {
  private hash: IncrementalSha256 | null;
  private inflater: Inflater | null = null;
  private headBuf: Uint8Array;
  private headLen = 0;
  borrowed = 0;
  len = 0;
  bomb = false;
  decodeError = false;
  private decoding: 'gzip' | 'deflate' | null = null;
  /** compressed input batched per SLICE (allocated for encoded bodies only) */
  private pend: Uint8Array | null = null;
  private pendLen = 0;
  /** the compressed body gathered for the one-shot decoder (null: none, or the body streams) */
  private whole: Uint8Array | null = null;
  private wholeLen = 0;
  private gathering: boolean;

  constructor(
    readonly encoding: string | null,
    private readonly limits: BodyLimits,
  ) {
    this.hash = limits.hash === false ? null : createSha256();
    // grown on demand when keepBytes is large: most bodies are small
    this.headBuf = new Uint8Array(Math.min(limits.keepBytes, HEAD_BYTES));
    const e = encoding?.trim().toLowerCase() ?? '';
    if (e === 'gzip' || e === 'x-gzip') this.decoding = 'gzip';
    else if (e === 'deflate') this.decoding = 'deflate';
    this.gathering = this.decoding !== null && oneShotInflate() !== null;
  }

  private out(b: Uint8Array): void {
    if (this.bomb) return;
    let n = b.length;
    if (this.len + n > this.limits.maxDecoded) {
      n = this.limits.maxDecoded - this.len;
      this.bomb = true;
      this.hash = null;
    }
    if (this.headLen + n > this.headBuf.length && this.headBuf.length < this.limits.keepBytes) this.grow(n);
    const keep = Math.min(n, this.headBuf.length - this.headLen);
    if (keep > 0) {
      this.headBuf.set(b.subarray(0, keep), this.headLen);
      this.headLen += keep;
    }
    this.hash?.update(b, 0, n);
    this.len += n;
  }

  /** Room for n more bytes, within keepBytes and the shared budget. */
  private grow(n: number): void {
    const want = Math.min(this.limits.keepBytes, Math.max(this.headBuf.length * 2, this.headLen + n));
    const budget = this.limits.keepBudget;
    const extra = budget ? Math.min(want - this.headBuf.length, budget.left) : want - this.headBuf.length;
    if (extra <= 0) return;
    if (budget) {
      budget.left -= extra;
      this.borrowed += extra;
    }
    const next = new Uint8Array(this.headBuf.length + extra);
    next.set(this.headBuf.subarray(0, this.headLen));
    this.headBuf = next;
  }

  push(b: Uint8Array): void {
    if (this.decoding === null || this.decodeError) {
      this.out(b);
      return;
    }
    if (this.bomb) return;
    if (this.gathering) {
      if (this.wholeLen + b.length <= WHOLE_MAX) {
        this.gather(b);
        return;
      }
      // too large for one step: what was gathered and the rest stream
      this.gathering = false;
      const got = this.whole?.subarray(0, this.wholeLen);
      this.whole = null;
      if (got) this.stream(got);
    }
    this.stream(b);
  }

  private gather(b: Uint8Array): void {
    let w = this.whole;
    if (w === null || this.wholeLen + b.length > w.length) {
      const next = new Uint8Array(Math.min(WHOLE_MAX, Math.max(4096, 2 * (this.wholeLen + b.length))));
      if (w !== null) next.set(w.subarray(0, this.wholeLen));
      this.whole = w = next;
    }
    w.set(b, this.wholeLen);
    this.wholeLen += b.length;
  }

  private stream(b: Uint8Array): void {
    if (this.inflater === null) {
      if (this.decoding === 'gzip') this.inflater = new Gunzip();
      else this.inflater = deflateFormat(b) === 'zlib' ? new Unzlib() : new Inflate();
      this.inflater.ondata = (chunk: Uint8Array) => this.out(chunk);
    }
    // compressed bytes are pushed in batches of SLICE: fflate copies its 32 KiB window per push, so per-segment
    // pushes cost more than the inflating; a batch bounds one step's output (deflate expands at most ~1032:1)
    const pend = (this.pend ??= new Uint8Array(SLICE));
    for (let i = 0; i < b.length && !this.bomb && !this.decodeError;) {
      const n = Math.min(SLICE - this.pendLen, b.length - i);
      pend.set(b.subarray(i, i + n), this.pendLen);
      this.pendLen += n;
      i += n;
      if (this.pendLen === SLICE) this.flushPending(false);
    }
  }

  private flushPending(final: boolean): void {
    if (!this.inflater || this.bomb || this.decodeError) {
      this.pendLen = 0;
      return;
    }
    try {
      this.inflater.push(this.pend ? this.pend.slice(0, this.pendLen) : new Uint8Array(0), final);
    } catch {
      this.decodeError = true;
      this.hash = null;
    }
    this.pendLen = 0;
  }

  finish(): void {
    if (this.gathering && this.whole !== null) {
      const data = this.whole.subarray(0, this.wholeLen);
      this.whole = null;
      const format = this.decoding === 'gzip' ? 'gzip' : deflateFormat(data);
      const decoded = oneShotInflate()?.(format, data, this.limits.maxDecoded) ?? null;
      if (decoded !== null) this.out(decoded);
      else this.stream(data);
    }
    this.gathering = false;
    if (this.inflater && !this.bomb && !this.decodeError) this.flushPending(true);
    this.inflater = null;
  }

  digest(): string | null {
    return this.hash ? toHex(this.hash.digest()) : null;
  }

  head(): Uint8Array {
    return this.headBuf.slice(0, this.headLen);
  }
}

const CH_SIZE = 0;
const CH_DATA = 1;
const CH_DATA_END = 2;
const CH_TRAILER = 3;
const CH_DONE = 4;
const MAX_SIZE_LINE = 1024;
const MAX_TRAILER = 8192;

/** Streams one message body: framing removed, content decoded. */
export class BodyReader {
  done = false;
  wireLen = 0;
  private remaining: number;
  private chState = CH_SIZE;
  private sizeDigits = 0;
  private size = 0;
  private inExt = false;
  private lineLen = 0;
  private trailerLen = 0;
  /** made on first use: a message without a body (every GET) needs no hash or head buffer */
  private sinkMade: ContentSink | null = null;
  /** true when a chunked body was malformed or a gap hit it */
  broken = false;

  constructor(
    readonly framing: Framing,
    readonly declaredLen: number,
    private readonly contentEncoding: string | null,
    private readonly limits: BodyLimits = DEFAULT_BODY_LIMITS,
  ) {
    this.remaining = framing === 'length' ? declaredLen : 0;
    if (framing === 'none') this.done = true;
  }

  private get sink(): ContentSink {
    return (this.sinkMade ??= new ContentSink(this.contentEncoding, this.limits));
  }

  /** Consumes body bytes from buf[off, end); returns how many belong to this body. */
  push(buf: Uint8Array, off: number, end: number): number {
    if (this.done) return 0;
    if (this.framing === 'close') {
      this.data(buf, off, end);
      return end - off;
    }
    if (this.framing === 'length') {
      const n = Math.min(this.remaining, end - off);
      this.data(buf, off, off + n);
      this.remaining -= n;
      if (this.remaining === 0) this.done = true;
      return n;
    }
    return this.chunked(buf, off, end);
  }

  /** len bytes of the body were lost (TCP gap). Length-framed bodies stay in step; others cannot. */
  gap(len: number): number {
    this.broken = true;
    if (this.framing === 'length') {
      const n = Math.min(len, this.remaining);
      this.remaining -= n;
      if (this.remaining === 0) this.done = true;
      return n;
    }
    if (this.framing === 'close') return len;
    this.done = true;
    return 0;
  }

  /** The stream ended: a close-framed body is complete, others are cut. */
  end(): void {
    if (!this.done && this.framing !== 'close') this.broken = true;
    this.done = true;
  }

  info(): BodyInfo {
    this.sink.finish();
    const complete = this.done && !this.broken;
    return {
      framing: this.framing,
      wireLen: this.wireLen,
      len: this.sink.len,
      declaredLen: this.framing === 'length' ? this.declaredLen : null,
      contentEncoding: this.sink.encoding,
      sha256: complete && !this.sink.bomb ? this.sink.digest() : null,
      head: this.sink.head(),
      borrowed: this.sink.borrowed,
      complete,
      bomb: this.sink.bomb,
      decodeError: this.sink.decodeError,
    };
  }

  private data(buf: Uint8Array, off: number, end: number): void {
    if (end <= off) return;
    this.wireLen += end - off;
    this.sink.push(buf.subarray(off, end));
  }

  private chunked(buf: Uint8Array, off: number, end: number): number {
    let p = off;
    while (p < end && this.chState !== CH_DONE) {
      const b = buf[p]!;
      switch (this.chState) {
        case CH_SIZE: {
          p++;
          if (++this.lineLen > MAX_SIZE_LINE) return this.fail(p - off);
          if (b === 10) {
            if (this.sizeDigits === 0) return this.fail(p - off);
            this.lineLen = 0;
            this.inExt = false;
            this.sizeDigits = 0;
            this.remaining = this.size;
            this.size = 0;
            this.chState = this.remaining === 0 ? CH_TRAILER : CH_DATA;
          } else if (!this.inExt) {
            const v = hexVal(b);
            if (v >= 0) {
              if (++this.sizeDigits > 12) return this.fail(p - off);
              this.size = this.size * 16 + v;
            } else if (b === 0x3b || b === 0x20 || b === 0x09 || b === 13) this.inExt = true;
            else return this.fail(p - off);
          }
          break;
        }
        case CH_DATA: {
          const n = Math.min(this.remaining, end - p);
          this.data(buf, p, p + n);
          p += n;
          this.remaining -= n;
          if (this.remaining === 0) this.chState = CH_DATA_END;
          break;
        }
        case CH_DATA_END:
          p++;
          if (b === 10) this.chState = CH_SIZE;
          else if (b !== 13) return this.fail(p - off);
          break;
        case CH_TRAILER:
          // trailer fields end with an empty line; lineLen counts bytes of the current line
          p++;
          if (++this.trailerLen > MAX_TRAILER) return this.fail(p - off);
          if (b === 10) {
            if (this.lineLen === 0) {
              this.chState = CH_DONE;
              this.done = true;
            }
            this.lineLen = 0;
          } else if (b !== 13) this.lineLen++;
          break;
      }
    }
    return p - off;
  }

  private fail(consumed: number): number {
    this.broken = true;
    this.done = true;
    return consumed;
  }
}

function hexVal(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}
