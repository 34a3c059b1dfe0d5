/**
 * Parsers for the pcapng blocks that describe rather than carry packets: options (type-length-value, padded to
 * 32 bits), Interface Description Blocks and Name Resolution Block records. Block and option layouts follow
 * the pcapng specification (draft-ietf-opsawg-pcapng). All reads are bounded by the block's own end.
 */
import { ipv6ToString } from '../shared/addr.js';
import type { InterfaceInfo, ResolvedName } from './reader.js';
import { TsConverter } from './pcapng-time.js';

export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 1;
export const BT_OPB = 2; // obsolete Packet Block
export const BT_SPB = 3;
export const BT_NRB = 4;
export const BT_ISB = 5;
export const BT_EPB = 6;
export const BT_DSB = 0x0a;
export const BT_CB_COPY = 0x0bad;
export const BT_CB_NOCOPY = 0x40000bad;

export const BOM_MAGIC = 0x1a2b3c4d;

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;
const SHB_HARDWARE = 2;
const SHB_OS = 3;
const SHB_USERAPPL = 4;

const NRB_END = 0;
const NRB_IPV4 = 1;
const NRB_IPV6 = 2;

export function pad4(n: number): number {
  return (n + 3) & ~3;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Option or name text: UTF-8 up to the first NUL (writers pad with NULs, or leave garbage after one). */
export function text(b: Uint8Array, off: number, len: number): string {
  let end = off;
  const stop = off + len;
  while (end < stop && b[end] !== 0) end++;
  return utf8.decode(b.subarray(off, end));
}

/**
 * Walks the options in [start, end). Reused per reader, so iterating allocates nothing.
 *   for (c.reset(v, le, s, e); c.next(); ) { c.code, c.off (value offset), c.len }
 * `malformed` is set when an option runs past the end (iteration stops there).
 */
export class OptionCursor {
  code = 0;
  off = 0;
  len = 0;
  malformed = false;
  private v: DataView = new DataView(new ArrayBuffer(0));
  private le = true;
  private pos = 0;
  private end = 0;

  reset(v: DataView, le: boolean, start: number, end: number): this {
    this.v = v;
    this.le = le;
    this.pos = start;
    this.end = end;
    this.malformed = false;
    return this;
  }

  next(): boolean {
    const p = this.pos;
    if (p + 4 > this.end) return false;
    const code = this.v.getUint16(p, this.le);
    const len = this.v.getUint16(p + 2, this.le);
    if (code === OPT_ENDOFOPT) return false;
    if (p + 4 + len > this.end) {
      this.malformed = true;
      return false;
    }
    this.code = code;
    this.off = p + 4;
    this.len = len;
    this.pos = p + 4 + pad4(len);
    return true;
  }
}

export interface SectionInfo {
  littleEndian: boolean;
  versionMajor: number;
  versionMinor: number;
  hardware: string | null;
  os: string | null;
  application: string | null;
}

/** Reads SHB options (body starts 24 bytes into the block); comments are appended to `comments`. */
export function parseShbOptions(
  c: OptionCursor,
  b: Uint8Array,
  v: DataView,
  le: boolean,
  p: number,
  blen: number,
  info: SectionInfo,
  comments: string[],
  maxComments: number,
): void {
  for (c.reset(v, le, p + 24, p + blen - 4); c.next();) {
    if (c.code === OPT_COMMENT) {
      if (comments.length < maxComments) comments.push(text(b, c.off, c.len));
    } else if (c.code === SHB_HARDWARE) info.hardware = text(b, c.off, c.len);
    else if (c.code === SHB_OS) info.os = text(b, c.off, c.len);
    else if (c.code === SHB_USERAPPL) info.application = text(b, c.off, c.len);
  }
}

export interface ParsedInterface {
  info: InterfaceInfo;
  ts: TsConverter;
}

/** Parses an IDB (blen >= 20 checked by the caller). */
export function parseIdb(
  c: OptionCursor,
  b: Uint8Array,
  v: DataView,
  le: boolean,
  p: number,
  blen: number,
  comments: string[],
  maxComments: number,
): ParsedInterface {
  const linkType = v.getUint16(p + 8, le);
  const snaplen = v.getUint32(p + 12, le);
  let name: string | null = null;
  let description: string | null = null;
  let tsresol = 6;
  let tsoffset = 0;
  for (c.reset(v, le, p + 16, p + blen - 4); c.next();) {
    switch (c.code) {
      case IF_NAME:
        name = text(b, c.off, c.len);
        break;
      case IF_DESCRIPTION:
        description = text(b, c.off, c.len);
        break;
      case IF_TSRESOL:
        if (c.len >= 1) tsresol = b[c.off]!;
        break;
      case IF_TSOFFSET:
        if (c.len >= 8) tsoffset = Number(v.getBigInt64(c.off, le));
        break;
      case OPT_COMMENT:
        if (comments.length < maxComments) comments.push(text(b, c.off, c.len));
        break;
    }
  }
  const ts = new TsConverter(tsresol, tsoffset);
  return { info: { linkType, snaplen, name, description, tsUnitNs: ts.unitNs, tsOffsetSec: tsoffset }, ts };
}

/**
 * Reads the records of an NRB (body starts 8 bytes into the block) into `names`, then the block's options.
 * Returns false if a record runs past the block (the rest of the block is then ignored).
 */
export function parseNrb(
  c: OptionCursor,
  b: Uint8Array,
  v: DataView,
  le: boolean,
  p: number,
  blen: number,
  names: ResolvedName[],
  maxNames: number,
  comments: string[],
  maxComments: number,
): boolean {
  const end = p + blen - 4;
  let o = p + 8;
  for (;;) {
    if (o + 4 > end) return false;
    const type = v.getUint16(o, le);
    const len = v.getUint16(o + 2, le);
    const val = o + 4;
    if (val + len > end) return false;
    o = val + pad4(len);
    if (type === NRB_END) break;
    const alen = type === NRB_IPV4 ? 4 : type === NRB_IPV6 ? 16 : 0;
    if (alen === 0 || len <= alen) continue;
    const address = alen === 4 ? `${b[val]}.${b[val + 1]}.${b[val + 2]}.${b[val + 3]}` : ipv6ToString(b, val);
    // One address, then one or more NUL-terminated names.
    let s = val + alen;
    const vend = val + len;
    while (s < vend) {
      let z = s;
      while (z < vend && b[z] !== 0) z++;
      if (z > s && names.length < maxNames) names.push({ address, name: text(b, s, z - s) });
      s = z + 1;
    }
  }
  for (c.reset(v, le, o, end); c.next();) {
    if (c.code === OPT_COMMENT && comments.length < maxComments) comments.push(text(b, c.off, c.len));
  }
  return true;
}

/** Collects opt_comment options of a block whose options start at `start` (ISB and others). */
export function blockComments(
  c: OptionCursor,
  b: Uint8Array,
  v: DataView,
  le: boolean,
  start: number,
  end: number,
  comments: string[],
  maxComments: number,
): void {
  for (c.reset(v, le, start, end); c.next();) {
    if (c.code === OPT_COMMENT && comments.length < maxComments) comments.push(text(b, c.off, c.len));
  }
}
