import type { NetLayer, Packet } from './dissector.js';
import { L4_OTHER } from './dissector.js';
import { dispatchIpProto } from './tables.js';

/**
 * Hands the payload of an IP header (after extension headers, or a reassembled datagram) to the transport
 * decoder. Until a transport decoder claims it, the layer is an IP-level conversation (L4_OTHER).
 */
export function decodeIpPayload(
  p: Packet,
  l: NetLayer,
  proto: number,
  b: Uint8Array,
  off: number,
  end: number,
): void {
  l.ipProto = proto;
  l.l4 = L4_OTHER;
  l.pbuf = b;
  l.l4Off = off;
  l.payloadOff = off;
  l.payloadLen = end > off ? end - off : 0;
  dispatchIpProto(p, proto, b, off, end);
}
