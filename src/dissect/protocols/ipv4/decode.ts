import type { Packet } from '../../dissector.js';
import { FRAG_PENDING, FRAG_REASSEMBLED, STATUS_MALFORMED, STATUS_TRUNCATED } from '../../dissector.js';
import { P_IPV4 } from '../../proto-ids.js';
import { decodeIpPayload } from '../../ip-payload.js';
import { has, u16be, u32be } from '../../../wire/byte-view.js';

/**
 * IPv4 (RFC 791): ver/ihl(1) tos(1) total_length(2) id(2) flags/frag_offset(2) ttl(1) proto(1) csum(2)
 * src(4) dst(4) options. Bytes past total_length (Ethernet padding) are ignored. A total length of 0
 * (segmentation offload captures) means "up to the end of the frame".
 */
export function decodeIpv4(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_IPV4);
  if (!has(off, 20, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const vihl = b[off]!;
  const hl = (vihl & 15) * 4;
  if (vihl >> 4 !== 4 || hl < 20) {
    p.fail(STATUS_MALFORMED);
    return;
  }
  const l = p.pushLayer();
  if (l === null) return;
  l.version = 4;
  l.buf = b;
  l.ipOff = off;
  l.src4 = u32be(b, off + 12);
  l.dst4 = u32be(b, off + 16);
  l.ttl = b[off + 8]!;
  l.ipId = u16be(b, off + 4);
  const proto = b[off + 9]!;
  l.ipProto = proto;
  const tot = u16be(b, off + 2);
  l.ipLen = tot;
  if (tot !== 0 && tot < hl) {
    p.fail(STATUS_MALFORMED);
    return;
  }
  if (!has(off, hl, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  let dend = tot === 0 ? end : off + tot;
  let cut = false;
  if (dend > end) {
    p.fail(STATUS_TRUNCATED);
    dend = end;
    cut = true;
  }
  const ff = u16be(b, off + 6);
  const more = (ff & 0x2000) !== 0;
  const fo = (ff & 0x1fff) * 8;
  if (more || fo !== 0) {
    l.fragOffset = fo;
    l.fragMore = more;
    l.frag = FRAG_PENDING;
    const sink = p.defrag;
    // a snaplen-cut fragment would leave a hole: it cannot complete a datagram
    if (sink !== null && !cut && sink.fragment(p, l, proto, l.ipId, fo, more, b, off + hl, dend - off - hl)) {
      l.frag = FRAG_REASSEMBLED;
      decodeIpPayload(p, l, proto, sink.out, 0, sink.outLen);
    } else {
      l.ipProto = proto;
      l.pbuf = b;
      l.l4Off = off + hl;
      l.payloadOff = off + hl;
      l.payloadLen = dend - off - hl;
    }
    return;
  }
  decodeIpPayload(p, l, proto, b, off + hl, dend);
}
