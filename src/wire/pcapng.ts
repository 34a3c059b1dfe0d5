import type { ChunkBuffer } from './chunk-buffer.js';
import { HARD_MAX_RECORD } from './link-types.js';
import {
  BOM_MAGIC,
  BT_EPB,
  BT_IDB,
  BT_ISB,
  BT_NRB,
  BT_OPB,
  BT_SHB,
  BT_SPB,
  OPT_COMMENT,
  OptionCursor,
  blockComments,
  pad4,
  parseIdb,
  parseNrb,
  parseShbOptions,
  text,
} from './pcapng-blocks.js';
import type { SectionInfo } from './pcapng-blocks.js';
import type { TsConverter } from './pcapng-time.js';
import { ReaderBase } from './reader-base.js';
import { READ_END, READ_RECORD } from './reader.js';
import type { CaptureReader, ReadStatus } from './reader.js';
import type { PacketRecord } from './record.js';

/** Bounds on what a hostile file can make us keep. */
export const MAX_INTERFACES = 65536;
export const MAX_NAMES = 200_000;
export const MAX_COMMENTS = 10_000;

const SKIPPED = 0;

/**
 * pcapng reader: a sequence of blocks (type, total length, body, total length again), in sections that each
 * start with a Section Header Block fixing the byte order. Interfaces are numbered per section in the file;
 * here they live in one flat list (`interfaces`) and `rec.interfaceId` is the index in that list.
 */
export class PcapngReader extends ReaderBase implements CaptureReader {
  readonly format = 'pcapng' as const;
  readonly sections: SectionInfo[] = [];
  private le = true;
  /** flat index of the current section's interface 0 */
  private sectionBase = 0;
  private readonly tsConv: TsConverter[] = [];
  private readonly opt = new OptionCursor();
  private lastSec = 0;
  private lastNsec = 0;

  /** `cb` must be positioned at the first Section Header Block. */
  constructor(cb: ChunkBuffer, name: string) {
    super(cb, name);
  }

  read(rec: PacketRecord): ReadStatus {
    if (this.done) return READ_END;
    const cb = this.cb;
    for (;;) {
      const p = cb.start;
      const avail = cb.end - p;
      if (avail < 12) return this.needMore(12, 'a block header');
      const v = cb.view;
      const type = v.getUint32(p, this.le); // the SHB type reads the same in both byte orders
      let le = this.le;
      if (type === BT_SHB) {
        const bom = v.getUint32(p + 8, true);
        if (bom === BOM_MAGIC) le = true;
        else if (bom === 0x4d3c2b1a) le = false;
        else
          return this.stop(
            'E_BAD_RECORD',
            cb.base + p,
            `section header at offset ${cb.base + p} has a bad byte-order magic`,
          );
      }
      const blen = v.getUint32(p + 4, le);
      if (blen < 12 || blen % 4 !== 0 || blen > HARD_MAX_RECORD) {
        const at = cb.base + p;
        return this.stop(
          'E_BAD_RECORD',
          at,
          `block of type 0x${type.toString(16)} at offset ${at} has an impossible length of ${blen} bytes`,
        );
      }
      if (avail < blen) return this.needMore(blen, `a block of type 0x${type.toString(16)} (${blen} bytes)`);
      if (v.getUint32(p + blen - 4, le) !== blen) {
        const at = cb.base + p;
        return this.stop(
          'E_BAD_RECORD',
          at,
          `block of type 0x${type.toString(16)} at offset ${at}: trailing length differs from the leading ${blen}`,
        );
      }
      let got = SKIPPED;
      switch (type) {
        case BT_EPB:
          got = this.packet(rec, p, blen, v.getUint32(p + 8, le), 28, 'enhanced packet');
          break;
        case BT_SPB:
          got = this.simplePacket(rec, p, blen);
          break;
        case BT_OPB:
          got = this.packet(rec, p, blen, v.getUint16(p + 8, le), 28, 'packet');
          break;
        case BT_SHB:
          this.section(p, blen, le);
          break;
        case BT_IDB:
          this.interfaceBlock(p, blen);
          break;
        case BT_NRB:
          if (
            !parseNrb(this.opt, cb.buf, v, le, p, blen, this.names, MAX_NAMES, this.comments, MAX_COMMENTS)
          ) {
            this.problem(
              'E_BAD_RECORD',
              cb.base + p,
              `name resolution block at offset ${cb.base + p} has a record running past its end`,
            );
          }
          break;
        case BT_ISB:
          if (blen >= 24)
            blockComments(this.opt, cb.buf, v, le, p + 20, p + blen - 4, this.comments, MAX_COMMENTS);
          break;
        default:
          // DSB, custom blocks, obsolete and unknown types: skipped by their length.
          break;
      }
      if (this.done) return READ_END;
      cb.start = p + blen;
      if (got === READ_RECORD) return READ_RECORD;
    }
  }

