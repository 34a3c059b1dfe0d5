import type { Packet } from '../../dissector.js';
import { L4_ICMP, STATUS_TRUNCATED } from '../../dissector.js';
import { P_ICMP } from '../../proto-ids.js';
import { has } from '../../../wire/byte-view.js';

/**
 * ICMP (RFC 792): type(1) code(1) checksum(2) rest(4). Errors (destination unreachable 3, source quench 4,
 * redirect 5, time exceeded 11, parameter problem 12) quote the offending datagram after the first 8 bytes;
 * it is located, never decoded or counted (tshark's taps ignore quoted layers too).
 */
export function decodeIcmp(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_ICMP);
  const l = p.top();
  if (!has(off, 4, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (l === null) return;
  l.l4 = L4_ICMP;
  const t = b[off]!;
  l.icmpType = t;
  l.icmpCode = b[off + 1]!;
  if (t === 3 || t === 4 || t === 5 || t === 11 || t === 12) l.quotedOff = has(off, 8, end) ? off + 8 : -1;
  const po = Math.min(off + 8, end);
  l.payloadOff = po;
  l.payloadLen = end - po;
}
