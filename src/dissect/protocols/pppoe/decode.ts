import type { Packet } from '../../dissector.js';
import { STATUS_MALFORMED, STATUS_TRUNCATED } from '../../dissector.js';
import { P_PPPOE, P_PPPOED } from '../../proto-ids.js';
import { has, u16be } from '../../../wire/byte-view.js';
import { decodePppProto } from '../ppp/decode.js';

/** PPPoE session stage (RFC 2516): ver/type(1) code(1) session_id(2) length(2), then a PPP protocol field. */
export function decodePppoeSession(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_PPPOE);
  if (!has(off, 6, end)) {
    p.fail(STATUS_TRUNCATED);
    return;
  }
  if (b[off] !== 0x11) {
    p.fail(STATUS_MALFORMED);
    return;
  }
  p.pppoeSession = u16be(b, off + 2);
  const len = u16be(b, off + 4);
  decodePppProto(p, b, off + 6, Math.min(end, off + 6 + len));
}

/** PPPoE discovery stage (PADI/PADO/PADR/PADS/PADT): counted, not decoded further. */
export function decodePppoeDiscovery(p: Packet, b: Uint8Array, off: number, end: number): void {
  p.mark(P_PPPOED);
  if (!has(off, 6, end)) p.fail(STATUS_TRUNCATED);
  else p.pppoeSession = u16be(b, off + 2);
}
