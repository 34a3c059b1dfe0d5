import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeIcmp } from './decode.js';

export const icmp: ProtocolDescriptor = {
  id: 'icmp',
  name: 'Internet Control Message Protocol',
  fields: [
    { id: 'icmp.type', type: 'int', doc: 'ICMP type of the first packet' },
    { id: 'icmp.code', type: 'int', doc: 'ICMP code of the first packet' },
  ],
  bindings: [{ table: 'ip.proto', value: 1, decode: decodeIcmp }],
};
