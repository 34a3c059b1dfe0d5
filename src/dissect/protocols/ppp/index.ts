import type { ProtocolDescriptor } from '../../dissector.js';
import { decodePppLink, decodePppProto } from './decode.js';

export const ppp: ProtocolDescriptor = {
  id: 'ppp',
  name: 'Point-to-Point Protocol',
  fields: [{ id: 'ppp.protocol', type: 'int', doc: 'PPP protocol number of the payload' }],
  bindings: [
    { table: 'link', value: 9, decode: decodePppLink },
    { table: 'link', value: 50, decode: decodePppLink },
    // PPP in GRE (PPTP enhanced GRE, RFC 2637)
    { table: 'ethertype', value: 0x880b, decode: decodePppProto },
  ],
};
