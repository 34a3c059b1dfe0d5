/** Post Office Protocol v3 descriptor: port bindings. */
import type { ProtocolDescriptor } from '../../dissector.js';

export const pop3: ProtocolDescriptor = {
  id: 'pop3',
  name: 'Post Office Protocol v3',
  fields: [],
  bindings: [{ table: 'tcp.port', value: 110 }],
};
