/**
 * pcapng writer (one section, little-endian): Section Header Block, an Interface Description Block per
 * interface added, Enhanced Packet Blocks. Each interface keeps its link type and snaplen and has
 * microsecond or nanosecond timestamps (if_tsresol 9). Packet comments are kept as opt_comment.
 * Pure: bytes go to a sink callback. Block layout per the pcapng draft (IETF opsawg-pcapng), section 4.
 */
import { WriteBuffer, splitTimestamp, type ByteSink } from './write-buffer.js';

export interface PcapngInterface {
  linkType: number;
  /** default 0 (no limit) */
  snaplen?: number;
  /** nanosecond timestamps (if_tsresol = 9); else microseconds (the default resolution) */
  nanosecond?: boolean;
  /** if_name */
  name?: string | null;
}

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_EPB = 6;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;

const pad4 = (n: number) => (n + 3) & ~3;
const encoder = new TextEncoder();

/** Size of an option with a value of n bytes (code, length, padded value). */
const optSize = (n: number) => 4 + pad4(n);

function putOption(view: DataView, bytes: Uint8Array, at: number, code: number, value: Uint8Array): number {
  view.setUint16(at, code, true);
  view.setUint16(at + 2, value.length, true);
  bytes.set(value, at + 4);
  bytes.fill(0, at + 4 + value.length, at + optSize(value.length));
  return at + optSize(value.length);
}

export class PcapngWriter {
  private readonly out: WriteBuffer;
  private readonly ifNs: boolean[] = [];
  packets = 0;

  constructor(sink: ByteSink, userAppl = 'pcaplens') {
    this.out = new WriteBuffer(sink);
    const appl = encoder.encode(userAppl);
    const total = 28 + optSize(appl.length) + 4;
    const { view, bytes, at } = this.out.reserve(total);
    view.setUint32(at, BT_SHB, true);
    view.setUint32(at + 4, total, true);
    view.setUint32(at + 8, 0x1a2b3c4d, true);
    view.setUint16(at + 12, 1, true);
    view.setUint16(at + 14, 0, true);
    // section length unknown: -1
    view.setInt32(at + 16, -1, true);
    view.setInt32(at + 20, -1, true);
    let p = putOption(view, bytes, at + 24, SHB_USERAPPL, appl);
    view.setUint32(p, 0, true); // opt_endofopt
    p += 4;
    view.setUint32(p, total, true);
  }

  /** Declares an interface; returns its id for write(). */
  addInterface(itf: PcapngInterface): number {
    const name = itf.name ? encoder.encode(itf.name.slice(0, 256)) : null;
    const opts = (name ? optSize(name.length) : 0) + (itf.nanosecond ? optSize(1) : 0);
    const total = 16 + (opts ? opts + 4 : 0) + 4;
    const { view, bytes, at } = this.out.reserve(total);
    view.setUint32(at, BT_IDB, true);
    view.setUint32(at + 4, total, true);
    view.setUint16(at + 8, itf.linkType & 0xffff, true);
    view.setUint16(at + 10, 0, true);
    view.setUint32(at + 12, itf.snaplen ?? 0, true);
    let p = at + 16;
    if (name) p = putOption(view, bytes, p, IF_NAME, name);
    if (itf.nanosecond) p = putOption(view, bytes, p, IF_TSRESOL, Uint8Array.of(9));
    if (opts) {
      view.setUint32(p, 0, true);
      p += 4;
    }
    view.setUint32(p, total, true);
    this.ifNs.push(itf.nanosecond === true);
    return this.ifNs.length - 1;
  }

  /** Appends one frame on interface `itf`: bytes data[off, off + caplen), `len` as on the wire. */
  write(
    itf: number,
    tsSec: number,
    tsNsec: number,
    data: Uint8Array,
    off: number,
    caplen: number,
    len: number,
    comment: string | null = null,
  ): void {
    const ns = this.ifNs[itf];
    if (ns === undefined) throw new RangeError(`pcapng writer: no interface ${itf}`);
    const c = comment ? encoder.encode(comment) : null;
    const opts = c && c.length <= 0xffff ? optSize(c.length) + 4 : 0;
    const total = 28 + pad4(caplen) + opts + 4;
    const { view, bytes, at } = this.out.reserve(total);
    const [hi, lo] = splitTimestamp(tsSec, tsNsec, ns ? 1e9 : 1e6);
    view.setUint32(at, BT_EPB, true);
    view.setUint32(at + 4, total, true);
    view.setUint32(at + 8, itf, true);
    view.setUint32(at + 12, hi, true);
    view.setUint32(at + 16, lo, true);
    view.setUint32(at + 20, caplen, true);
    view.setUint32(at + 24, len >>> 0, true);
    bytes.set(data.subarray(off, off + caplen), at + 28);
    let p = at + 28 + caplen;
    bytes.fill(0, p, at + 28 + pad4(caplen));
    p = at + 28 + pad4(caplen);
    if (opts) {
      p = putOption(view, bytes, p, OPT_COMMENT, c!);
      view.setUint32(p, 0, true);
      p += 4;
    }
    view.setUint32(p, total, true);
    this.packets++;
  }

  get bytesWritten(): number {
    return this.out.written;
  }

  flush(): void {
    this.out.flush();
  }
}
