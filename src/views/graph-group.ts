/**
 * Keeps a graph readable: beyond `maxNodes`, the least active nodes are merged into group nodes (by /24 or
 * /64 subnet, by ASN or country when enrichment is given, MACs by OUI). The busiest nodes stay individual;
 * the split point is the largest K such that K individual nodes plus the groups formed by the rest fit the
 * limit. If even the groups alone do not fit, the smallest groups fall into one "other" node.
 */
import type { GraphEdge, GraphModel, GraphNode } from './graph-types.js';
import { emptyEdge } from './graph-edge.js';

export type GroupBy = 'subnet' | 'asn' | 'country';

export interface HostFacts {
  asn?: number | null;
  as_org?: string | null;
  country?: string | null;
}
export type HostInfo = (ip: string) => HostFacts | null | undefined;

/** The 8 hextets of an IPv6 address in text form, or null. */
export function expandIpv6(ip: string): number[] | null {
  const s = ip.split('%')[0]!;
  let tail: number[] = [];
  let text = s;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const b = v4.slice(1).map(Number);
    tail = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!];
    text = s.slice(0, v4.index) + '0:0';
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (h: string): number[] => (h === '' ? [] : h.split(':').map((x) => parseInt(x, 16)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const words = [...head, ...new Array<number>(Math.max(0, fill)).fill(0), ...rest];
  if (v4) words.splice(6, 2, ...tail);
  if (words.length !== 8 || words.some((w) => !Number.isFinite(w) || w < 0 || w > 0xffff)) return null;
  return words;
}

export function subnetOf(ip: string): string {
  if (!ip.includes(':')) {
    const p = ip.split('.');
    return p.length === 4 ? `${p[0]}.${p[1]}.${p[2]}.0/24` : ip;
  }
  const w = expandIpv6(ip);
  if (!w) return ip;
  return `${w
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(':')}::/64`;
}

function groupKey(n: GraphNode, by: GroupBy, info?: HostInfo): { key: string; by: string } {
  if (n.kind === 'mac') return { key: n.id.slice(0, 8) + ':*', by: 'oui' };
  const ip = n.ip ?? n.id;
  const facts = info?.(ip);
  if (by === 'asn' && facts?.asn) {
    return { key: `AS${facts.asn}${facts.as_org ? ' ' + facts.as_org : ''}`, by: 'asn' };
  }
  if (by === 'country' && facts?.country) return { key: facts.country, by: 'country' };
  return { key: subnetOf(ip), by: 'subnet' };
}

function traffic(n: GraphNode): number {
  return n.bytes_in + n.bytes_out;
}

export function groupNodes(m: GraphModel, maxNodes: number, by: GroupBy, info?: HostInfo): GraphModel {
  const limit = Math.max(1, maxNodes);
  const nodes = [...m.nodes].sort((x, y) => traffic(y) - traffic(x) || (x.id < y.id ? -1 : 1));
  const keys = nodes.map((n) => groupKey(n, by, info));
  // Walk the split point down from "all individual" until individuals + groups fit.
  const restGroups = new Map<string, number>();
  let k = nodes.length;
  while (k > 0 && k + restGroups.size > limit) {
    k--;
    const g = keys[k]!.key;
    restGroups.set(g, (restGroups.get(g) ?? 0) + 1);
  }
  const target = new Map<string, string>();
  const groups = new Map<string, GraphNode>();
  // When the groups alone exceed the limit, keep the busiest limit-1 groups and fold the rest into "other".
  const groupTraffic = new Map<string, number>();
  for (let i = k; i < nodes.length; i++) {
    const g = keys[i]!.key;
    groupTraffic.set(g, (groupTraffic.get(g) ?? 0) + traffic(nodes[i]!));
  }
  const ranked = [...groupTraffic.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const keep = new Set(
    ranked.slice(0, k + ranked.length > limit ? limit - k - 1 : ranked.length).map((r) => r[0]),
  );
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (i < k) {
      target.set(n.id, n.id);
      continue;
    }
    const kb = keys[i]!;
    const label = keep.has(kb.key) ? kb.key : 'other';
    const gid = 'group:' + label;
    let g = groups.get(gid);
    if (!g) {
      g = groupNode(gid, label, keep.has(kb.key) ? kb.by : 'other', n);
      groups.set(gid, g);
    }
    mergeInto(g, n);
    target.set(n.id, gid);
  }
  const edges = new Map<string, GraphEdge>();
  for (const e of m.edges) {
    const ta = target.get(e.a)!;
    const tb = target.get(e.b)!;
    const forward = ta <= tb;
    const a = forward ? ta : tb;
    const b = forward ? tb : ta;
    const key = a + '\u0000' + b;
    let ne = edges.get(key);
    if (!ne) {
      ne = emptyEdge(a, b, e.first_ts, e.last_ts);
      edges.set(key, ne);
    }
    ne.packets_ab += forward ? e.packets_ab : e.packets_ba;
    ne.bytes_ab += forward ? e.bytes_ab : e.bytes_ba;
    ne.packets_ba += forward ? e.packets_ba : e.packets_ab;
    ne.bytes_ba += forward ? e.bytes_ba : e.bytes_ab;
    ne.flows_ab += forward ? e.flows_ab : e.flows_ba;
    ne.flows_ba += forward ? e.flows_ba : e.flows_ab;
    for (const p of e.protocols) if (!ne.protocols.includes(p)) ne.protocols.push(p);
    for (const p of e.apps) if (!ne.apps.includes(p)) ne.apps.push(p);
    for (const c of e.classes) if (!ne.classes.includes(c)) ne.classes.push(c);
    if (e.first_ts < ne.first_ts) ne.first_ts = e.first_ts;
    if (e.last_ts > ne.last_ts) ne.last_ts = e.last_ts;
  }
  const grouped = nodes.length - k;
  const usedBy = [...new Set([...groups.values()].map((g) => g.grouped!.by))].join('+') || by;
  return {
    ...m,
    nodes: [...nodes.slice(0, k), ...groups.values()],
    edges: [...edges.values()],
    grouping: {
      max_nodes: limit,
      nodes_before: nodes.length,
      nodes_grouped: grouped,
      groups: groups.size,
      by: usedBy,
    },
    notes: [
      ...m.notes,
      `grouped: ${grouped} of ${nodes.length} nodes merged into ${groups.size} group node(s) by ${usedBy} to stay within ${limit} nodes`,
    ],
  };
}

function groupNode(id: string, label: string, by: string, first: GraphNode): GraphNode {
  return {
    ...first,
    id,
    kind: 'group',
    label,
    names: [],
    ip: null,
    port: null,
    packets_out: 0,
    bytes_out: 0,
    packets_in: 0,
    bytes_in: 0,
    flows_out: 0,
    flows_in: 0,
    classes: [],
    grouped: { by, members: 0 },
  };
}

function mergeInto(g: GraphNode, n: GraphNode): void {
  g.packets_out += n.packets_out;
  g.bytes_out += n.bytes_out;
  g.packets_in += n.packets_in;
  g.bytes_in += n.bytes_in;
  g.flows_out += n.flows_out;
  g.flows_in += n.flows_in;
  g.grouped!.members += n.grouped?.members ?? 1;
  for (const c of n.classes) if (!g.classes.includes(c)) g.classes.push(c);
  if (n.first_ts < g.first_ts) g.first_ts = n.first_ts;
  if (n.last_ts > g.last_ts) g.last_ts = n.last_ts;
}
