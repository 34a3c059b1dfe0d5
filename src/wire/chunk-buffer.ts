import { PcaplensError, isPcaplensError } from '../shared/errors.js';
import type { ErrorCode } from '../shared/errors.js';
import type { ByteSource } from './source.js';

/**
 * 4 MiB: each fill costs a round trip to the source (for a file read ahead, a hop through the thread pool and
 * the event loop, ~0.3 ms on a busy machine whatever the size): on the 1 GiB bench file the reading thread
 * waited 0.43 s in all with 1 MiB chunks, 0.2-0.3 s with 2 MiB, 0.08-0.13 s with 4 MiB, 0.07 s with 8 MiB.
 */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
/**
 * Bytes kept free in front of a chunk read ahead, for the unfinished record before it: more than the largest
 * record under the usual snaplen (256 KiB), so joining them is one short copy.
 */
const TAIL_ROOM = 256 * 1024 + 64;

/**
 * One reusable input buffer over a ByteSource, shared by the pcap and pcapng readers.
 *
 * Bytes buf[start, end) are read but not yet consumed; buf[0] sits at stream offset `base`. A reader parses
 * records in place and advances `start`; when a record is incomplete it sets `need` (bytes wanted from `start`)
 * and asks for fill(), which moves the unconsumed tail to the front, grows the buffer if one record is larger
 * than it (never past `maxSize`), then reads until the buffer is full or the input ends. Memory is therefore
 * bounded by the largest record, not by the file. The buffer does not shrink back after a large record.
 * A source that reads off the calling thread (ByteSource.readsAhead) gets a second buffer of the same size: the
 * next chunk is read into it while the reader parses this one, and fill() then only joins the tail to it.
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
  /** the next chunk, being read into `spare` (readAhead) */
  private ahead: Promise<number> | null = null;
  private aheadError: unknown = null;
  private spare: Uint8Array | null = null;
  private spareView: DataView | null = null;

  constructor(
    readonly source: ByteSource,
    chunkSize: number,
    readonly maxSize: number,
  ) {
    // a file smaller than a chunk gets a buffer of its size (+1 byte, so the first fill also sees its end)
    const known = !source.compressed && source.size >= 0 ? source.size + 1 : Infinity;
    const size = Math.max(16, Math.min(Math.floor(chunkSize), maxSize, known));
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
    // takeAhead() answers false only short of a record with input left: then read on below
    if (this.ahead !== null && (await this.takeAhead())) {
      this.readAhead();
      return;
    }
    this.compact();
    // Grow step by step (at most doubling past 1 MiB), so a hostile length in a record header costs memory
    // only as far as the input really holds the bytes.
    if (this.need > this.buf.length)
      this.grow(Math.min(this.need, Math.max(this.buf.length * 2, 1024 * 1024)));
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
      this.failed(e);
    }
    this.readAhead();
  }

  /**
   * Starts reading the next chunk into the spare buffer while the reader parses this one, when the source reads
   * off the calling thread (ByteSource.readsAhead): the copy from the file then overlaps decoding instead of
   * the reading thread waiting for it. The spare keeps TAIL_ROOM bytes in front free for the unconsumed tail.
   */
  private readAhead(): void {
    if (this.eof || this.source.readsAhead !== true) return;
    let spare = this.spare;
    if (spare === null || spare.length !== this.buf.length) {
      if (this.buf.length <= TAIL_ROOM) return;
      spare = this.spare = new Uint8Array(this.buf.length);
      this.spareView = new DataView(spare.buffer);
    }
    this.ahead = this.source.read(spare, TAIL_ROOM, spare.length - TAIL_ROOM).catch((e: unknown) => {
      this.aheadError = e;
      return -1;
    });
  }

  /**
   * Takes the chunk read ahead: the unconsumed tail goes just in front of it in the spare buffer, which becomes
   * the buffer. True when that gives the reader what it needs (or the input ended); false when fill() must read
   * on (a record larger than what is buffered).
   */
  private async takeAhead(): Promise<boolean> {
    const n = await this.ahead!;
    this.ahead = null;
    if (n < 0) {
      this.failed(this.aheadError);
      this.aheadError = null;
      return true;
    }
    const tail = this.end - this.start;
    const spare = this.spare!;
    if (tail > TAIL_ROOM) {
      // a record longer than the room in front: join the two the slow way (rare: records are at most 256 KiB)
      this.compact();
      if (this.end + n > this.buf.length) this.grow(this.end + n);
      this.buf.set(spare.subarray(TAIL_ROOM, TAIL_ROOM + n), this.end);
      this.end += n;
    } else {
      const at = TAIL_ROOM - tail;
      spare.set(this.buf.subarray(this.start, this.end), at);
      const endOffset = this.base + this.end;
      this.spare = this.buf;
      this.buf = spare;
      const view = this.view;
      this.view = this.spareView!;
      this.spareView = view;
      this.base = endOffset - TAIL_ROOM;
      this.start = at;
      this.end = TAIL_ROOM + n;
    }
    if (n === 0) this.eof = true;
    return this.eof || this.avail >= this.need;
  }

  /** Moves the unconsumed tail to the front of the buffer. */
  private compact(): void {
    if (this.start === 0) return;
    if (this.end > this.start) this.buf.copyWithin(0, this.start, this.end);
    this.base += this.start;
    this.end -= this.start;
    this.start = 0;
  }

  private failed(e: unknown): void {
    this.eof = true;
    const code: ErrorCode = isPcaplensError(e) ? e.code : 'E_IO';
    const message = e instanceof Error ? e.message : String(e);
    this.error = { code, message };
  }

  /** Waits for a read still under way (before the source is closed). */
  async settle(): Promise<void> {
    if (this.ahead !== null) await this.ahead;
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
