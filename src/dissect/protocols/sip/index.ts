/** SIP descriptor: UDP/TCP 5060. */
import type { ProtocolDescriptor } from '../../dissector.js';
import { looksLikeSip } from './decode.js';

export const sip: ProtocolDescriptor = {
  id: 'sip',
  name: 'Session Initiation Protocol',
  fields: [
    { id: 'sip.method', type: 'string', doc: 'request method (INVITE, REGISTER, ...)' },
    { id: 'sip.status', type: 'int', doc: 'response status code' },
    { id: 'sip.from_addr', type: 'string', doc: 'From header' },
    { id: 'sip.to_addr', type: 'string', doc: 'To header' },
    { id: 'sip.call_id', type: 'string', doc: 'Call-ID header' },
  ],
  bindings: [
    { table: 'udp.port', value: 5060 },
    { table: 'tcp.port', value: 5060 },
    { table: 'heuristic', transport: 'udp', test: looksLikeSip },
  ],
};
