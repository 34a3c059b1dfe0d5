import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeSctp } from './decode.js';

export const sctp: ProtocolDescriptor = {
  id: 'sctp',
  name: 'Stream Control Transmission Protocol',
  fields: [
    { id: 'sctp.srcport', type: 'int', doc: 'SCTP source port' },
    { id: 'sctp.dstport', type: 'int', doc: 'SCTP destination port' },
  ],
  bindings: [{ table: 'ip.proto', value: 132, decode: decodeSctp }],
};
