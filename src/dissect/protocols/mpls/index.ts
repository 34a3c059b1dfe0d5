import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeMpls } from './decode.js';

export const mpls: ProtocolDescriptor = {
  id: 'mpls',
  name: 'MPLS label stack',
  fields: [{ id: 'mpls.label', type: 'int', doc: 'top MPLS label' }],
  bindings: [
    { table: 'ethertype', value: 0x8847, decode: decodeMpls },
    { table: 'ethertype', value: 0x8848, decode: decodeMpls },
    { table: 'ppp', value: 0x0281, decode: decodeMpls },
    { table: 'ip.proto', value: 137, decode: decodeMpls },
  ],
};
