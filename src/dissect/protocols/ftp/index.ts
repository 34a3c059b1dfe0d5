/** File Transfer Protocol (control) descriptor: port bindings. */
import type { ProtocolDescriptor } from '../../dissector.js';

export const ftp: ProtocolDescriptor = {
  id: 'ftp',
  name: 'File Transfer Protocol (control)',
  fields: [
    { id: 'ftp.command', type: 'string', doc: 'FTP command verb' },
    { id: 'ftp.reply_code', type: 'int', doc: 'FTP reply code' },
  ],
  bindings: [{ table: 'tcp.port', value: 21 }],
};
