/**
 * describeFrame: the layers of one frame, for packet detail. Follows the same bindings as the decoders
 * (link type, EtherType, IP protocol, well-known ports) for the protocols it knows; the rest of the frame is
 * shown as a "data" layer. Off the hot path: allocates a tree per call, never throws, reads only inside
 * the frame, and caps the number of layers.
 */
import { has } from '../../wire/byte-view.js';
import { describeDns } from './dns.js';
import { describeArp, describeIpv4, describeIpv6 } from './ip.js';
import {
  describeEth,
  describeNull,
  describePpp,
  describePppoe,
  describeSll,
  describeSll2,
  describeVlan,
} from './link.js';
import {
  describeGre,
  describeIcmp,
  describeIcmpv6,
  describeTcp,
  describeUdp,
  describeVxlan,
} from './transport.js';
import type { Describer, LayerNode, Next } from './types.js';

export type { FieldNode, LayerNode } from './types.js';

const MAX_LAYERS = 32;

const LINK: Record<number, Describer> = {
  0: describeNull(false),
  1: describeEth,
  9: describePpp,
  50: describePpp,
  108: describeNull(true),
  113: describeSll,
  276: describeSll2,
};
/** raw IP link types: 101 and 12/14 carry either version (told by the first nibble), 228 IPv4, 229 IPv6 */
const RAW_IP: Record<number, number> = { 12: 0, 14: 0, 101: 0, 228: 4, 229: 6 };

const ETHERTYPE: Record<number, Describer> = {
  0x0800: describeIpv4,
  0x86dd: describeIpv6,
  0x0806: describeArp,
  0x8100: describeVlan,
  0x88a8: describeVlan,
  0x9100: describeVlan,
  0x6558: describeEth,
  0x8864: describePppoe,
};

const IP_PROTO: Record<number, Describer> = {
  1: describeIcmp,
  4: describeIpv4,
  6: describeTcp,
  17: describeUdp,
  41: describeIpv6,
  47: describeGre,
  58: describeIcmpv6,
};

const DNS_PORTS = new Set([53, 5353, 5355]);

function pick(n: Exclude<Next, null>, b: Uint8Array): Describer | null {
  switch (n.table) {
    case 'link':
      return LINK[n.value] ?? null;
    case 'ethertype':
      return ETHERTYPE[n.value] ?? null;
    case 'ip.proto':
      return IP_PROTO[n.value] ?? null;
    case 'ppp':
      return describePpp;
    case 'ip': {
      const v = n.value || (has(n.off, 1, n.end) ? b[n.off]! >> 4 : 0);
      return v === 4 ? describeIpv4 : v === 6 ? describeIpv6 : null;
    }
    case 'udp':
      if (n.src === 4789 || n.dst === 4789) return describeVxlan;
      return DNS_PORTS.has(n.src) || DNS_PORTS.has(n.dst) ? describeDns : null;
    case 'tcp':
      return n.src === 53 || n.dst === 53 ? (b, o, e, base) => describeDns(b, o, e, base, true) : null;
  }
}

/** The layers of the frame b[off, off + caplen) captured with `linkType`. */
export function describeFrame(linkType: number, b: Uint8Array, off: number, caplen: number): LayerNode[] {
  const end = Math.min(b.length, off + Math.max(0, caplen));
  const layers: LayerNode[] = [];
  let next: Next =
    linkType in RAW_IP
      ? { table: 'ip', value: RAW_IP[linkType]!, off, end }
      : { table: 'link', value: linkType, off, end };
  let pos = off;
  while (next && layers.length < MAX_LAYERS) {
    const d = pick(next, b);
    if (!d) break;
    const { layer, next: after } = d(b, next.off, next.end, off);
    layers.push(layer);
    pos = off + layer.offset + layer.length;
    next = after;
    if (after && after.off < pos) break; // a describer never goes backwards
  }
  if (pos < end) {
    const n = end - pos;
    layers.push({ protocol: 'data', name: `Data, ${n} bytes`, offset: pos - off, length: n, fields: [] });
  }
  return layers;
}
