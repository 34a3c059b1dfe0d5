/**
 * Content test for DNS on a port no table binds (RFC 1035 section 4.1). It runs on the first payloads of
 * every unclassified UDP (and TCP) flow, so it must almost never accept something else: besides a sane
 * header it walks every counted question and record and wants the walk to end exactly where the message
 * ends. Random or foreign bytes rarely survive that; a real message always does. Allocates nothing.
 */
import { u16be } from '../../../wire/byte-view.js';

const HEADER = 12;
/** questions and records walked at most; a message with more is not taken for DNS by content alone */
const MAX_QUESTIONS = 16;
const MAX_RECORDS = 64;
const MAX_NAME_WIRE = 255;
const MAX_LABELS = 128;

/** Opcodes in use: QUERY 0, STATUS 2, NOTIFY 4, UPDATE 5 (IQUERY 1 is obsolete, RFC 3425). */
function opcodeOk(op: number): boolean {
  return op === 0 || op === 2 || op === 4 || op === 5;
}

/** Assigned question types: the ordinary range, the meta types (TKEY..AMTRELAY) and TA/DLV. */
function qtypeOk(t: number): boolean {
  return (t >= 1 && t <= 127) || (t >= 249 && t <= 260) || t === 32768 || t === 32769;
}

/** IN, CH, HS, NONE, ANY; the top bit is mDNS's unicast-response / cache-flush flag. */
function classOk(c: number): boolean {
  const k = c & 0x7fff;
  return k === 1 || k === 3 || k === 4 || k === 254 || k === 255;
}

/**
 * Skips a name at p; returns the offset after it or -1. A pointer must land after the header and before
 * itself (it is not followed: the walk only needs the length). With text set, label bytes must be
 * printable or UTF-8 (question names are host names, service instance names or IDNA).
 */
function skipName(b: Uint8Array, msg: number, p: number, end: number, text: boolean): number {
  let wire = 0;
  for (let i = 0; i < MAX_LABELS; i++) {
    if (p >= end) return -1;
    const l = b[p]!;
    if (l === 0) return p + 1;
    if ((l & 0xc0) === 0xc0) {
      if (p + 1 >= end) return -1;
      const target = msg + (((l & 0x3f) << 8) | b[p + 1]!);
      return target >= msg + HEADER && target < p ? p + 2 : -1;
    }
    if ((l & 0xc0) !== 0) return -1;
    if (p + 1 + l > end) return -1;
    wire += l + 1;
    if (wire > MAX_NAME_WIRE) return -1;
    if (text) {
      for (let j = p + 1; j <= p + l; j++) {
        const c = b[j]!;
        if (c < 0x20 || c === 0x7f) return -1;
      }
    }
    p += 1 + l;
  }
  return -1;
}

/**
 * Whether buf[off, off+len) is one whole DNS message: opcode in use, Z bit clear, a query without error
 * code or AA/RA, a response code that is assigned (0..10), at most 16 questions and 64 records, each
 * question a printable name with a known type and class, each record in bounds, and nothing left over.
 */
export function looksLikeDns(buf: Uint8Array, off: number, len: number): boolean {
  const end = off + len;
  if (len < HEADER + 5 || end > buf.length) return false;
  const flags = u16be(buf, off + 2);
  const qr = (flags & 0x8000) !== 0;
  const opcode = (flags >> 11) & 15;
  const rcode = flags & 15;
  // a query has no error code and no RA; only NOTIFY sets AA in a query (RFC 1996)
  if (qr ? rcode > 10 : rcode !== 0 || (flags & 0x0080) !== 0 || (opcode !== 4 && (flags & 0x0400) !== 0))
    return false;
  if (!opcodeOk(opcode) || (flags & 0x0040) !== 0) return false;
  const qd = u16be(buf, off + 4);
  const rr = u16be(buf, off + 6) + u16be(buf, off + 8) + u16be(buf, off + 10);
  if (qd > MAX_QUESTIONS || rr > MAX_RECORDS) return false;
  // a query asks something; a response without question must at least answer something
  if (qd === 0 && (!qr || rr === 0)) return false;
  let p = off + HEADER;
  for (let i = 0; i < qd; i++) {
    p = skipName(buf, off, p, end, true);
    if (p < 0 || p + 4 > end) return false;
    if (!qtypeOk(u16be(buf, p)) || !classOk(u16be(buf, p + 2))) return false;
    p += 4;
  }
  for (let i = 0; i < rr; i++) {
    p = skipName(buf, off, p, end, false);
    if (p < 0 || p + 10 > end) return false;
    const type = u16be(buf, p);
    // OPT (RFC 6891) keeps the UDP payload size in its class field
    if (type === 0 || (type !== 41 && !classOk(u16be(buf, p + 2)))) return false;
    p += 10 + u16be(buf, p + 8);
    if (p > end) return false;
  }
  return p === end;
}

/** DNS over TCP (RFC 1035 section 4.2.2): a segment holding one whole length-prefixed message. */
export function looksLikeDnsTcp(buf: Uint8Array, off: number, len: number): boolean {
  if (len < 2 + HEADER + 5 || off + len > buf.length) return false;
  return u16be(buf, off) === len - 2 && looksLikeDns(buf, off + 2, len - 2);
}
