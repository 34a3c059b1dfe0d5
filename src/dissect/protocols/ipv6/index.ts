import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeIpv6 } from './decode.js';

export const ipv6: ProtocolDescriptor = {
  id: 'ipv6',
  name: 'Internet Protocol version 6',
  fields: [
    { id: 'ipv6.hlim', type: 'int', doc: 'hop limit' },
    { id: 'ipv6.nxt', type: 'int', doc: 'upper-layer protocol after the extension header chain' },
    { id: 'ipv6.ext_count', type: 'int', doc: 'number of extension headers walked' },
    { id: 'ipv6.frag_id', type: 'int', doc: 'fragment identification' },
  ],
  bindings: [
    { table: 'ethertype', value: 0x86dd, decode: decodeIpv6 },
    { table: 'ppp', value: 0x0057, decode: decodeIpv6 },
    // IPv6 in IPv4 (6in4, RFC 4213) and IPv6 in IPv6
    { table: 'ip.proto', value: 41, decode: decodeIpv6 },
  ],
};
