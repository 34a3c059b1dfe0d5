import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeUdp } from './decode.js';

export const udp: ProtocolDescriptor = {
  id: 'udp',
  name: 'User Datagram Protocol',
  fields: [
    { id: 'udp.srcport', type: 'int', doc: 'UDP source port (of the first sender)' },
    { id: 'udp.dstport', type: 'int', doc: 'UDP destination port' },
  ],
  bindings: [{ table: 'ip.proto', value: 17, decode: decodeUdp }],
};
