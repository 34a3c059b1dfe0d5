import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeTcp } from './decode.js';

export const tcp: ProtocolDescriptor = {
  id: 'tcp',
  name: 'Transmission Control Protocol',
  fields: [
    { id: 'tcp.srcport', type: 'int', doc: 'TCP source port (of the conversation initiator)' },
    { id: 'tcp.dstport', type: 'int', doc: 'TCP destination port (of the responder)' },
    { id: 'tcp.flags', type: 'string', doc: 'TCP flags seen over the conversation, letters FSRPAUEC' },
    {
      id: 'tcp.state',
      type: 'string',
      doc: 'final TCP state: syn, syn_ack, established, fin, closed, reset, midstream',
    },
    { id: 'tcp.mss', type: 'int', doc: 'maximum segment size option' },
    { id: 'tcp.window_size_value', type: 'int', doc: 'raw window field' },
  ],
  bindings: [{ table: 'ip.proto', value: 6, decode: decodeTcp }],
};
