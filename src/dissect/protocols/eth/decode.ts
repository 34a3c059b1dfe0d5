import type { Packet } from '../../dissector.js';
import { STATUS_TRUNCATED } from '../../dissector.js';
import { P_ETH } from '../../proto-ids.js';
import { dispatchEtherType } from '../../tables.js';
import { has, u16be } from '../../../wire/byte-view.js';
import { decodeLlc } from '../llc/decode.js';

/** Ethernet II / IEEE 802.3: dst(6) src(6) type-or-length(2). */
export function decodeEth(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_ETH);
  if (!has(off, 14, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  p.macBuf = b;
  p.dstMacOff = off;
  p.srcMacOff = off + 6;
  const type = u16be(b, off + 12);
  // values up to 1500 are an 802.3 length: an 802.2 LLC header follows
  if (type <= 1500) decodeLlc(p, b, off + 14, Math.min(end, off + 14 + type));
  else dispatchEtherType(p, type, b, off + 14, end);
}
