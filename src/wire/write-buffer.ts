/**
 * Output side of the capture writers: bytes are packed into 1 MiB blocks handed to a sink callback as they
 * fill, so a writer allocates once per block, never per packet. The sink owns each block it is given.
 */
export type ByteSink = (chunk: Uint8Array) => void;

const BLOCK = 1 << 20;

export class WriteBuffer {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  /** bytes handed to the sink plus bytes still buffered */
  written = 0;

  constructor(
    private readonly sink: ByteSink,
    private readonly blockSize = BLOCK,
  ) {
    this.buf = new Uint8Array(blockSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for n contiguous bytes and returns the view and offset to write them at. */
  reserve(n: number): { view: DataView; bytes: Uint8Array; at: number } {
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) {
        this.buf = new Uint8Array(n);
        this.view = new DataView(this.buf.buffer);
      }
    }
    const at = this.pos;
    this.pos += n;
    this.written += n;
    return { view: this.view, bytes: this.buf, at };
  }

  /** Hands the buffered bytes to the sink (a fresh block is used afterwards). */
  flush(): void {
    if (this.pos === 0) return;
    this.sink(this.buf.subarray(0, this.pos));
    this.buf = new Uint8Array(Math.max(this.blockSize, 0));
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }
}

/**
 * Splits (sec, nsec) times `unitsPerSec` (1e6 or 1e9) + sub-second units into the high and low 32 bits of a
 * 64-bit count, exactly, without BigInt: every intermediate stays below 2^53.
 */
export function splitTimestamp(sec: number, nsec: number, unitsPerSec: number): [number, number] {
  const sub = unitsPerSec === 1e9 ? nsec : Math.floor(nsec / (1e9 / unitsPerSec));
  const s = Math.max(0, Math.floor(sec));
  const sLo = s % 65536;
  const sHi = (s - sLo) / 65536;
  const a = sLo * unitsPerSec + sub; // < 2^46
  const b = sHi * unitsPerSec; // < 2^53 for any sec below 2^37
  const bLo = b % 65536;
  const bHi = (b - bLo) / 65536;
  const c = bLo * 65536 + a;
  const lo = c % 4294967296;
  return [bHi + (c - lo) / 4294967296, lo];
}
