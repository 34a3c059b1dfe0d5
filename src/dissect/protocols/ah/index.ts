import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeAh } from './decode.js';

export const ah: ProtocolDescriptor = {
  id: 'ah',
  name: 'IPsec Authentication Header',
  fields: [],
  bindings: [{ table: 'ip.proto', value: 51, decode: decodeAh }],
};
