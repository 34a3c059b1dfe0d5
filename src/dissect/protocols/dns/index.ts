/**
 * DNS descriptors: fields, port bindings and the heuristic. mDNS and LLMNR share the format and the fields
 * but get their own ids so a flow's `app` tells them apart (as tshark does).
 */
import type { ProtocolDescriptor } from '../../dissector.js';
import type { FieldDef } from '../../../shared/fields.js';
import { has, u16be } from '../../../wire/byte-view.js';

export const DNS_FIELDS: FieldDef[] = [
  { id: 'dns.id', type: 'int', doc: 'DNS transaction id' },
  { id: 'dns.flags.response', type: 'bool', doc: 'true for a response' },
  { id: 'dns.opcode', type: 'int', doc: 'DNS opcode (0 query, 4 notify, 5 update)' },
  { id: 'dns.rcode', type: 'string', doc: 'response code (NOERROR, NXDOMAIN, SERVFAIL, ...)' },
  { id: 'dns.query_name', type: 'string', doc: 'name in the first question' },
  { id: 'dns.query_type', type: 'string', doc: 'type in the first question (A, AAAA, PTR, ...)' },
  { id: 'dns.query_class', type: 'string', doc: 'class in the first question (IN, CH, ...)' },
  { id: 'dns.answer', type: 'string[]', doc: 'answer records as "TYPE value" text' },
  { id: 'dns.answer_count', type: 'int', doc: 'ANCOUNT from the header' },
  { id: 'dns.ttl', type: 'int', doc: 'smallest TTL among the answers' },
  { id: 'dns.rtt', type: 'float', doc: 'seconds between query and response' },
  { id: 'dns.proto', type: 'string', doc: 'dns, mdns, llmnr or nbns' },
];

/**
 * Cheap test for DNS on an unbound UDP port: a sane header (opcode 0..5, counts small and consistent) followed
 * by a question whose first label length fits. Takes (buffer, offset, length) like the registry's heuristics.
 */
export function looksLikeDns(buf: Uint8Array, off: number, len: number): boolean {
  const end = off + len;
  if (!has(off, 17, end)) return false;
  const flags = u16be(buf, off + 2);
  const opcode = (flags >> 11) & 15;
  if (opcode > 5 || opcode === 3) return false;
  if ((flags & 0x0040) !== 0) return false; // Z bit must be zero
  const qd = u16be(buf, off + 4);
  const an = u16be(buf, off + 6);
  const ns = u16be(buf, off + 8);
  const ar = u16be(buf, off + 10);
  if (qd !== 1) return false;
  if (an > 100 || ns > 100 || ar > 100) return false;
  const l = buf[off + 12]!;
  return l > 0 && l < 64 && off + 13 + l < end;
}

export const dns: ProtocolDescriptor = {
  id: 'dns',
  name: 'Domain Name System',
  fields: DNS_FIELDS,
  bindings: [
    { table: 'udp.port', value: 53 },
    { table: 'tcp.port', value: 53 },
  ],
};

export const mdns: ProtocolDescriptor = {
  id: 'mdns',
  name: 'Multicast DNS',
  fields: [],
  bindings: [{ table: 'udp.port', value: 5353 }],
};

export const llmnr: ProtocolDescriptor = {
  id: 'llmnr',
  name: 'Link-Local Multicast Name Resolution',
  fields: [],
  bindings: [
    { table: 'udp.port', value: 5355 },
    { table: 'tcp.port', value: 5355 },
  ],
};
