import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeIpv4 } from './decode.js';

export const ipv4: ProtocolDescriptor = {
  id: 'ipv4',
  name: 'Internet Protocol version 4',
  fields: [
    { id: 'ip.ttl', type: 'int', doc: 'IPv4 time to live / IPv6 hop limit' },
    { id: 'ip.proto', type: 'int', doc: 'IP protocol number of the payload (after IPv6 extension headers)' },
    { id: 'ip.version', type: 'int', doc: '4 or 6' },
    { id: 'ip.id', type: 'int', doc: 'IPv4 identification' },
    { id: 'ip.len', type: 'int', doc: 'IP total length' },
    { id: 'ip.frag_offset', type: 'int', doc: 'fragment offset in bytes' },
    { id: 'ip.flags.mf', type: 'bool', doc: 'more fragments flag' },
  ],
  bindings: [
    { table: 'ethertype', value: 0x0800, decode: decodeIpv4 },
    { table: 'ppp', value: 0x0021, decode: decodeIpv4 },
    // IPv4 in IP (RFC 2003)
    { table: 'ip.proto', value: 4, decode: decodeIpv4 },
  ],
};
