import type { Packet } from '../../dissector.js';
import { STATUS_TRUNCATED } from '../../dissector.js';
import { P_NULL, P_OTHER } from '../../proto-ids.js';
import { has, u32be, u32le } from '../../../wire/byte-view.js';
import { decodeIpv4 } from '../ipv4/decode.js';
import { decodeIpv6 } from '../ipv6/decode.js';

function byFamily(p: Packet, family: number, b: Uint8Array, off: number, end: number): void {
  // AF_INET is 2 everywhere; AF_INET6 differs per OS: 10 Linux, 24 Net/OpenBSD, 28 FreeBSD, 30 Darwin, 23 Windows
  if (family === 2) decodeIpv4(p, b, off, end);
  else if (family === 10 || family === 24 || family === 28 || family === 30 || family === 23) {
    decodeIpv6(p, b, off, end);
  } else p.mark(P_OTHER);
}

/**
 * LINKTYPE_NULL (0): a 4-byte address family in the byte order of the capturing host. Families are small,
 * so a value whose low 16 bits are zero when read little-endian was written big-endian.
 */
export function decodeNull(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_NULL);
  if (!has(off, 4, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  let fam = u32le(b, off);
  if ((fam & 0xffff) === 0) fam = u32be(b, off);
  byFamily(p, fam, b, off + 4, end);
}

/** LINKTYPE_LOOP (108): as NULL but always big-endian (OpenBSD). */
export function decodeLoop(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_NULL);
  if (!has(off, 4, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  byFamily(p, u32be(b, off), b, off + 4, end);
}
