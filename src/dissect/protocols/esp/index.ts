import type { Packet, ProtocolDescriptor } from '../../dissector.js';
import { P_ESP } from '../../proto-ids.js';

/** ESP (RFC 4303): the payload is encrypted; decoding stops here. */
function decodeEsp(p: Packet): void {
  p.mark(P_ESP);
}

export const esp: ProtocolDescriptor = {
  id: 'esp',
  name: 'IPsec Encapsulating Security Payload',
  fields: [],
  bindings: [{ table: 'ip.proto', value: 50, decode: decodeEsp }],
};
