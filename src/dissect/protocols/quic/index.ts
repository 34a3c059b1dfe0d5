/** QUIC descriptor: fields, port bindings and the long-header heuristic. */
import type { ProtocolDescriptor } from '../../dissector.js';
import type { FieldDef } from '../../../shared/fields.js';
import { looksLikeQuic } from './heuristic.js';

export const QUIC_FIELDS: FieldDef[] = [
  {
    id: 'quic.version',
    type: 'string',
    doc: 'QUIC version of the Initial packets (QUIC v1, QUIC v2, draft-29, ...)',
  },
  { id: 'quic.dcid', type: 'string', doc: "client's first Destination Connection ID (hex)" },
  { id: 'quic.scid', type: 'string', doc: "client's Source Connection ID (hex)" },
];

export const quic: ProtocolDescriptor = {
  id: 'quic',
  name: 'QUIC',
  fields: QUIC_FIELDS,
  bindings: [
    { table: 'udp.port', value: 443 },
    { table: 'heuristic', transport: 'udp', test: (b, off, len) => looksLikeQuic(b, off, off + len) },
  ],
};

export { looksLikeQuic };
