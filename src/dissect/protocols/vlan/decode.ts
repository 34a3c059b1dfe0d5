import type { Packet } from '../../dissector.js';
import { MAX_VLANS, STATUS_TRUNCATED } from '../../dissector.js';
import { P_VLAN } from '../../proto-ids.js';
import { dispatchEtherType } from '../../tables.js';
import { has, u16be } from '../../../wire/byte-view.js';
import { decodeLlc } from '../llc/decode.js';

/** IEEE 802.1Q / 802.1ad tag after the TPID: tci(2: pcp 3, dei 1, vid 12) type(2). */
export function decodeVlan(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_VLAN);
  if (!has(off, 4, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (p.vlanCount < MAX_VLANS) p.vlanIds[p.vlanCount++] = u16be(b, off) & 0x0fff;
  const type = u16be(b, off + 2);
  if (type <= 1500) decodeLlc(p, b, off + 4, Math.min(end, off + 4 + type));
  else dispatchEtherType(p, type, b, off + 4, end);
}
