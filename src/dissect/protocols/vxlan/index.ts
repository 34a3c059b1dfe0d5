import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeVxlan } from './decode.js';

export const vxlan: ProtocolDescriptor = {
  id: 'vxlan',
  name: 'Virtual eXtensible LAN',
  fields: [],
  bindings: [{ table: 'udp.port', value: 4789, decode: decodeVxlan }],
};
