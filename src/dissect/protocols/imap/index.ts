/** Internet Message Access Protocol descriptor: port bindings. */
import type { ProtocolDescriptor } from '../../dissector.js';

export const imap: ProtocolDescriptor = {
  id: 'imap',
  name: 'Internet Message Access Protocol',
  fields: [],
  bindings: [{ table: 'tcp.port', value: 143 }],
};
