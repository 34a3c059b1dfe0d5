/**
 * The field catalog: flow-level fields plus every protocol descriptor's fields. The filter language
 * validates field names against it; docs/fields.md is generated from it.
 */
import type { FieldDef } from '../shared/fields.js';
import { PROTOCOLS } from './registry.js';

const FLOW_FIELDS: FieldDef[] = [
  { id: 'flow.id', type: 'int', doc: 'conversation id (1-based, in order of first packet)' },
  { id: 'proto', type: 'string', doc: 'conversation protocol: tcp, udp, icmp, icmpv6, sctp, ip, arp, other' },
  { id: 'app', type: 'string', doc: 'detected application protocol (http, tls, dns, ...)' },
  { id: 'ip.addr', type: 'ip', doc: 'source or destination IP address' },
  { id: 'ip.src', type: 'ip', doc: 'IP address of the conversation initiator (first sender)' },
  { id: 'ip.dst', type: 'ip', doc: 'IP address of the responder' },
  { id: 'port', type: 'int', doc: 'source or destination port (TCP, UDP, SCTP)' },
  { id: 'tcp.port', type: 'int', doc: 'source or destination TCP port' },
  { id: 'udp.port', type: 'int', doc: 'source or destination UDP port' },
  { id: 'src_port', type: 'int', doc: 'port of the conversation initiator' },
  { id: 'dst_port', type: 'int', doc: 'port of the responder' },
  { id: 'packets', type: 'int', doc: 'packets both ways' },
  { id: 'bytes', type: 'int', doc: 'frame bytes both ways (length on the wire)' },
  { id: 'packets_fwd', type: 'int', doc: 'packets from the initiator' },
  { id: 'bytes_fwd', type: 'int', doc: 'frame bytes from the initiator' },
  { id: 'packets_rev', type: 'int', doc: 'packets from the responder' },
  { id: 'bytes_rev', type: 'int', doc: 'frame bytes from the responder' },
  { id: 'duration', type: 'float', doc: 'seconds between first and last packet' },
  { id: 'community_id', type: 'string', doc: 'Community ID v1 of the conversation' },
  { id: 'tunnel_depth', type: 'int', doc: '0 outermost; tunnelled conversations count up' },
  { id: 'frame.len', type: 'int', doc: 'frame length on the wire' },
  { id: 'frame.time', type: 'time', doc: 'frame timestamp (UTC)' },
  {
    id: 'frame.number',
    type: 'int',
    doc: 'frame number (1-based; counted over all files of a capture, in merged time order)',
  },
];

let cached: FieldDef[] | null = null;

/** All fields, each id once (the first declaration wins), in declaration order. */
export function fieldCatalog(): FieldDef[] {
  if (cached !== null) return cached.slice();
  const seen = new Set<string>();
  const out: FieldDef[] = [];
  for (const f of [...FLOW_FIELDS, ...PROTOCOLS.flatMap((d) => d.fields)]) {
    if (seen.has(f.id)) continue;
    seen.add(f.id);
    out.push(f);
  }
  cached = out;
  return out.slice();
}
