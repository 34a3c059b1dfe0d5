import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeVlan } from './decode.js';

export const vlan: ProtocolDescriptor = {
  id: 'vlan',
  name: 'IEEE 802.1Q VLAN / 802.1ad QinQ',
  fields: [{ id: 'vlan.id', type: 'int', doc: 'VLAN identifier (innermost tag for flows)' }],
  bindings: [
    { table: 'ethertype', value: 0x8100, decode: decodeVlan },
    { table: 'ethertype', value: 0x88a8, decode: decodeVlan },
    // pre-standard QinQ TPIDs still seen on carrier gear
    { table: 'ethertype', value: 0x9100, decode: decodeVlan },
    { table: 'ethertype', value: 0x9200, decode: decodeVlan },
  ],
};
