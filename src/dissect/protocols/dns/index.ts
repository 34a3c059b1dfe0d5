/** DNS descriptor: fields, port bindings and the heuristic the registry uses. Also covers mDNS and LLMNR. */
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

export const DNS_DESCRIPTOR = {
  id: 'dns',
  name: 'Domain Name System',
  fields: DNS_FIELDS,
  /** port -> flavour; DNS over TCP adds the 2-byte length prefix */
  udpPorts: { 53: 'dns', 5353: 'mdns', 5355: 'llmnr' } as Record<number, string>,
  tcpPorts: { 53: 'dns', 5353: 'mdns', 5355: 'llmnr' } as Record<number, string>,
  heuristic: looksLikeDns,
};

/**
 * Cheap test for DNS on an unbound UDP port: a sane header (opcode 0..5, counts small and consistent) followed
 * by a question whose first label length fits.
 */
export function looksLikeDns(buf: Uint8Array, off: number, end: number): boolean {
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
