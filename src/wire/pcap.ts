import { PcaplensError } from '../shared/errors.js';
import type { ChunkBuffer } from './chunk-buffer.js';
import { HARD_MAX_RECORD, maxPacketFor } from './link-types.js';
import { ReaderBase } from './reader-base.js';
import { READ_END, READ_RECORD } from './reader.js';
import type { CaptureReader, ReadStatus } from './reader.js';
import type { PacketRecord } from './record.js';

/** Classic libpcap file: 24-byte global header, then records of a 16-byte header and the packet bytes. */
export const PCAP_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;

export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  /** LINKTYPE_* (low 16 bits of the header's link-type field) */
  linkType: number;
  /** the link-type field as written: its upper bits may carry FCS information */
  linkTypeField: number;
}

/** Recognises the four pcap magics (micro/nanosecond, either byte order); null if `b` starts with none. */
export function pcapMagic(b: Uint8Array, o: number): { littleEndian: boolean; nanosecond: boolean } | null {
  const b0 = b[o],
    b1 = b[o + 1],
    b2 = b[o + 2],
    b3 = b[o + 3];
  if (b0 === 0xd4 && b1 === 0xc3 && b2 === 0xb2 && b3 === 0xa1)
    return { littleEndian: true, nanosecond: false };
  if (b0 === 0xa1 && b1 === 0xb2 && b2 === 0xc3 && b3 === 0xd4)
    return { littleEndian: false, nanosecond: false };
  if (b0 === 0x4d && b1 === 0x3c && b2 === 0xb2 && b3 === 0xa1)
    return { littleEndian: true, nanosecond: true };
  if (b0 === 0xa1 && b1 === 0xb2 && b2 === 0x3c && b3 === 0x4d)
    return { littleEndian: false, nanosecond: true };
  return null;
}

/** Parses the global header at the buffer's start (24 bytes must be buffered). Throws E_NOT_CAPTURE. */
export function parsePcapHeader(cb: ChunkBuffer, name: string): PcapHeader {
  const b = cb.buf;
  const o = cb.start;
  const magic = pcapMagic(b, o);
  if (!magic) throw new PcaplensError('E_NOT_CAPTURE', `${name}: not a pcap file`);
  const le = magic.littleEndian;
  const v = cb.view;
  const versionMajor = v.getUint16(o + 4, le);
  const versionMinor = v.getUint16(o + 6, le);
  if (versionMajor !== 2) {
    throw new PcaplensError(
      'E_NOT_CAPTURE',
      `${name}: pcap version ${versionMajor}.${versionMinor} is not supported`,
    );
  }
  const linkTypeField = v.getUint32(o + 20, le);
  return {
    littleEndian: le,
    nanosecond: magic.nanosecond,
    versionMajor,
    versionMinor,
    snaplen: v.getUint32(o + 16, le),
    linkType: linkTypeField & 0xffff,
    linkTypeField,
  };
}

export class PcapReader extends ReaderBase implements CaptureReader {
  readonly format = 'pcap' as const;
  /** captured lengths above this are corrupt records (libpcap's limit, or the snaplen if that is larger) */
  readonly maxCaplen: number;
  private readonly le: boolean;
  private readonly nsMul: number;
  private readonly linkType: number;
  private readonly snaplen: number;
  private warnedSnaplen = false;
  private warnedLen = false;

  /** `cb` must be positioned just after the global header. */
  constructor(
    cb: ChunkBuffer,
    name: string,
    readonly header: PcapHeader,
  ) {
    super(cb, name);
    this.le = header.littleEndian;
    this.nsMul = header.nanosecond ? 1 : 1000;
    this.linkType = header.linkType;
    this.snaplen = header.snaplen;
    this.maxCaplen = Math.min(HARD_MAX_RECORD, Math.max(maxPacketFor(header.linkType), header.snaplen));
    this.interfaces.push({
      linkType: header.linkType,
      snaplen: header.snaplen,
      name: null,
      description: null,
      tsUnitNs: header.nanosecond ? 1 : 1000,
    });
  }

  read(rec: PacketRecord): ReadStatus {
    if (this.done) return READ_END;
    const cb = this.cb;
    const p = cb.start;
    const avail = cb.end - p;
    if (avail < PCAP_RECORD_HEADER_LEN) return this.needMore(PCAP_RECORD_HEADER_LEN, 'a record header');
    const v = cb.view;
    const le = this.le;
    const caplen = v.getUint32(p + 8, le);
    if (caplen > this.maxCaplen) {
      const at = cb.base + p;
      return this.stop(
        'E_BAD_RECORD',
        at,
        `record ${this.count + 1} at offset ${at} has a captured length of ${caplen} bytes, more than the maximum of ${this.maxCaplen}: the file is corrupt from here on`,
      );
    }
    const total = PCAP_RECORD_HEADER_LEN + caplen;
    if (avail < total) return this.needMore(total, `record ${this.count + 1}`);
    const len = v.getUint32(p + 12, le);
    const n = ++this.count;
    const at = cb.base + p;
    rec.n = n;
    rec.frame = n;
    rec.fileOffset = at;
    rec.dataOffset = at + PCAP_RECORD_HEADER_LEN;
    const nsec = v.getUint32(p + 4, le) * this.nsMul;
    if (nsec < 1e9) {
      rec.tsSec = v.getUint32(p, le);
      rec.tsNsec = nsec;
    } else {
      // An out-of-range fraction (some writers, fuzzed files) is carried into the seconds: nsec stays < 1e9.
      rec.tsSec = v.getUint32(p, le) + Math.floor(nsec / 1e9);
      rec.tsNsec = nsec % 1e9;
    }
    rec.hasTs = true;
    rec.caplen = caplen;
    rec.len = len;
    rec.linkType = this.linkType;
    rec.interfaceId = 0;
    rec.buf = cb.buf;
    rec.off = p + PCAP_RECORD_HEADER_LEN;
    rec.comment = null;
    cb.start = p + total;
    if (caplen > this.snaplen && this.snaplen > 0 && !this.warnedSnaplen) this.warnSnaplen(at, n, caplen);
    if (caplen > len && !this.warnedLen) this.warnLen(at, n, caplen, len);
    return READ_RECORD;
  }

  private warnSnaplen(at: number, n: number, caplen: number): void {
    this.warnedSnaplen = true;
    this.problem(
      'E_BAD_RECORD',
      at,
      `record ${n} captured ${caplen} bytes, more than the file's snapshot length of ${this.snaplen} (read anyway; further ones not reported)`,
      n,
    );
  }

  private warnLen(at: number, n: number, caplen: number, len: number): void {
    this.warnedLen = true;
    this.problem(
      'E_BAD_RECORD',
      at,
      `record ${n} captured ${caplen} bytes, more than its original length of ${len} (read anyway; further ones not reported)`,
      n,
    );
  }
}
