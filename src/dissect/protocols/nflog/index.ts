import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeNflog } from './decode.js';

export const nflog: ProtocolDescriptor = {
  id: 'nflog',
  name: 'Linux netfilter NFLOG',
  fields: [],
  bindings: [{ table: 'link', value: 239, decode: decodeNflog }],
};
