import { subnetOf } from '../../views/graph-group.js';
import type { EdgeClass, NodeMarks } from './graph-marks.js';
import type { GraphEdgeOut, GraphNodeOut, GraphOut } from './graph.js';

/**
 * Collapses a large graph: every address node goes into its group (/24 or /64 subnet, AS, or country; a host
 * without AS or country falls back to its subnet), except the groups the user expanded, whose members stay
 * individual. Edges between groups are summed. A group node's id is "group:<by>:<key>" and it lists how many
 * members it holds, so a click can expand it.
 */
export type GroupBy = 'subnet' | 'asn' | 'country';

type Node = GraphNodeOut & Partial<NodeMarks> & { group?: { by: string; key: string; members: number } };
type Edge = GraphEdgeOut & { classes?: EdgeClass[] };

export function groupKeyOf(n: Node, by: GroupBy): { by: string; key: string } {
  if (by === 'asn' && n.asn) return { by: 'asn', key: `AS${n.asn}${n.as_org ? ` ${n.as_org}` : ''}` };
  if (by === 'country' && n.country) return { by: 'country', key: n.country };
  return { by: 'subnet', key: subnetOf(n.addr) };
}

export function groupGraph<G extends GraphOut>(g: G, by: GroupBy, expand: ReadonlySet<string>): G {
  const target = new Map<string, string>();
  const groups = new Map<string, Node>();
  const nodes: Node[] = [];
  for (const n of g.nodes as Node[]) {
    // layer 2 nodes (MACs) and layer 4 services stay as they are
    if (n.port !== null || n.proto !== null || !/[.:]/.test(n.addr) || /^([0-9a-f]{2}:){5}/i.test(n.addr)) {
      target.set(n.id, n.id);
      nodes.push(n);
      continue;
    }
    const k = groupKeyOf(n, by);
    const id = `group:${k.by}:${k.key}`;
    if (expand.has(id)) {
      target.set(n.id, n.id);
      nodes.push({ ...n, group: { ...k, members: 0 } });
      continue;
    }
    let gn = groups.get(id);
    if (!gn) {
      gn = {
        id,
        addr: k.key,
        port: null,
        proto: null,
        bytes: 0,
        packets: 0,
        flows: 0,
        peers: 0,
        bytes_out: 0,
        bytes_in: 0,
        tags: [],
        alerts: 0,
        asn: null,
        as_org: null,
        country: null,
        group: { ...k, members: 0 },
      };
      groups.set(id, gn);
    }
    gn.group!.members++;
    gn.alerts! += n.alerts ?? 0;
    for (const t of n.tags ?? []) if (!gn.tags!.includes(t) && gn.tags!.length < 8) gn.tags!.push(t);
    target.set(n.id, id);
  }
  const edges = new Map<string, Edge>();
  const peers = new Map<string, Set<string>>();
  const all = new Map<string, Node>([...nodes.map((n) => [n.id, n] as const), ...groups]);
  for (const n of all.values()) {
    if (n.group && n.id.startsWith('group:')) {
      n.bytes = n.packets = n.flows = n.bytes_in = n.bytes_out = 0;
    }
  }
  for (const e of g.edges as Edge[]) {
    const source = target.get(e.source) ?? e.source;
    const tgt = target.get(e.target) ?? e.target;
    const key = `${source}\u0000${tgt}\u0000${e.proto ?? ''}\u0000${e.port ?? ''}`;
    let m = edges.get(key);
    if (!m) {
      m = { ...e, source, target: tgt, flows: 0, packets: 0, bytes: 0, classes: [] };
      edges.set(key, m);
    } else {
      if (e.first_ts < m.first_ts) m.first_ts = e.first_ts;
      if (e.last_ts > m.last_ts) m.last_ts = e.last_ts;
    }
    m.flows += e.flows;
    m.packets += e.packets;
    m.bytes += e.bytes;
    for (const c of e.classes ?? []) if (!m.classes!.includes(c)) m.classes!.push(c);
    const s = all.get(source);
    const t = all.get(tgt);
    if (s?.id.startsWith('group:')) {
      s.bytes += e.bytes;
      s.packets += e.packets;
      s.flows += e.flows;
      s.bytes_out += e.bytes;
    }
    if (t?.id.startsWith('group:') && t !== s) {
      t.bytes += e.bytes;
      t.packets += e.packets;
      t.flows += e.flows;
      t.bytes_in += e.bytes;
    }
    (peers.get(source) ?? peers.set(source, new Set()).get(source)!).add(tgt);
    (peers.get(tgt) ?? peers.set(tgt, new Set()).get(tgt)!).add(source);
  }
  for (const n of groups.values()) n.peers = peers.get(n.id)?.size ?? 0;
  const list = [...nodes, ...groups.values()].sort((a, b) => b.bytes - a.bytes || (a.id < b.id ? -1 : 1));
  return { ...g, nodes: list, edges: [...edges.values()], grouped: by };
}
