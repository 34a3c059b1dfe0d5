import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeChdlc } from './decode.js';

export const chdlc: ProtocolDescriptor = {
  id: 'chdlc',
  name: 'Cisco HDLC',
  fields: [],
  bindings: [{ table: 'link', value: 104, decode: decodeChdlc }],
};
