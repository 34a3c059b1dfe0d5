import type { ProtocolDescriptor } from '../../dissector.js';
import { decodeIcmpv6 } from './decode.js';

export const icmpv6: ProtocolDescriptor = {
  id: 'icmpv6',
  name: 'Internet Control Message Protocol for IPv6',
  fields: [
    { id: 'icmpv6.type', type: 'int', doc: 'ICMPv6 type of the first packet' },
    { id: 'icmpv6.code', type: 'int', doc: 'ICMPv6 code of the first packet' },
    { id: 'icmpv6.nd.target', type: 'ip', doc: 'neighbour discovery target address' },
  ],
  bindings: [{ table: 'ip.proto', value: 58, decode: decodeIcmpv6 }],
};
