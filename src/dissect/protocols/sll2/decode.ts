import type { Packet } from '../../dissector.js';
import { STATUS_TRUNCATED } from '../../dissector.js';
import { P_SLL } from '../../proto-ids.js';
import { has, u16be } from '../../../wire/byte-view.js';
import { dispatchSllProtocol } from '../sll/decode.js';

/**
 * LINKTYPE_LINUX_SLL2 (276): protocol(2) reserved(2) ifindex(4) arphrd(2) pkttype(1) addr_len(1) addr(8).
 * Counted as `sll`, as tshark does for both versions.
 */
export function decodeSll2(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_SLL);
  if (!has(off, 20, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (b[off + 11] === 6) {
    p.macBuf = b;
    p.srcMacOff = off + 12;
    p.dstMacOff = -1;
  }
  dispatchSllProtocol(p, u16be(b, off + 8), u16be(b, off), b, off + 20, end);
}
