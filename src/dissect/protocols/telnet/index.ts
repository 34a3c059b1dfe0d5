/** Telnet descriptor: port bindings. */
import type { ProtocolDescriptor } from '../../dissector.js';

export const telnet: ProtocolDescriptor = {
  id: 'telnet',
  name: 'Telnet',
  fields: [],
  bindings: [{ table: 'tcp.port', value: 23 }],
};
