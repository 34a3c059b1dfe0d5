/** An in-memory ByteSource for tests: optional short reads (at most `maxRead` bytes per call). */
import type { ByteSource } from '../source.js';

export class MemorySource implements ByteSource {
  consumed = 0;
  closed = false;
  readonly size: number;

  constructor(
    private readonly bytes: Uint8Array,
    readonly name = 'memory.pcap',
    private readonly maxRead = Infinity,
    /** report the size (lets readers spot truncation early), or -1 like a pipe */
    knownSize = true,
  ) {
    this.size = knownSize ? bytes.length : -1;
  }

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    const n = Math.min(length, this.bytes.length - this.consumed, this.maxRead);
    if (n <= 0) return 0;
    into.set(this.bytes.subarray(this.consumed, this.consumed + n), offset);
    this.consumed += n;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Bytes from a hex string with spaces, newlines and `# comments` allowed (for annotated fixtures). */
export function hex(s: string): Uint8Array {
  const clean = s.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new Error('bad hex fixture');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
