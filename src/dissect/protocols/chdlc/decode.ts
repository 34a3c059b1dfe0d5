import type { Packet } from '../../dissector.js';
import { STATUS_TRUNCATED } from '../../dissector.js';
import { P_CHDLC } from '../../proto-ids.js';
import { dispatchEtherType } from '../../tables.js';
import { has, u16be } from '../../../wire/byte-view.js';

/** Cisco HDLC: address(1: 0x0F unicast, 0x8F broadcast) control(1) protocol(2, an EtherType). */
export function decodeChdlc(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_CHDLC);
  if (!has(off, 4, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  dispatchEtherType(p, u16be(b, off + 2), b, off + 4, end);
}
