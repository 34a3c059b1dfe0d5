import type { Packet } from '../../dissector.js';
import { L4_TCP, STATUS_MALFORMED, STATUS_TRUNCATED } from '../../dissector.js';
import { P_TCP } from '../../proto-ids.js';
import { dispatchTcpPort } from '../../tables.js';
import { has, u16be, u32be } from '../../../wire/byte-view.js';

/**
 * TCP (RFC 9293): sport(2) dport(2) seq(4) ack(4) offset/flags(2) window(2) csum(2) urg(2) options.
 * The layer becomes a TCP conversation only when the whole header (with options) is present, as in tshark.
 */
export function decodeTcp(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_TCP);
  const l = p.top();
  if (!has(off, 20, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const hl = (b[off + 12]! >> 4) * 4;
  if (hl < 20 || l === null) {
    p.fail(STATUS_MALFORMED);
    return;
  }
  l.srcPort = u16be(b, off);
  l.dstPort = u16be(b, off + 2);
  l.tcpSeq = u32be(b, off + 4);
  l.tcpAck = u32be(b, off + 8);
  l.tcpFlags = u16be(b, off + 12) & 0x1ff;
  l.tcpWin = u16be(b, off + 14);
  // a header longer than the segment ("short segment", often crafted): tshark shows the fields but keeps
  // the packet out of TCP conversations; it stays an IP-level one here too
  if (!has(off, hl, end)) {
    p.fail(p.end - p.off < p.frameLen ? STATUS_TRUNCATED : STATUS_MALFORMED);
    l.tcpShort = true;
    l.payloadOff = end;
    l.payloadLen = 0;
    return;
  }
  l.l4 = L4_TCP;
  // options (RFC 9293 3.2): kind 0 ends, 1 pads, others carry a length >= 2
  let o = off + 20;
  const oe = off + hl;
  for (let n = 0; n < 40 && o < oe; n++) {
    const kind = b[o]!;
    if (kind === 0) break;
    if (kind === 1) {
      o++;
      continue;
    }
    if (o + 2 > oe) break;
    const ol = b[o + 1]!;
    if (ol < 2 || o + ol > oe) {
      p.fail(STATUS_MALFORMED);
      break;
    }
    if (kind === 2 && ol === 4) l.tcpMss = u16be(b, o + 2);
    else if (kind === 3 && ol === 3) l.tcpWscale = b[o + 2]!;
    o += ol;
  }
  l.payloadOff = off + hl;
  l.payloadLen = end - off - hl;
  if (l.payloadLen > 0) dispatchTcpPort(p, l.srcPort, l.dstPort, b, off + hl, end);
}
