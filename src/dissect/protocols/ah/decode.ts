import type { Packet } from '../../dissector.js';
import { STATUS_TRUNCATED } from '../../dissector.js';
import { P_AH } from '../../proto-ids.js';
import { decodeIpPayload } from '../../ip-payload.js';
import { has } from '../../../wire/byte-view.js';

/** AH (RFC 4302): next_header(1) payload_len(1, in 4-byte words minus 2) ... ; the payload is in clear. */
export function decodeAh(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_AH);
  const l = p.top();
  if (!has(off, 2, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  const len = (b[off + 1]! + 2) * 4;
  if (!has(off, len, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (l !== null) decodeIpPayload(p, l, b[off]!, b, off + len, end);
}
