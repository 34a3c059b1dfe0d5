/** DNS messages (RFC 1035 section 4): header, questions and resource records, names decompressed. */
import { ipv4ToString, ipv6ToString } from '../../shared/addr.js';
import { has, u16be, u32be } from '../../wire/byte-view.js';
import { readName } from '../protocols/dns/name.js';
import { dnsClassName, dnsRcodeName, dnsTypeName } from '../protocols/dns/names.js';
import { LayerBuilder, hex2, type Described } from './types.js';

/** records shown per message: enough for a person, bounded for a crafted one */
const MAX_SHOWN = 64;

export function describeDns(b: Uint8Array, off: number, end: number, base: number, tcp = false): Described {
  const l = new LayerBuilder('dns', 'Domain Name System', base, off, end);
  let msg = off;
  if (tcp) {
    if (!has(off, 2, end)) return l.done(null, end, 'length prefix cut short');
    l.field('Length', undefined, u16be(b, off), off, 2);
    msg = off + 2;
  }
  if (!has(msg, 12, end)) return l.done(null, end, 'DNS header cut short');
  const flags = u16be(b, msg + 2);
  const qr = flags >> 15;
  l.field('Transaction ID', 'dns.id', hex2(u16be(b, msg)), msg, 2);
  const ff = l.field('Flags', 'dns.flags', hex2(flags), msg + 2, 2);
  l.child(ff, 'Response', undefined, qr ? 'response' : 'query', msg + 2, 1);
  l.child(ff, 'Opcode', undefined, (flags >> 11) & 15, msg + 2, 1);
  l.child(ff, 'Authoritative', undefined, (flags >> 10) & 1, msg + 2, 1);
  l.child(ff, 'Truncated', undefined, (flags >> 9) & 1, msg + 2, 1);
  l.child(ff, 'Recursion desired', undefined, (flags >> 8) & 1, msg + 2, 1);
  l.child(ff, 'Recursion available', undefined, (flags >> 7) & 1, msg + 3, 1);
  l.child(ff, 'Reply code', 'dns.rcode', dnsRcodeName(flags & 15), msg + 3, 1);
  const counts = [u16be(b, msg + 4), u16be(b, msg + 6), u16be(b, msg + 8), u16be(b, msg + 10)];
  const names = ['Questions', 'Answer RRs', 'Authority RRs', 'Additional RRs'];
  counts.forEach((c, i) => l.field(names[i]!, undefined, c, msg + 4 + 2 * i, 2));
  let p = msg + 12;
  const summary: string[] = [];
  let shown = 0;
  const qd = counts[0]!;
  const q = qd ? l.field('Queries', undefined, `${qd}`, p, 0) : null;
  for (let i = 0; i < qd && shown < MAX_SHOWN; i++, shown++) {
    const n = readName(b, msg, end, p);
    if (!n || !has(n.next, 4, end)) return l.done(null, end, 'question cut short or malformed');
    const type = dnsTypeName(u16be(b, n.next));
    l.child(
      q!,
      n.name || '<root>',
      'dns.query_name',
      `type ${type}, class ${dnsClassName(u16be(b, n.next + 2))}`,
      p,
      n.next + 4 - p,
    );
    summary.push(`${type} ${n.name}`);
    p = n.next + 4;
  }
  if (q) q.length = p - q.offset - base;
  const sections = ['Answers', 'Authority', 'Additional'];
  for (let s = 0; s < 3; s++) {
    const count = counts[s + 1]!;
    if (!count) continue;
    const sec = l.field(sections[s]!, undefined, `${count}`, p, 0);
    const start = p;
    for (let i = 0; i < count && shown < MAX_SHOWN; i++, shown++) {
      const n = readName(b, msg, end, p);
      if (!n || !has(n.next, 10, end)) return l.done(null, end, 'resource record cut short or malformed');
      const t = u16be(b, n.next);
      const rdlen = u16be(b, n.next + 8);
      const rd = n.next + 10;
      if (!has(rd, rdlen, end)) return l.done(null, end, 'record data cut short');
      let v = `${rdlen} bytes`;
      if (t === 1 && rdlen === 4) v = ipv4ToString(u32be(b, rd));
      else if (t === 28 && rdlen === 16) v = ipv6ToString(b, rd);
      else if (t === 5 || t === 2 || t === 12) v = readName(b, msg, end, rd)?.name ?? v;
      const type = t === 41 ? 'OPT' : dnsTypeName(t);
      l.child(
        sec,
        n.name || '<root>',
        undefined,
        `${type} ${v}${t === 41 ? '' : `, ttl ${u32be(b, n.next + 4)}`}`,
        p,
        rd + rdlen - p,
      );
      if (s === 0) summary.push(`${type} ${v}`);
      p = rd + rdlen;
    }
    sec.length = p - start;
  }
  l.layer.name = `Domain Name System (${qr ? 'response' : 'query'}) ${summary.slice(0, 4).join(', ')}`.trim();
  return l.done(null, p);
}
