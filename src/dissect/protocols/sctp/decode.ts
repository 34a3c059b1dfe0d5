import type { Packet } from '../../dissector.js';
import { L4_SCTP, STATUS_TRUNCATED } from '../../dissector.js';
import { P_SCTP } from '../../proto-ids.js';
import { has, u16be } from '../../../wire/byte-view.js';

/** SCTP common header (RFC 9260): sport(2) dport(2) verification_tag(4) checksum(4), then chunks. */
export function decodeSctp(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_SCTP);
  const l = p.top();
  if (!has(off, 12, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (l === null) return;
  l.l4 = L4_SCTP;
  l.srcPort = u16be(b, off);
  l.dstPort = u16be(b, off + 2);
  l.payloadOff = off + 12;
  l.payloadLen = end - off - 12;
}
