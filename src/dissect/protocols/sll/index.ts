import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeSll } from './decode.js';

export const sll: ProtocolDescriptor = {
  id: 'sll',
  name: 'Linux cooked capture v1',
  fields: [],
  bindings: [{ table: 'link', value: 113, decode: decodeSll }],
};
