import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeRaw, decodeRaw4, decodeRaw6 } from './decode.js';

export const raw: ProtocolDescriptor = {
  id: 'raw',
  name: 'Raw IP (no link header)',
  fields: [],
  bindings: [
    { table: 'link', value: 101, decode: decodeRaw },
    { table: 'link', value: 12, decode: decodeRaw },
    { table: 'link', value: 14, decode: decodeRaw },
    { table: 'link', value: 228, decode: decodeRaw4 },
    { table: 'link', value: 229, decode: decodeRaw6 },
  ],
};
