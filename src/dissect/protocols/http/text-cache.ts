/**
 * Text of short byte strings through a cache of recent ones: HTTP header names and many values (Host,
 * Content-Type, Connection...) repeat message after message, and a hit makes no string at all. Direct-mapped
 * by a hash of the bytes; a hit compares the bytes themselves, so the text is always latin1(bytes).trim().
 */
import { latin1 } from '../../../shared/bytes-text.js';
import { fnv1a, sameBytes } from '../../../shared/fnv.js';

export class TrimmedTextCache {
  private readonly hashes: Int32Array;
  private readonly lens: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly texts: string[];
  private readonly mask: number;

  /** slots: a power of two; maxLen: longer strings are made each time */
  constructor(
    slots: number,
    private readonly maxLen: number,
  ) {
    this.mask = slots - 1;
    this.hashes = new Int32Array(slots);
    this.lens = new Int32Array(slots).fill(-1);
    this.bytes = new Uint8Array(slots * maxLen);
    this.texts = new Array<string>(slots).fill('');
  }

  /** latin1(buf, start, end, cap).trim() */
  text(buf: Uint8Array, start: number, end: number, cap: number): string {
    const n = end - start;
    if (n > this.maxLen || n > cap || end > buf.length) return latin1(buf, start, end, cap).trim();
    const h = fnv1a(buf, start, end);
    const slot = (h ^ (h >>> 16)) & this.mask;
    const at = slot * this.maxLen;
    const bytes = this.bytes;
    if (this.hashes[slot] === h && this.lens[slot] === n && sameBytes(bytes, at, buf, start, n))
      return this.texts[slot]!;
    const t = latin1(buf, start, end, cap).trim();
    this.hashes[slot] = h;
    this.lens[slot] = n;
    bytes.set(buf.subarray(start, end), at);
    this.texts[slot] = t;
    return t;
  }
}
