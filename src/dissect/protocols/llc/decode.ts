import type { Packet } from '../../dissector.js';
import { STATUS_TRUNCATED } from '../../dissector.js';
import { P_LLC, P_OTHER } from '../../proto-ids.js';
import { dispatchEtherType } from '../../tables.js';
import { has, u16be } from '../../../wire/byte-view.js';

/** IEEE 802.2 LLC: dsap(1) ssap(1) control(1); SNAP (AA AA 03) adds oui(3) ethertype(2). */
export function decodeLlc(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_LLC);
  if (!has(off, 3, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (b[off] === 0xaa && b[off + 1] === 0xaa && b[off + 2] === 0x03) {
    if (!has(off, 8, end)) {
      p.fail(STATUS_TRUNCATED);
      return;
    }
    // OUI 00-00-00 (RFC 1042) and 00-00-F8 (802.1H bridge tunnel) both carry an EtherType
    if (b[off + 3] === 0 && b[off + 4] === 0 && (b[off + 5] === 0 || b[off + 5] === 0xf8)) {
      dispatchEtherType(p, u16be(b, off + 6), b, off + 8, end);
      return;
    }
  }
  p.mark(P_OTHER);
}
