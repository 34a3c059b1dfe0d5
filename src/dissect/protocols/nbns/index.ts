/** NetBIOS Name Service descriptor (RFC 1002): DNS-format messages with encoded names, UDP 137. */
import type { ProtocolDescriptor } from '../../dissector.js';

export const nbns: ProtocolDescriptor = {
  id: 'nbns',
  name: 'NetBIOS Name Service',
  fields: [],
  bindings: [{ table: 'udp.port', value: 137 }],
};
