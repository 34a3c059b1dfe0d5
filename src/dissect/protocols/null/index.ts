import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeLoop, decodeNull } from './decode.js';

export const nullLink: ProtocolDescriptor = {
  id: 'null',
  name: 'BSD loopback (NULL / LOOP)',
  fields: [],
  bindings: [
    { table: 'link', value: 0, decode: decodeNull },
    { table: 'link', value: 108, decode: decodeLoop },
  ],
};
