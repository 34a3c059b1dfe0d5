import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeSll2 } from './decode.js';

export const sll2: ProtocolDescriptor = {
  id: 'sll2',
  name: 'Linux cooked capture v2',
  fields: [],
  bindings: [{ table: 'link', value: 276, decode: decodeSll2 }],
};
