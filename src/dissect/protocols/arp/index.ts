import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeArp } from './decode.js';

export const arp: ProtocolDescriptor = {
  id: 'arp',
  name: 'Address Resolution Protocol',
  fields: [
    { id: 'arp.opcode', type: 'int', doc: 'ARP operation (1 request, 2 reply)' },
    { id: 'arp.src.proto_ipv4', type: 'ip', doc: 'sender IPv4 address' },
    { id: 'arp.dst.proto_ipv4', type: 'ip', doc: 'target IPv4 address' },
  ],
  bindings: [{ table: 'ethertype', value: 0x0806, decode: decodeArp }],
};
