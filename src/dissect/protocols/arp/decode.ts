import type { Packet } from '../../dissector.js';
import { STATUS_TRUNCATED } from '../../dissector.js';
import { P_ARP } from '../../proto-ids.js';
import { has, u16be, u32be } from '../../../wire/byte-view.js';

/**
 * ARP (RFC 826): htype(2) ptype(2) hlen(1) plen(1) op(2) sha spa tha tpa. Addresses are kept only for
 * the Ethernet/IPv4 form (hlen 6, plen 4).
 */
export function decodeArp(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_ARP);
  if (!has(off, 8, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const hlen = b[off + 4]!;
  const plen = b[off + 5]!;
  p.arpOp = u16be(b, off + 6);
  if (!has(off, 8 + 2 * (hlen + plen), end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (hlen === 6 && plen === 4 && u16be(b, off + 2) === 0x0800) {
    p.arpBuf = b;
    p.arpShaOff = off + 8;
    p.arpSpa = u32be(b, off + 14);
    p.arpThaOff = off + 18;
    p.arpTpa = u32be(b, off + 24);
  }
}
