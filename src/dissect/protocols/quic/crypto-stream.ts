/**
 * The CRYPTO stream of one QUIC packet-number space, rebuilt from frames that may come out of order, repeat
 * and span packets. Bounded: bytes past maxLen are ignored (a ClientHello is a few KiB; 64 KiB allows for
 * post-quantum key shares).
 */
export class CryptoStream {
  private readonly buf: Uint8Array;
  /** covered [start, end) ranges, sorted and merged */
  private ranges: [number, number][] = [];

  constructor(readonly maxLen = 64 * 1024) {
    this.buf = new Uint8Array(maxLen);
  }

  add(offset: number, data: Uint8Array): void {
    if (offset >= this.maxLen) return;
    const end = Math.min(this.maxLen, offset + data.length);
    if (end <= offset) return;
    this.buf.set(data.subarray(0, end - offset), offset);
    const r = this.ranges;
    r.push([offset, end]);
    r.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const x of r) {
      const last = merged[merged.length - 1];
      if (last && x[0] <= last[1]) last[1] = Math.max(last[1], x[1]);
      else merged.push([x[0], x[1]]);
      if (merged.length > 256) break;
    }
    this.ranges = merged;
  }

  /** Bytes available from offset 0 without a hole. */
  contiguous(): Uint8Array {
    const first = this.ranges[0];
    return first && first[0] === 0 ? this.buf.subarray(0, first[1]) : this.buf.subarray(0, 0);
  }
}