  private section(p: number, blen: number, le: boolean): void {
    const cb = this.cb;
    const at = cb.base + p;
    if (blen < 28) {
      this.stop('E_BAD_RECORD', at, `section header at offset ${at} is too short (${blen} bytes)`);
      return;
    }
    const v = cb.view;
    const versionMajor = v.getUint16(p + 12, le);
    const versionMinor = v.getUint16(p + 14, le);
    if (versionMajor !== 1) {
      this.stop(
        'E_BAD_RECORD',
        at,
        `section at offset ${at} has unsupported pcapng version ${versionMajor}.${versionMinor}`,
      );
      return;
    }
    this.le = le;
    this.sectionBase = this.interfaces.length;
    const info: SectionInfo = {
      littleEndian: le,
      versionMajor,
      versionMinor,
      hardware: null,
      os: null,
      application: null,
    };
    parseShbOptions(this.opt, cb.buf, v, le, p, blen, info, this.comments, MAX_COMMENTS);
    this.sections.push(info);
  }

  private interfaceBlock(p: number, blen: number): void {
    const cb = this.cb;
    const at = cb.base + p;
    if (blen < 20) {
      this.stop(
        'E_BAD_RECORD',
        at,
        `interface description block at offset ${at} is too short (${blen} bytes)`,
      );
      return;
    }
    if (this.interfaces.length >= MAX_INTERFACES) {
      this.stop('E_LIMIT', at, `more than ${MAX_INTERFACES} interfaces: the rest of the file is not read`);
      return;
    }
    const parsed = parseIdb(this.opt, cb.buf, cb.view, this.le, p, blen, this.comments, MAX_COMMENTS);
    parsed.info.section = this.sections.length - 1;
    parsed.info.localId = this.interfaces.length - this.sectionBase;
    this.interfaces.push(parsed.info);
    this.tsConv.push(parsed.ts);
  }

  /** Flat interface index for a section-local id, or -1 (with a problem) if the section has no such interface. */
  private iface(localId: number, at: number): number {
    const idx = this.sectionBase + localId;
    if (idx < this.interfaces.length) return idx;
    this.problem(
      'E_BAD_RECORD',
      at,
      `packet block at offset ${at} (after packet ${this.count}) refers to interface ${localId}, which its section does not define: skipped`,
    );
    return -1;
  }

  /** EPB and the obsolete PB share a layout: id, 64-bit timestamp, caplen, len, data, options. */
  private packet(
    rec: PacketRecord,
    p: number,
    blen: number,
    localId: number,
    dataAt: number,
    what: string,
  ): number {
    const cb = this.cb;
    const v = cb.view;
    const le = this.le;
    const at = cb.base + p;
    if (blen < dataAt + 4) {
      this.stop('E_BAD_RECORD', at, `${what} block at offset ${at} is too short (${blen} bytes)`);
      return SKIPPED;
    }
    const caplen = v.getUint32(p + 20, le);
    const optStart = p + dataAt + pad4(caplen);
    if (caplen > blen - dataAt - 4) {
      this.stop(
        'E_BAD_RECORD',
        at,
        `${what} block at offset ${at} claims ${caplen} captured bytes but holds only ${blen - dataAt - 4}`,
      );
      return SKIPPED;
    }
    const idx = this.iface(localId, at);
    if (idx < 0) return SKIPPED;
    const ts = this.tsConv[idx]!;
    ts.convert(v.getUint32(p + 12, le), v.getUint32(p + 16, le));
    this.lastSec = ts.sec;
    this.lastNsec = ts.nsec;
    rec.n = ++this.count;
    rec.frame = rec.n;
    rec.fileOffset = at;
    rec.dataOffset = at + dataAt;
    rec.tsSec = ts.sec;
    rec.tsNsec = ts.nsec;
    rec.hasTs = true;
    rec.caplen = caplen;
    rec.len = v.getUint32(p + 24, le);
    rec.linkType = this.interfaces[idx]!.linkType;
    rec.interfaceId = idx;
    rec.buf = cb.buf;
    rec.off = p + dataAt;
    rec.comment = optStart < p + blen - 4 ? this.packetComment(optStart, p + blen - 4) : null;
    return READ_RECORD;
  }

  private packetComment(start: number, end: number): string | null {
    const c = this.opt;
    const b = this.cb.buf;
    let out: string | null = null;
    for (c.reset(this.cb.view, this.le, start, end); c.next();) {
      if (c.code !== OPT_COMMENT) continue;
      const s = text(b, c.off, c.len);
      out = out === null ? s : `${out}\n${s}`;
    }
    return out;
  }

  /** SPB: original length and data only; the interface is the section's first, the timestamp unknown. */
  private simplePacket(rec: PacketRecord, p: number, blen: number): number {
    const cb = this.cb;
    const at = cb.base + p;
    if (blen < 16) {
      this.stop('E_BAD_RECORD', at, `simple packet block at offset ${at} is too short (${blen} bytes)`);
      return SKIPPED;
    }
    const idx = this.iface(0, at);
    if (idx < 0) return SKIPPED;
    const len = cb.view.getUint32(p + 8, this.le);
    const snaplen = this.interfaces[idx]!.snaplen;
    let caplen = Math.min(len, blen - 16);
    if (snaplen > 0 && snaplen < caplen) caplen = snaplen;
    rec.n = ++this.count;
    rec.frame = rec.n;
    rec.fileOffset = at;
    rec.dataOffset = at + 12;
    rec.tsSec = this.lastSec;
    rec.tsNsec = this.lastNsec;
    rec.hasTs = false;
    rec.caplen = caplen;
    rec.len = len;
    rec.linkType = this.interfaces[idx]!.linkType;
    rec.interfaceId = idx;
    rec.buf = cb.buf;
    rec.off = p + 12;
    rec.comment = null;
    return READ_RECORD;
  }
}
