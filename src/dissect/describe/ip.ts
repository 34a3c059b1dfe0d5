/** Network layers: IPv4 (RFC 791), IPv6 with its extension headers (RFC 8200), ARP (RFC 826). */
import { ipv4ToString, ipv6ToString, macToString } from '../../shared/addr.js';
import { has, u16be, u32be } from '../../wire/byte-view.js';
import { LayerBuilder, hex2, type Described } from './types.js';

export const IP_PROTO_NAMES: Record<number, string> = {
  0: 'IPv6 hop-by-hop',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPv4',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  43: 'IPv6 routing',
  44: 'IPv6 fragment',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'ICMPv6',
  59: 'no next header',
  60: 'IPv6 destination options',
  132: 'SCTP',
};
const protoText = (p: number) => `${IP_PROTO_NAMES[p] ?? 'unknown'} (${p})`;

export function describeIpv4(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('ipv4', 'Internet Protocol Version 4', base, off, end);
  if (!has(off, 20, end)) return l.done(null, end, 'IPv4 header cut short');
  const ver = b[off]! >> 4;
  const ihl = (b[off]! & 15) * 4;
  l.field('Version', 'ip.version', ver, off, 1);
  l.field('Header length', undefined, `${ihl} bytes`, off, 1);
  const tos = b[off + 1]!;
  l.field('DSCP / ECN', undefined, `${tos >> 2} / ${tos & 3}`, off + 1, 1);
  const total = u16be(b, off + 2);
  l.field('Total length', undefined, total, off + 2, 2);
  l.field('Identification', undefined, hex2(u16be(b, off + 4)), off + 4, 2);
  const ff = u16be(b, off + 6);
  const flags = l.field('Flags', undefined, hex2(ff >> 13, 1), off + 6, 1);
  l.child(flags, "Don't fragment", undefined, (ff >> 14) & 1 ? 'set' : 'not set', off + 6, 1);
  l.child(flags, 'More fragments', undefined, (ff >> 13) & 1 ? 'set' : 'not set', off + 6, 1);
  const fragOff = (ff & 0x1fff) * 8;
  l.field('Fragment offset', undefined, fragOff, off + 6, 2);
  l.field('Time to live', 'ip.ttl', b[off + 8]!, off + 8, 1);
  const proto = b[off + 9]!;
  l.field('Protocol', 'ip.proto', protoText(proto), off + 9, 1);
  l.field('Header checksum', undefined, hex2(u16be(b, off + 10)), off + 10, 2);
  const src = ipv4ToString(u32be(b, off + 12));
  const dst = ipv4ToString(u32be(b, off + 16));
  l.field('Source', 'ip.src', src, off + 12, 4);
  l.field('Destination', 'ip.dst', dst, off + 16, 4);
  l.layer.name = `Internet Protocol Version 4, ${src} → ${dst}`;
  if (ver !== 4 || ihl < 20) return l.done(null, off + 20, `bad version ${ver} or header length ${ihl}`);
  if (!has(off, ihl, end)) return l.done(null, end, 'IPv4 options cut short');
  if (ihl > 20) l.field('Options', undefined, `${ihl - 20} bytes`, off + 20, ihl - 20);
  const payloadEnd = Math.min(end, total >= ihl ? off + total : end);
  // a fragment: its bytes are shown as data (packet detail decodes one frame, it does not reassemble)
  if (fragOff > 0 || (ff >> 13) & 1) {
    l.layer.name += `, fragment at ${fragOff}${(ff >> 13) & 1 ? ', more follow' : ', last'}`;
    return l.done(null, off + ihl);
  }
  return l.done({ table: 'ip.proto', value: proto, off: off + ihl, end: payloadEnd }, off + ihl);
}

const IPV6_EXT = new Set([0, 43, 44, 60]);

