import type { Packet } from '../../dissector.js';
import { L4_UDP, STATUS_MALFORMED, STATUS_TRUNCATED } from '../../dissector.js';
import { P_UDP } from '../../proto-ids.js';
import { dispatchUdpPort } from '../../tables.js';
import { has, u16be } from '../../../wire/byte-view.js';

/**
 * UDP (RFC 768): sport(2) dport(2) length(2) csum(2). Length 0 is allowed only in IPv6 jumbograms
 * (RFC 2675) and then means "to the end of the IP payload".
 */
export function decodeUdp(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_UDP);
  const l = p.top();
  if (!has(off, 8, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (l === null) return;
  l.l4 = L4_UDP;
  l.srcPort = u16be(b, off);
  l.dstPort = u16be(b, off + 2);
  const ulen = u16be(b, off + 4);
  let uend = end;
  if (ulen !== 0) {
    if (ulen < 8) {
      p.fail(STATUS_MALFORMED);
      l.payloadOff = off + 8;
      l.payloadLen = 0;
      return;
    }
    if (off + ulen > end) p.fail(STATUS_TRUNCATED);
    else uend = off + ulen;
  }
  l.payloadOff = off + 8;
  l.payloadLen = uend - off - 8;
  dispatchUdpPort(p, l.srcPort, l.dstPort, b, off + 8, uend);
}
