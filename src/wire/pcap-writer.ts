/**
 * Classic libpcap file writer (one link type per file): 24-byte global header, then a 16-byte record header
 * and the packet bytes per frame. Microsecond magic, or the nanosecond magic (0xa1b23c4d) when asked, so
 * nanosecond timestamps survive. Little-endian, version 2.4. Pure: bytes go to a sink callback.
 */
import { WriteBuffer, type ByteSink } from './write-buffer.js';

export interface PcapWriterOptions {
  linkType: number;
  /** largest captured length announced in the header (default 262144) */
  snaplen?: number;
  /** write nanosecond timestamps (magic 0xa1b23c4d) instead of microseconds */
  nanosecond?: boolean;
}

export class PcapWriter {
  private readonly out: WriteBuffer;
  private readonly ns: boolean;
  packets = 0;

  constructor(sink: ByteSink, opts: PcapWriterOptions) {
    this.out = new WriteBuffer(sink);
    this.ns = opts.nanosecond === true;
    const { view, at } = this.out.reserve(24);
    view.setUint32(at, this.ns ? 0xa1b23c4d : 0xa1b2c3d4, true);
    view.setUint16(at + 4, 2, true);
    view.setUint16(at + 6, 4, true);
    view.setUint32(at + 8, 0, true); // thiszone
    view.setUint32(at + 12, 0, true); // sigfigs
    view.setUint32(at + 16, opts.snaplen ?? 262144, true);
    view.setUint32(at + 20, opts.linkType >>> 0, true);
  }

  /** Appends one frame: bytes data[off, off + caplen), `len` as on the wire. */
  write(tsSec: number, tsNsec: number, data: Uint8Array, off: number, caplen: number, len: number): void {
    const { view, bytes, at } = this.out.reserve(16 + caplen);
    view.setUint32(at, Math.max(0, Math.min(0xffffffff, Math.floor(tsSec))), true);
    view.setUint32(at + 4, this.ns ? tsNsec : Math.floor(tsNsec / 1000), true);
    view.setUint32(at + 8, caplen, true);
    view.setUint32(at + 12, len >>> 0, true);
    bytes.set(data.subarray(off, off + caplen), at + 16);
    this.packets++;
  }

  /** bytes written so far (including any not yet handed to the sink) */
  get bytesWritten(): number {
    return this.out.written;
  }

  /** Hands any buffered bytes to the sink; call once at the end (and whenever the sink should catch up). */
  flush(): void {
    this.out.flush();
  }
}
