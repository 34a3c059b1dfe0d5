/** DHCPv6 descriptor: port bindings (546 client, 547 server). */
import type { ProtocolDescriptor } from '../../dissector.js';

export const dhcpv6: ProtocolDescriptor = {
  id: 'dhcpv6',
  name: 'DHCP for IPv6',
  fields: [
    { id: 'dhcpv6.msg_type', type: 'string', doc: 'SOLICIT, ADVERTISE, REQUEST, REPLY, ...' },
    { id: 'dhcpv6.client_id', type: 'string', doc: 'client DUID (hex)' },
    { id: 'dhcpv6.fqdn', type: 'string', doc: 'client FQDN (option 39)' },
  ],
  bindings: [
    { table: 'udp.port', value: 546 },
    { table: 'udp.port', value: 547 },
  ],
};
