import type { Packet } from '../../dissector.js';
import { STATUS_MALFORMED, STATUS_TRUNCATED } from '../../dissector.js';
import { P_RADIOTAP, P_WLAN } from '../../proto-ids.js';
import { has, u16le, u32le } from '../../../wire/byte-view.js';
import { decodeLlc } from '../llc/decode.js';

const FC_PROTECTED = 0x40;
const FC_ORDER = 0x80;
const TYPE_DATA = 2;

/**
 * IEEE 802.11 MAC frame: frame_control(2) duration(2) addr1 addr2 addr3 seq_ctl(2) [addr4] [qos(2)] [ht(4)].
 * Management and control frames are counted only. Data frames with a body go through LLC/SNAP to the
 * EtherType; protected (encrypted) bodies are counted, not decoded.
 */
export function decodeWlan(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_WLAN);
  if (!has(off, 2, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const fc = b[off]!;
  const flags = b[off + 1]!;
  const type = (fc >> 2) & 3;
  const subtype = fc >> 4;
  p.wlanType = type;
  p.wlanSubtype = subtype;
  p.wlanProtected = (flags & FC_PROTECTED) !== 0;
  if (type !== TYPE_DATA) return;
  const toDs = (flags & 1) !== 0;
  const fromDs = (flags & 2) !== 0;
  const qos = (subtype & 8) !== 0;
  let hl = toDs && fromDs ? 30 : 24;
  if (qos) hl += 2;
  if (qos && flags & FC_ORDER) hl += 4;
  if (!has(off, hl, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  p.macBuf = b;
  p.dstMacOff = toDs ? off + 16 : off + 4;
  p.srcMacOff = fromDs ? (toDs ? off + 24 : off + 16) : off + 10;
  // subtypes with bit 2 set (Null, QoS Null, CF-Ack/Poll without data) carry no body
  if (subtype & 4 || p.wlanProtected) return;
  // an A-MSDU (QoS control bit 7) holds subframes, not an LLC header: not decoded
  if (qos && b[off + (toDs && fromDs ? 30 : 24)]! & 0x80) return;
  decodeLlc(p, b, off + hl, end);
}

/**
 * Radiotap (radiotap.org): version(1) pad(1) length(2 LE) present(4 LE, chained while bit 31 is set), then
 * aligned fields. Only Flags (bit 1, after TSFT's 8 bytes) matters here: 0x10 says the frame ends in a
 * 4-byte FCS.
 */
export function decodeRadiotap(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_RADIOTAP);
  if (!has(off, 8, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const len = u16le(b, off + 2);
  if (b[off] !== 0 || len < 8) {
    p.fail(STATUS_MALFORMED);
    return;
  }
  if (!has(off, len, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const present = u32le(b, off + 4);
  let o = off + 8;
  let word = present;
  for (let i = 0; i < 16 && word & 0x80000000; i++) {
    if (o + 4 > off + len) {
      p.fail(STATUS_MALFORMED);
      return;
    }
    word = u32le(b, o);
    o += 4;
  }
  let wend = end;
  if (present & 2) {
    let f = o - off;
    if (present & 1) f = ((f + 7) & ~7) + 8;
    if (f < len && b[off + f]! & 0x10) wend = end - 4;
  }
  if (wend < off + len) {
    p.fail(STATUS_MALFORMED);
    return;
  }
  decodeWlan(p, b, off + len, wend);
}
