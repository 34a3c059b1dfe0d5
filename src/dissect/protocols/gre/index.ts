import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeGre } from './decode.js';

export const gre: ProtocolDescriptor = {
  id: 'gre',
  name: 'Generic Routing Encapsulation',
  fields: [],
  bindings: [{ table: 'ip.proto', value: 47, decode: decodeGre }],
};
