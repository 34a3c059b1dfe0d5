import type { Packet } from '../../dissector.js';
import { STATUS_MALFORMED, STATUS_TRUNCATED } from '../../dissector.js';
import { P_MPLS, P_OTHER } from '../../proto-ids.js';
import { has, u32be } from '../../../wire/byte-view.js';
import { decodeIpv4 } from '../ipv4/decode.js';
import { decodeIpv6 } from '../ipv6/decode.js';
import { decodeEth } from '../eth/decode.js';

const MAX_LABELS = 16;

/**
 * MPLS label stack (RFC 3032): entries of label(20) tc(3) s(1) ttl(8) until S=1. The payload type is not
 * signalled; like Wireshark we guess from the first nibble (4/6 = IP, 0 = pseudowire control word + Ethernet).
 */
export function decodeMpls(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_MPLS);
  for (let i = 0; ; i++) {
    if (i >= MAX_LABELS) {
      p.fail(STATUS_MALFORMED);
      return;
    }
    if (!has(off, 4, end)) {
      p.fail(STATUS_TRUNCATED);
      return;
    }
    const e = u32be(b, off);
    if (p.mplsCount === 0) p.mplsLabel = e >>> 12;
    p.mplsCount++;
    off += 4;
    if (e & 0x100) break;
  }
  if (off >= end) return;
  const nib = b[off]! >> 4;
  if (nib === 4) decodeIpv4(p, b, off, end);
  else if (nib === 6) decodeIpv6(p, b, off, end);
  else if (nib === 0 && has(off, 4 + 14, end)) decodeEth(p, b, off + 4, end);
  else p.mark(P_OTHER);
}
