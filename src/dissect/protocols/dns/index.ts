/**
 * DNS descriptors: fields, port bindings and the content test (heuristic.ts). mDNS and LLMNR share the format and the fields
 * but get their own ids so a flow's `app` tells them apart (as tshark does).
 */
import type { ProtocolDescriptor } from '../../dissector.js';
import type { FieldDef } from '../../../shared/fields.js';
import { looksLikeDns, looksLikeDnsTcp } from './heuristic.js';

export { looksLikeDns, looksLikeDnsTcp };

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

export const dns: ProtocolDescriptor = {
  id: 'dns',
  name: 'Domain Name System',
  fields: DNS_FIELDS,
  bindings: [
    { table: 'udp.port', value: 53 },
    { table: 'tcp.port', value: 53 },
    { table: 'heuristic', transport: 'udp', test: looksLikeDns },
    { table: 'heuristic', transport: 'tcp', test: looksLikeDnsTcp },
  ],
};

export const mdns: ProtocolDescriptor = {
  id: 'mdns',
  name: 'Multicast DNS',
  fields: [],
  // the heuristic confirms port 5353 (port+heuristic); on other ports dns's identical test answers first
  bindings: [
    { table: 'udp.port', value: 5353 },
    { table: 'heuristic', transport: 'udp', test: looksLikeDns },
  ],
};

export const llmnr: ProtocolDescriptor = {
  id: 'llmnr',
  name: 'Link-Local Multicast Name Resolution',
  fields: [],
  bindings: [
    { table: 'udp.port', value: 5355 },
    { table: 'tcp.port', value: 5355 },
    { table: 'heuristic', transport: 'udp', test: looksLikeDns },
    { table: 'heuristic', transport: 'tcp', test: looksLikeDnsTcp },
  ],
};