export function describeIpv6(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('ipv6', 'Internet Protocol Version 6', base, off, end);
  if (!has(off, 40, end)) return l.done(null, end, 'IPv6 header cut short');
  const w = u32be(b, off);
  l.field('Version', 'ip.version', w >>> 28, off, 1);
  l.field('Traffic class', undefined, hex2((w >>> 20) & 0xff, 2), off, 2);
  l.field('Flow label', undefined, hex2(w & 0xfffff, 5), off + 1, 3);
  const plen = u16be(b, off + 4);
  l.field('Payload length', undefined, plen, off + 4, 2);
  let next = b[off + 6]!;
  l.field('Next header', 'ip.proto', protoText(next), off + 6, 1);
  l.field('Hop limit', 'ip.ttl', b[off + 7]!, off + 7, 1);
  const src = ipv6ToString(b, off + 8);
  const dst = ipv6ToString(b, off + 24);
  l.field('Source', 'ip.src', src, off + 8, 16);
  l.field('Destination', 'ip.dst', dst, off + 24, 16);
  l.layer.name = `Internet Protocol Version 6, ${src} → ${dst}`;
  const payloadEnd = plen > 0 ? Math.min(end, off + 40 + plen) : end;
  let p = off + 40;
  // walk the extension headers (capped: a crafted chain cannot loop)
  for (let i = 0; i < 16 && IPV6_EXT.has(next); i++) {
    if (!has(p, 8, payloadEnd)) return l.done(null, payloadEnd, 'extension header cut short');
    const hlen = next === 44 ? 8 : (b[p + 1]! + 1) * 8;
    const ext = l.field(protoText(next), undefined, `${hlen} bytes`, p, Math.min(hlen, payloadEnd - p));
    const nh = b[p]!;
    l.child(ext, 'Next header', undefined, protoText(nh), p, 1);
    if (next === 44) {
      const fo = u16be(b, p + 2);
      l.child(ext, 'Fragment offset', undefined, (fo >> 3) * 8, p + 2, 2);
      l.child(ext, 'More fragments', undefined, fo & 1 ? 'set' : 'not set', p + 2, 2);
      l.child(ext, 'Identification', undefined, hex2(u32be(b, p + 4), 8), p + 4, 4);
      // as for IPv4: a fragment's bytes are data here
      l.layer.name += `, fragment at ${(fo >> 3) * 8}${fo & 1 ? ', more follow' : ', last'}`;
      return l.done(null, p + 8);
    }
    p += hlen;
    next = nh;
  }
  return l.done({ table: 'ip.proto', value: next, off: p, end: payloadEnd }, p);
}

export function describeArp(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('arp', 'Address Resolution Protocol', base, off, end);
  if (!has(off, 8, end)) return l.done(null, end, 'ARP header cut short');
  const hlen = b[off + 4]!;
  const plen = b[off + 5]!;
  const op = u16be(b, off + 6);
  l.field('Hardware type', undefined, u16be(b, off), off, 2);
  l.field('Protocol type', undefined, hex2(u16be(b, off + 2)), off + 2, 2);
  l.field('Hardware size', undefined, hlen, off + 4, 1);
  l.field('Protocol size', undefined, plen, off + 5, 1);
  const opName = op === 1 ? 'request' : op === 2 ? 'reply' : 'other';
  l.field('Opcode', undefined, `${opName} (${op})`, off + 6, 2);
  const len = 8 + 2 * (hlen + plen);
  if (!has(off, len, end)) return l.done(null, end, 'ARP addresses cut short');
  if (hlen === 6 && plen === 4) {
    const spa = ipv4ToString(u32be(b, off + 14));
    const tpa = ipv4ToString(u32be(b, off + 24));
    l.field('Sender MAC', undefined, macToString(b, off + 8), off + 8, 6);
    l.field('Sender IP', undefined, spa, off + 14, 4);
    l.field('Target MAC', undefined, macToString(b, off + 18), off + 18, 6);
    l.field('Target IP', undefined, tpa, off + 24, 4);
    l.layer.name = op === 1 ? `ARP, who has ${tpa}? tell ${spa}` : `ARP, ${spa} ${opName}`;
  }
  return l.done(null, off + len);
}
