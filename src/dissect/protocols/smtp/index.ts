/** Simple Mail Transfer Protocol descriptor: port bindings. */
import type { ProtocolDescriptor } from '../../dissector.js';

export const smtp: ProtocolDescriptor = {
  id: 'smtp',
  name: 'Simple Mail Transfer Protocol',
  fields: [
    { id: 'smtp.mail_from', type: 'string', doc: 'MAIL FROM address' },
    { id: 'smtp.rcpt_to', type: 'string[]', doc: 'RCPT TO addresses' },
    { id: 'smtp.subject', type: 'string', doc: 'Subject header of a message sent with DATA' },
  ],
  bindings: [
    { table: 'tcp.port', value: 25 },
    { table: 'tcp.port', value: 587 },
    { table: 'tcp.port', value: 2525 },
  ],
};
