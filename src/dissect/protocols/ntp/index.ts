/** NTP descriptor: UDP 123. */
import type { ProtocolDescriptor } from '../../dissector.js';

export const ntp: ProtocolDescriptor = {
  id: 'ntp',
  name: 'Network Time Protocol',
  fields: [
    { id: 'ntp.version', type: 'int', doc: 'NTP version' },
    { id: 'ntp.mode', type: 'string', doc: 'client, server, broadcast, symmetric active/passive, control' },
    { id: 'ntp.stratum', type: 'int', doc: 'stratum of the sender' },
  ],
  bindings: [{ table: 'udp.port', value: 123 }],
};
