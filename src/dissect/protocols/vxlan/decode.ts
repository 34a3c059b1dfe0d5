import type { Packet } from '../../dissector.js';
import { STATUS_TRUNCATED } from '../../dissector.js';
import { P_VXLAN } from '../../proto-ids.js';
import { has } from '../../../wire/byte-view.js';
import { decodeEth } from '../eth/decode.js';

/** VXLAN (RFC 7348): flags(1, I = 0x08) reserved(3) vni(3) reserved(1), then an Ethernet frame. */
export function decodeVxlan(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_VXLAN);
  if (!has(off, 8, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  p.tunnelDepth++;
  decodeEth(p, b, off + 8, end);
}
