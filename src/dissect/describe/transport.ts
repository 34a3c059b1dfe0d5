/** Transports: TCP (RFC 9293), UDP (RFC 768), ICMP (RFC 792), ICMPv6 (RFC 4443), VXLAN (RFC 7348), GRE (RFC 2784). */
import { has, u16be, u32be } from '../../wire/byte-view.js';
import { LayerBuilder, hex2, type Described } from './types.js';

const TCP_FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];
const TCP_OPTION_NAMES: Record<number, string> = {
  2: 'MSS',
  3: 'Window scale',
  4: 'SACK permitted',
  5: 'SACK',
  8: 'Timestamps',
  30: 'MPTCP',
  34: 'TCP Fast Open',
};

export function describeTcp(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('tcp', 'Transmission Control Protocol', base, off, end);
  if (!has(off, 20, end)) return l.done(null, end, 'TCP header cut short');
  const sp = u16be(b, off);
  const dp = u16be(b, off + 2);
  l.field('Source port', 'tcp.srcport', sp, off, 2);
  l.field('Destination port', 'tcp.dstport', dp, off + 2, 2);
  l.field('Sequence number (raw)', 'tcp.seq', u32be(b, off + 4), off + 4, 4);
  l.field('Acknowledgment number (raw)', 'tcp.ack', u32be(b, off + 8), off + 8, 4);
  const hlen = (b[off + 12]! >> 4) * 4;
  l.field('Header length', undefined, `${hlen} bytes`, off + 12, 1);
  const fl = b[off + 13]!;
  const set = TCP_FLAG_NAMES.filter((_, i) => fl & (1 << i));
  const flags = l.field('Flags', 'tcp.flags', `${hex2(fl, 2)} ${set.join(' ')}`.trim(), off + 13, 1);
  for (let i = TCP_FLAG_NAMES.length - 1; i >= 0; i--)
    l.child(flags, TCP_FLAG_NAMES[i]!, undefined, fl & (1 << i) ? 'set' : 'not set', off + 13, 1);
  l.field('Window', 'tcp.window_size', u16be(b, off + 14), off + 14, 2);
  l.field('Checksum', undefined, hex2(u16be(b, off + 16)), off + 16, 2);
  l.field('Urgent pointer', undefined, u16be(b, off + 18), off + 18, 2);
  const payload = Math.max(0, end - off - hlen);
  l.layer.name = `Transmission Control Protocol, ${sp} → ${dp}, [${set.join(', ')}], ${payload} bytes`;
  if (hlen < 20) return l.done(null, off + 20, `header length ${hlen} below 20`);
  if (!has(off, hlen, end)) return l.done(null, end, 'TCP options cut short');
  if (hlen > 20) {
    const opts = l.field('Options', undefined, `${hlen - 20} bytes`, off + 20, hlen - 20);
    for (let p = off + 20, i = 0; p < off + hlen && i < 40; i++) {
      const kind = b[p]!;
      if (kind === 0) break;
      if (kind === 1) {
        l.child(opts, 'NOP', undefined, '', p, 1);
        p++;
        continue;
      }
      const len = b[p + 1]!;
      if (len < 2 || p + len > off + hlen) {
        l.child(opts, `Option ${kind}`, undefined, 'bad length', p, off + hlen - p);
        break;
      }
      let v = `${len - 2} bytes`;
      if (kind === 2 && len === 4) v = String(u16be(b, p + 2));
      else if (kind === 3 && len === 3) v = `shift ${b[p + 2]!}`;
      else if (kind === 8 && len === 10) v = `TSval ${u32be(b, p + 2)}, TSecr ${u32be(b, p + 6)}`;
      l.child(opts, TCP_OPTION_NAMES[kind] ?? `Option ${kind}`, undefined, v, p, len);
      p += len;
    }
  }
  return l.done(payload > 0 ? { table: 'tcp', src: sp, dst: dp, off: off + hlen, end } : null, off + hlen);
}

