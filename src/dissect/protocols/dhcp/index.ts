/** DHCP descriptor: fields and port bindings (67 server, 68 client). */
import type { ProtocolDescriptor } from '../../dissector.js';

export const dhcp: ProtocolDescriptor = {
  id: 'dhcp',
  name: 'Dynamic Host Configuration Protocol',
  fields: [
    {
      id: 'dhcp.msg_type',
      type: 'string',
      doc: 'DISCOVER, OFFER, REQUEST, ACK, NAK, RELEASE, INFORM, DECLINE',
    },
    { id: 'dhcp.client_mac', type: 'mac', doc: 'client hardware address (chaddr)' },
    { id: 'dhcp.requested_ip', type: 'ip', doc: 'requested address (option 50)' },
    { id: 'dhcp.assigned_ip', type: 'ip', doc: 'address given by the server (yiaddr)' },
    { id: 'dhcp.host_name', type: 'string', doc: 'client host name (option 12)' },
    { id: 'dhcp.vendor_class', type: 'string', doc: 'vendor class identifier (option 60)' },
    {
      id: 'dhcp.param_request_list',
      type: 'string',
      doc: 'parameter request list (option 55), a client fingerprint',
    },
    { id: 'dhcp.server_id', type: 'ip', doc: 'server identifier (option 54)' },
    { id: 'dhcp.lease_time', type: 'int', doc: 'lease time in seconds (option 51)' },
  ],
  bindings: [
    { table: 'udp.port', value: 67 },
    { table: 'udp.port', value: 68 },
  ],
};
