import type { NetLayer, Packet } from '../../dissector.js';
import { FRAG_PENDING, FRAG_REASSEMBLED, STATUS_MALFORMED, STATUS_TRUNCATED } from '../../dissector.js';
import { P_IPV6 } from '../../proto-ids.js';
import { decodeIpPayload } from '../../ip-payload.js';
import { has, u16be, u32be } from '../../../wire/byte-view.js';

const HOPOPTS = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DSTOPTS = 60;
const MOBILITY = 135;
const HIP = 139;
const SHIM6 = 140;
const MAX_EXT = 16;

/** Jumbo Payload option (RFC 2675) inside a hop-by-hop header at b[o, o+len): its length, or -1. */
function jumboLength(b: Uint8Array, o: number, len: number): number {
  let i = o + 2;
  const e = o + len;
  for (let n = 0; n < 64 && i < e; n++) {
    const t = b[i]!;
    if (t === 0) {
      i++; // Pad1
      continue;
    }
    if (i + 2 > e) break;
    const ol = b[i + 1]!;
    if (t === 0xc2 && ol === 4 && i + 6 <= e) return u32be(b, i + 2);
    i += 2 + ol;
  }
  return -1;
}

/**
 * A routing header with segments left names the packet's final destination, which (like Wireshark) we
 * use as the layer's destination for transport conversations: the last address of a type 0 (RFC 2460) or type 2
 * (RFC 6275) header, the first entry of a Segment Routing header (type 4, RFC 8754).
 */
function finalDestination(l: NetLayer, b: Uint8Array, o: number, len: number): void {
  const type = b[o + 2]!;
  const left = b[o + 3]!;
  if (left === 0 || len < 24) return;
  if (type === 0 || type === 2) l.finalDstOff = o + len - 16;
  else if (type === 4) l.finalDstOff = o + 8;
}

/**
 * IPv6 (RFC 8200): ver/tc/flow(4) payload_length(2) next_header(1) hop_limit(1) src(16) dst(16), then the
 * extension header chain. A payload length of 0 is a jumbogram (RFC 2675) when a Jumbo Payload option says
 * so, else (segmentation offload captures) "up to the end of the frame". ESP and AH are ip.proto decoders.
 */
export function decodeIpv6(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_IPV6);
  if (!has(off, 40, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (b[off]! >> 4 !== 6) {
    p.fail(STATUS_MALFORMED);
    return;
  }
  const l = p.pushLayer();
  if (l === null) return;
  l.version = 6;
  l.buf = b;
  l.ipOff = off;
  l.srcOff = off + 8;
  l.dstOff = off + 24;
  l.finalDstOff = off + 24;
  l.ttl = b[off + 7]!;
  const plen = u16be(b, off + 4);
  l.ipLen = 40 + plen;
  let nh = b[off + 6]!;
  let o = off + 40;
  let dend = plen === 0 ? end : o + plen;
  if (dend > end) {
    p.fail(STATUS_TRUNCATED);
    dend = end;
  }
  let buf = b;
  for (let n = 0; ; n++) {
    if (n >= MAX_EXT) {
      p.fail(STATUS_MALFORMED);
      return;
    }
    if (nh === HOPOPTS || nh === ROUTING || nh === DSTOPTS || nh === MOBILITY || nh === HIP || nh === SHIM6) {
      if (!has(o, 2, dend)) {
        p.fail(STATUS_TRUNCATED);
        return;
      }
      const len = (buf[o + 1]! + 1) * 8;
      if (!has(o, len, dend)) {
        p.fail(STATUS_TRUNCATED);
        return;
      }
      if (nh === HOPOPTS && plen === 0 && n === 0) {
        const j = jumboLength(buf, o, len);
        if (j > 0) {
          l.ipLen = 40 + j;
          dend = Math.min(end, off + 40 + j);
        }
      }
      if (nh === ROUTING && buf === b) finalDestination(l, buf, o, len);
      l.extCount++;
      nh = buf[o]!;
      o += len;
      continue;
    }
    if (nh === FRAGMENT) {
      if (!has(o, 8, dend)) {
        p.fail(STATUS_TRUNCATED);
        return;
      }
      l.extCount++;
      const next = buf[o]!;
      const fw = u16be(buf, o + 2);
      const fo = fw & 0xfff8;
      const more = (fw & 1) !== 0;
      o += 8;
      nh = next;
      // an atomic fragment (offset 0, no more) is a whole datagram (RFC 6946)
      if (fo === 0 && !more) continue;
      l.ipId = u32be(buf, o - 4);
      l.fragOffset = fo;
      l.fragMore = more;
      l.frag = FRAG_PENDING;
      const sink = p.defrag;
      if (buf === b && sink !== null && dend - off === l.ipLen) {
        if (sink.fragment(p, l, next, l.ipId, fo, more, buf, o, dend - o)) {
          l.frag = FRAG_REASSEMBLED;
          buf = sink.out;
          o = 0;
          dend = sink.outLen;
          continue;
        }
      }
      l.ipProto = next;
      l.pbuf = buf;
      l.l4Off = o;
      l.payloadOff = o;
      l.payloadLen = dend > o ? dend - o : 0;
      return;
    }
    break;
  }
  decodeIpPayload(p, l, nh, buf, o, dend);
}
