import type { Packet } from '../../dissector.js';
import { L4_ICMPV6, STATUS_TRUNCATED } from '../../dissector.js';
import { P_ICMPV6 } from '../../proto-ids.js';
import { has } from '../../../wire/byte-view.js';

export const ND_ROUTER_SOLICIT = 133;
export const ND_ROUTER_ADVERT = 134;
export const ND_NEIGHBOR_SOLICIT = 135;
export const ND_NEIGHBOR_ADVERT = 136;
export const ND_REDIRECT = 137;

/**
 * ICMPv6 (RFC 4443): type(1) code(1) checksum(2) body. Errors (types 1-4) quote the offending packet after
 * 8 bytes (located, not decoded). Neighbour solicitation/advertisement and redirect (RFC 4861) carry a
 * 16-byte target address after 4 reserved bytes.
 */
export function decodeIcmpv6(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_ICMPV6);
  const l = p.top();
  if (!has(off, 4, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (l === null) return;
  l.l4 = L4_ICMPV6;
  const t = b[off]!;
  l.icmpType = t;
  l.icmpCode = b[off + 1]!;
  if (t >= 1 && t <= 4) l.quotedOff = has(off, 8, end) ? off + 8 : -1;
  if (t === ND_NEIGHBOR_SOLICIT || t === ND_NEIGHBOR_ADVERT || t === ND_REDIRECT) {
    if (has(off, 24, end)) l.ndTargetOff = off + 8;
    else p.fail(STATUS_TRUNCATED);
  }
  const po = Math.min(off + 8, end);
  l.payloadOff = po;
  l.payloadLen = end - po;
}
