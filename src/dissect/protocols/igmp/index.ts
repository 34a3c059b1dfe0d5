import type { Packet, ProtocolDescriptor } from '../../dissector.js';
import { P_IGMP } from '../../proto-ids.js';

function decodeIgmp(p: Packet): void {
  p.mark(P_IGMP);
}

export const igmp: ProtocolDescriptor = {
  id: 'igmp',
  name: 'Internet Group Management Protocol',
  fields: [],
  bindings: [{ table: 'ip.proto', value: 2, decode: decodeIgmp }],
};
