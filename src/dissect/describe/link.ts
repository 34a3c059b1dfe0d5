/** Link layers: Ethernet, 802.1Q/802.1ad VLAN tags, Linux cooked (SLL, SLL2), BSD loopback, raw IP. */
import { macToString } from '../../shared/addr.js';
import { has, u16be, u32be, u32le } from '../../wire/byte-view.js';
import { LayerBuilder, hex2, type Described } from './types.js';

export function describeEth(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('eth', 'Ethernet II', base, off, end);
  if (!has(off, 14, end)) return l.done(null, end, 'frame shorter than the 14-byte Ethernet header');
  const dst = macToString(b, off);
  const src = macToString(b, off + 6);
  l.field('Destination', 'eth.dst', dst, off, 6);
  l.field('Source', 'eth.src', src, off + 6, 6);
  const type = u16be(b, off + 12);
  l.layer.name = `Ethernet II, ${src} → ${dst}`;
  if (type <= 1500) {
    l.layer.name = `IEEE 802.3 Ethernet, ${src} → ${dst}`;
    l.field('Length', undefined, type, off + 12, 2);
    return l.done(null, off + 14);
  }
  l.field('Type', 'eth.type', hex2(type), off + 12, 2);
  return l.done({ table: 'ethertype', value: type, off: off + 14, end }, off + 14);
}

export function describeVlan(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('vlan', '802.1Q Virtual LAN', base, off, end);
  if (!has(off, 4, end)) return l.done(null, end, 'VLAN tag cut short');
  const tci = u16be(b, off);
  const type = u16be(b, off + 2);
  const tciField = l.field('Tag control', undefined, hex2(tci), off, 2);
  l.child(tciField, 'Priority', undefined, tci >> 13, off, 2);
  l.child(tciField, 'DEI', undefined, (tci >> 12) & 1, off, 2);
  l.child(tciField, 'ID', 'vlan.id', tci & 0xfff, off, 2);
  l.field('Type', undefined, hex2(type), off + 2, 2);
  l.layer.name = `802.1Q Virtual LAN, ID ${tci & 0xfff}`;
  return l.done({ table: 'ethertype', value: type, off: off + 4, end }, off + 4);
}

const SLL_PKTTYPE = ['to us', 'broadcast', 'multicast', 'to another host', 'sent by us'];

export function describeSll(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('sll', 'Linux cooked capture v1', base, off, end);
  if (!has(off, 16, end)) return l.done(null, end, 'SLL header cut short');
  const pkttype = u16be(b, off);
  l.field('Packet type', undefined, `${SLL_PKTTYPE[pkttype] ?? 'unknown'} (${pkttype})`, off, 2);
  l.field('Link-layer address type', undefined, u16be(b, off + 2), off + 2, 2);
  const alen = u16be(b, off + 4);
  l.field('Link-layer address length', undefined, alen, off + 4, 2);
  if (alen === 6) l.field('Source', 'sll.src', macToString(b, off + 6), off + 6, 6);
  const proto = u16be(b, off + 14);
  l.field('Protocol', undefined, hex2(proto), off + 14, 2);
  return l.done(proto >= 0x0600 ? { table: 'ethertype', value: proto, off: off + 16, end } : null, off + 16);
}

export function describeSll2(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('sll2', 'Linux cooked capture v2', base, off, end);
  if (!has(off, 20, end)) return l.done(null, end, 'SLL2 header cut short');
  const proto = u16be(b, off);
  l.field('Protocol', undefined, hex2(proto), off, 2);
  l.field('Interface index', undefined, u32be(b, off + 4), off + 4, 4);
  l.field('Link-layer address type', undefined, u16be(b, off + 8), off + 8, 2);
  const pkttype = b[off + 10]!;
  l.field('Packet type', undefined, `${SLL_PKTTYPE[pkttype] ?? 'unknown'} (${pkttype})`, off + 10, 1);
  const alen = b[off + 11]!;
  l.field('Link-layer address length', undefined, alen, off + 11, 1);
  if (alen === 6) l.field('Source', 'sll.src', macToString(b, off + 12), off + 12, 6);
  return l.done(proto >= 0x0600 ? { table: 'ethertype', value: proto, off: off + 20, end } : null, off + 20);
}

/** BSD loopback: a 4-byte address family in the capturing host's byte order (NULL), or big-endian (LOOP). */
export function describeNull(bigEndian: boolean) {
  return (b: Uint8Array, off: number, end: number, base: number): Described => {
    const l = new LayerBuilder('null', 'Null/Loopback', base, off, end);
    if (!has(off, 4, end)) return l.done(null, end, 'loopback header cut short');
    const le = u32le(b, off);
    const family = bigEndian ? u32be(b, off) : le < 0x10000 ? le : u32be(b, off);
    l.field('Family', undefined, family, off, 4);
    // AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30 depending on the system
    const v = family === 2 ? 4 : [10, 24, 28, 30].includes(family) ? 6 : 0;
    return l.done(v ? { table: 'ip', value: v, off: off + 4, end } : null, off + 4);
  };
}

/** PPPoE session stage (RFC 2516 section 4): ver/type, code, session id, length; PPP follows. */
export function describePppoe(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('pppoe', 'PPP-over-Ethernet Session', base, off, end);
  if (!has(off, 6, end)) return l.done(null, end, 'PPPoE header cut short');
  l.field('Version / type', undefined, `${b[off]! >> 4} / ${b[off]! & 15}`, off, 1);
  l.field('Code', undefined, hex2(b[off + 1]!, 2), off + 1, 1);
  const sid = u16be(b, off + 2);
  const len = u16be(b, off + 4);
  l.field('Session ID', undefined, hex2(sid), off + 2, 2);
  l.field('Payload length', undefined, len, off + 4, 2);
  l.layer.name += `, session ${hex2(sid)}`;
  return l.done({ table: 'ppp', value: 0, off: off + 6, end: Math.min(end, off + 6 + len) }, off + 6);
}

/** PPP (RFC 1661): an optional ff 03 address/control pair, then the protocol; IPv4 and IPv6 followed. */
export function describePpp(b: Uint8Array, off: number, end: number, base: number): Described {
  const l = new LayerBuilder('ppp', 'Point-to-Point Protocol', base, off, end);
  let p = off;
  if (has(p, 2, end) && b[p] === 0xff && b[p + 1] === 0x03) {
    l.field('Address / control', undefined, '0xff / 0x03', p, 2);
    p += 2;
  }
  if (!has(p, 2, end)) return l.done(null, end, 'PPP protocol cut short');
  const proto = u16be(b, p);
  l.field('Protocol', undefined, hex2(proto), p, 2);
  const ether = proto === 0x0021 ? 0x0800 : proto === 0x0057 ? 0x86dd : -1;
  return l.done(ether > 0 ? { table: 'ethertype', value: ether, off: p + 2, end } : null, p + 2);
}
