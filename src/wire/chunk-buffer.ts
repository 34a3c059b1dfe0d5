import { PcaplensError, isPcaplensError } from '../shared/errors.js';
import type { ErrorCode } from '../shared/errors.js';
import type { ByteSource } from './source.js';

export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/**
 * One reusable input buffer over a ByteSource, shared by the pcap and pcapng readers.
 *
 * Bytes buf[start, end) are read but not yet consumed; buf[0] sits at stream offset `base`. A reader parses
 * records in place and advances `start`; when a record is incomplete it sets `need` (bytes wanted from `start`)
 * and asks for fill(), which moves the unconsumed tail to the front, grows the buffer if one record is larger
 * than it (never past `maxSize`), then reads until the buffer is full or the input ends. Memory is therefore
 * bounded by the largest record, not by the file. The buffer does not shrink back after a large record.
 */
export class ChunkBuffer {
  buf: Uint8Array;
  view: DataView;
  start = 0;
  end = 0;
  /** stream offset of buf[0] */
  base = 0;
  /** the input has no more bytes */
  eof = false;
  /** bytes the reader wants available from `start` before it can go on */
  need = 0;
  /** set when the source failed: the reader turns it into a problem and ends */
  error: { code: ErrorCode; message: string } | null = null;

  constructor(
    readonly source: ByteSource,
    chunkSize: number,
    readonly maxSize: number,
  ) {
    const size = Math.max(16, Math.min(Math.floor(chunkSize), maxSize));
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }

  get avail(): number {
    return this.end - this.start;
  }

  /** stream offset of the first unconsumed byte */
  get position(): number {
    return this.base + this.start;
  }

  /**
   * Bytes the input can still deliver from the current position if known (plain files), else +Infinity.
   * Lets a reader call a record truncated without first growing the buffer to a hostile length.
   */
  remainingHint(): number {
    const s = this.source;
    if (s.compressed || s.size < 0) return Infinity;
    return s.size - this.position;
  }

  async fill(): Promise<void> {
    if (this.eof) return;
    if (this.start > 0) {
      if (this.end > this.start) this.buf.copyWithin(0, this.start, this.end);
      this.base += this.start;
      this.end -= this.start;
      this.start = 0;
    }
    // Grow step by step (at most doubling past 1 MiB), so a hostile length in a record header costs memory
    // only as far as the input really holds the bytes.
    if (this.need > this.buf.length)
      this.grow(Math.min(this.need, Math.max(this.buf.length * 2, DEFAULT_CHUNK_SIZE)));
    const buf = this.buf;
    try {
      while (this.end < buf.length) {
        const n = await this.source.read(buf, this.end, buf.length - this.end);
        if (n <= 0) {
          this.eof = true;
          break;
        }
        this.end += n;
      }
    } catch (e) {
      this.eof = true;
      const code: ErrorCode = isPcaplensError(e) ? e.code : 'E_IO';
      const message = e instanceof Error ? e.message : String(e);
      this.error = { code, message };
    }
  }

  /** Fills until at least n bytes are available or the input ends. */
  async ensure(n: number): Promise<boolean> {
    this.need = n;
    while (this.avail < n && !this.eof) await this.fill();
    return this.avail >= n;
  }

  private grow(n: number): void {
    if (n > this.maxSize)
      throw new PcaplensError('E_LIMIT', `record of ${n} bytes exceeds the reader's limit`);
    const size = Math.min(this.maxSize, n);
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.end));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
}
