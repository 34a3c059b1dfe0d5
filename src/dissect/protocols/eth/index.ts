import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeEth } from './decode.js';

export const eth: ProtocolDescriptor = {
  id: 'eth',
  name: 'Ethernet II / IEEE 802.3',
  fields: [
    { id: 'eth.src', type: 'mac', doc: 'source MAC address' },
    { id: 'eth.dst', type: 'mac', doc: 'destination MAC address' },
    { id: 'eth.addr', type: 'mac', doc: 'source or destination MAC address' },
    { id: 'eth.type', type: 'int', doc: 'EtherType of the payload' },
  ],
  bindings: [
    { table: 'link', value: 1, decode: decodeEth },
    // Transparent Ethernet Bridging (GRE/NVGRE carry whole Ethernet frames)
    { table: 'ethertype', value: 0x6558, decode: decodeEth },
  ],
};
