import type { Packet } from '../../dissector.js';
import { STATUS_TRUNCATED } from '../../dissector.js';
import { P_PPP } from '../../proto-ids.js';
import { dispatchPpp } from '../../tables.js';
import { has, u16be } from '../../../wire/byte-view.js';
import { decodeChdlc } from '../chdlc/decode.js';

/** PPP protocol field (RFC 1661): 2 bytes, or 1 byte when compressed (an odd first byte, RFC 1661 6.5). */
export function decodePppProto(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_PPP);
  if (!has(off, 1, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (b[off]! & 1) {
    dispatchPpp(p, b[off]!, b, off + 1, end);
    return;
  }
  if (!has(off, 2, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  dispatchPpp(p, u16be(b, off), b, off + 2, end);
}

/** LINKTYPE_PPP (9) / PPP_HDLC (50): optional address 0xFF + control 0x03 (RFC 1662), then the protocol. */
export function decodePppLink(p: Packet, b: Uint8Array, off: number, end: number): void {
  // Cisco HDLC framing is also written with this link type; its address byte is 0x0F or 0x8F
  if (has(off, 1, end) && (b[off] === 0x0f || b[off] === 0x8f)) {
    decodeChdlc(p, b, off, end);
    return;
  }
  if (has(off, 2, end) && b[off] === 0xff && b[off + 1] === 0x03) off += 2;
  decodePppProto(p, b, off, end);
}
