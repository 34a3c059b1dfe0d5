import type { ProtocolDescriptor } from '../../dissector.js';
import { decodePppoeDiscovery, decodePppoeSession } from './decode.js';

export const pppoe: ProtocolDescriptor = {
  id: 'pppoe',
  name: 'PPP over Ethernet',
  fields: [{ id: 'pppoe.session_id', type: 'int', doc: 'PPPoE session id' }],
  bindings: [
    { table: 'ethertype', value: 0x8864, decode: decodePppoeSession },
    { table: 'ethertype', value: 0x8863, decode: decodePppoeDiscovery },
  ],
};
