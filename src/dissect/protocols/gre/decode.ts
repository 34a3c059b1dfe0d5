import type { Packet } from '../../dissector.js';
import { STATUS_MALFORMED, STATUS_TRUNCATED } from '../../dissector.js';
import { P_GRE } from '../../proto-ids.js';
import { dispatchEtherType } from '../../tables.js';
import { has, u16be } from '../../../wire/byte-view.js';

/**
 * GRE (RFC 2784/2890; version 1 = PPTP enhanced GRE, RFC 2637): flags/version(2) protocol(2, an EtherType),
 * then checksum+reserved (C), key (K), sequence (S) and, in version 1, acknowledgment (A), 4 bytes each.
 * Source routing (R, RFC 1701) is obsolete and not decoded.
 */
export function decodeGre(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_GRE);
  if (!has(off, 4, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const fl = u16be(b, off);
  const ver = fl & 7;
  if (ver > 1 || fl & 0x4000) {
    if (ver > 1) p.fail(STATUS_MALFORMED);
    return;
  }
  let hl = 4;
  if (fl & 0x8000) hl += 4;
  if (fl & 0x2000) hl += 4;
  if (fl & 0x1000) hl += 4;
  if (ver === 1 && fl & 0x0080) hl += 4;
  if (!has(off, hl, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  dispatchEtherType(p, u16be(b, off + 2), b, off + hl, end);
}
