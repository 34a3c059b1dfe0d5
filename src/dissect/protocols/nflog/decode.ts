import type { Packet } from '../../dissector.js';
import { STATUS_MALFORMED, STATUS_TRUNCATED } from '../../dissector.js';
import { P_NFLOG, P_OTHER } from '../../proto-ids.js';
import { has, u16be, u16le } from '../../../wire/byte-view.js';
import { decodeIpv4 } from '../ipv4/decode.js';
import { decodeIpv6 } from '../ipv6/decode.js';

const NFULA_PAYLOAD = 9;
const MAX_TLVS = 64;

/**
 * LINKTYPE_NFLOG (239): family(1) version(1) resource_id(2, BE), then TLVs of length(2) type(2) value,
 * each padded to 4 bytes. TLV length/type are in the capturing host's byte order; we take little-endian
 * unless that length is impossible and the big-endian one is not.
 */
export function decodeNflog(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_NFLOG);
  if (!has(off, 4, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const family = b[off]!;
  let o = off + 4;
  let le = true;
  if (has(o, 4, end)) {
    const l = u16le(b, o);
    if (l < 4 || o + l > end) le = false;
  }
  for (let i = 0; i < MAX_TLVS && has(o, 4, end); i++) {
    const len = le ? u16le(b, o) : u16be(b, o);
    // the top bits of the type are netlink flags (nested, byte order)
    const type = (le ? u16le(b, o + 2) : u16be(b, o + 2)) & 0x7fff;
    if (len < 4) {
      p.fail(STATUS_MALFORMED);
      return;
    }
    if (type === NFULA_PAYLOAD) {
      const pend = Math.min(end, o + len);
      if (o + len > end) p.fail(STATUS_TRUNCATED);
      if (family === 2) decodeIpv4(p, b, o + 4, pend);
      else if (family === 10) decodeIpv6(p, b, o + 4, pend);
      else p.mark(P_OTHER);
      return;
    }
    o += (len + 3) & ~3;
  }
}