export function describeUdp(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('udp', 'User Datagram Protocol', base, off, end);
  if (!has(off, 8, end)) return l.done(null, end, 'UDP header cut short');
  const sp = u16be(b, off);
  const dp = u16be(b, off + 2);
  const len = u16be(b, off + 4);
  l.field('Source port', 'udp.srcport', sp, off, 2);
  l.field('Destination port', 'udp.dstport', dp, off + 2, 2);
  l.field('Length', undefined, len, off + 4, 2);
  l.field('Checksum', undefined, hex2(u16be(b, off + 6)), off + 6, 2);
  const pend = len >= 8 ? Math.min(end, off + len) : end;
  l.layer.name = `User Datagram Protocol, ${sp} → ${dp}, ${Math.max(0, len - 8)} bytes`;
  return l.done(pend > off + 8 ? { table: 'udp', src: sp, dst: dp, off: off + 8, end: pend } : null, off + 8);
}

const ICMP_TYPES: Record<number, string> = {
  0: 'echo reply',
  3: 'destination unreachable',
  5: 'redirect',
  8: 'echo request',
  11: 'time exceeded',
};
const ICMPV6_TYPES: Record<number, string> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  128: 'echo request',
  129: 'echo reply',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbour solicitation',
  136: 'neighbour advertisement',
  143: 'MLDv2 report',
};

function icmpLike(v6: boolean) {
  return (b: Uint8Array, off: number, end: number, base: number): Described => {
    const id = v6 ? 'icmpv6' : 'icmp';
    const l = new LayerBuilder(
      id,
      v6 ? 'Internet Control Message Protocol v6' : 'Internet Control Message Protocol',
      base,
      off,
      end,
    );
    if (!has(off, 4, end)) return l.done(null, end, 'ICMP header cut short');
    const type = b[off]!;
    const name = (v6 ? ICMPV6_TYPES : ICMP_TYPES)[type] ?? 'other';
    l.field('Type', `${id}.type`, `${name} (${type})`, off, 1);
    l.field('Code', `${id}.code`, b[off + 1]!, off + 1, 1);
    l.field('Checksum', undefined, hex2(u16be(b, off + 2)), off + 2, 2);
    const echo = v6 ? type === 128 || type === 129 : type === 0 || type === 8;
    if (echo && has(off, 8, end)) {
      l.field('Identifier', undefined, u16be(b, off + 4), off + 4, 2);
      l.field('Sequence number', undefined, u16be(b, off + 6), off + 6, 2);
    }
    l.layer.name += `, ${name}`;
    // error messages quote the start of the offending datagram after 4 unused/parameter bytes
    const quoting = v6 ? type >= 1 && type <= 4 : [3, 4, 5, 11, 12].includes(type);
    if (quoting && has(off, 9, end)) return l.done({ table: 'ip', value: 0, off: off + 8, end }, off + 8);
    return l.done(null, end);
  };
}
export const describeIcmp = icmpLike(false);
export const describeIcmpv6 = icmpLike(true);

export function describeVxlan(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('vxlan', 'Virtual eXtensible LAN', base, off, end);
  if (!has(off, 8, end)) return l.done(null, end, 'VXLAN header cut short');
  l.field('Flags', undefined, hex2(b[off]!, 2), off, 1);
  const vni = u32be(b, off + 4) >>> 8;
  l.field('VNI', undefined, vni, off + 4, 3);
  l.layer.name += `, VNI ${vni}`;
  return l.done({ table: 'link', value: 1, off: off + 8, end }, off + 8);
}

export function describeGre(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('gre', 'Generic Routing Encapsulation', base, off, end);
  if (!has(off, 4, end)) return l.done(null, end, 'GRE header cut short');
  const fl = u16be(b, off);
  const type = u16be(b, off + 2);
  l.field('Flags and version', undefined, hex2(fl), off, 2);
  l.field('Protocol type', undefined, hex2(type), off + 2, 2);
  // optional checksum, key and sequence number words (RFC 2890)
  const len = 4 + (fl & 0x8000 ? 4 : 0) + (fl & 0x2000 ? 4 : 0) + (fl & 0x1000 ? 4 : 0);
  if (!has(off, len, end)) return l.done(null, end, 'GRE options cut short');
  if ((fl & 7) !== 0) return l.done(null, off + len);
  return l.done({ table: 'ethertype', value: type, off: off + len, end }, off + len);
}
