import type { Packet } from '../../dissector.js';
import { STATUS_MALFORMED, STATUS_TRUNCATED } from '../../dissector.js';
import { P_RAW } from '../../proto-ids.js';
import { has } from '../../../wire/byte-view.js';
import { decodeIpv4 } from '../ipv4/decode.js';
import { decodeIpv6 } from '../ipv6/decode.js';

/** LINKTYPE_RAW (101, and DLT 12/14 on some systems): an IPv4 or IPv6 packet, told apart by its version. */
export function decodeRaw(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_RAW);
  if (!has(off, 1, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const v = b[off]! >> 4;
  if (v === 4) decodeIpv4(p, b, off, end);
  else if (v === 6) decodeIpv6(p, b, off, end);
  else p.fail(STATUS_MALFORMED);
}

/** LINKTYPE_IPV4 (228). */
export function decodeRaw4(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_RAW);
  decodeIpv4(p, b, off, end);
}

/** LINKTYPE_IPV6 (229). */
export function decodeRaw6(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_RAW);
  decodeIpv6(p, b, off, end);
}
