/**
 * Builds the traffic graph from flow rows. One edge per unordered node pair; a flow adds its forward
 * packets/bytes in the direction src -> dst and its reverse ones back. What a node is depends on the layer
 * (graph-types.ts). Flows that have no representation at the chosen layer (no MACs at layer 2, non-IP at
 * layer 3, no ports at layer 4) are counted in `flows_skipped` and explained in `notes`.
 */
import type { FlowRow, HostRow } from '../shared/rows.js';
import type { GraphEdge, GraphLayer, GraphModel, GraphNode, L4Mode, NodeKind } from './graph-types.js';
import type { FlowTags, TrafficClass } from './traffic-class.js';
import { groupNodes, type GroupBy, type HostInfo } from './graph-group.js';
import { emptyEdge } from './graph-edge.js';

export interface GraphOptions {
  layer?: GraphLayer;
  l4Mode?: L4Mode;
  /** per-flow traffic classes (from the analyzers, or tagsFromFlows) */
  tags?: FlowTags;
  /** keep only flows carrying at least one of these classes */
  only?: readonly TrafficClass[];
  /** merge the least active nodes into groups beyond this many nodes (0 or undefined: no limit) */
  maxNodes?: number;
  groupBy?: GroupBy;
  /** enrichment look-up (ASN, country) used when grouping by asn or country */
  info?: HostInfo;
}

const MAX_NAMES = 3;

interface Endpoint {
  id: string;
  kind: NodeKind;
  label: string;
  ip: string | null;
  port: number | null;
}

export function socketLabel(ip: string, port: number, proto: string): string {
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}/${proto}`;
}

function ipKind(f: FlowRow): NodeKind {
  return f.ip_version === 6 ? 'ipv6' : 'ipv4';
}

function ipEnd(ip: string, kind: NodeKind): Endpoint {
  return { id: ip, kind, label: ip, ip, port: null };
}

function socketEnd(ip: string, port: number, proto: string): Endpoint {
  return { id: `${proto} ${ip} ${port}`, kind: 'socket', label: socketLabel(ip, port, proto), ip, port };
}

/** The two ends of a flow at a layer, src first; null when the flow has no form at that layer. */
function endsOf(f: FlowRow, layer: GraphLayer, mode: L4Mode): [Endpoint, Endpoint] | null {
  if (layer === 2) {
    if (!f.src_mac || !f.dst_mac) return null;
    return [
      { id: f.src_mac, kind: 'mac', label: f.src_mac, ip: null, port: null },
      { id: f.dst_mac, kind: 'mac', label: f.dst_mac, ip: null, port: null },
    ];
  }
  if (f.ip_version !== 4 && f.ip_version !== 6) return null;
  const k = ipKind(f);
  if (layer === 3) return [ipEnd(f.src_ip, k), ipEnd(f.dst_ip, k)];
  if (f.src_port === null || f.dst_port === null) return null;
  if (f.proto !== 'tcp' && f.proto !== 'udp' && f.proto !== 'sctp') return null;
  const dst = socketEnd(f.dst_ip, f.dst_port, f.proto);
  const src = mode === 'service' ? ipEnd(f.src_ip, k) : socketEnd(f.src_ip, f.src_port, f.proto);
  return [src, dst];
}

function newNode(e: Endpoint, ts: string): GraphNode {
  return {
    id: e.id,
    kind: e.kind,
    label: e.label,
    names: [],
    ip: e.ip,
    port: e.port,
    packets_out: 0,
    bytes_out: 0,
    packets_in: 0,
    bytes_in: 0,
    flows_out: 0,
    flows_in: 0,
    peers: 0,
    peers_in: 0,
    peers_out: 0,
    classes: [],
    grouped: null,
    first_ts: ts,
    last_ts: ts,
  };
}

function addUnique<T>(list: T[], v: T): void {
  if (!list.includes(v)) list.push(v);
}

/** Names known for each IP, and for each MAC the IPs seen behind it. */
function nameIndex(hosts: readonly HostRow[]): { byIp: Map<string, string[]>; byMac: Map<string, string[]> } {
  const byIp = new Map<string, string[]>();
  const byMac = new Map<string, string[]>();
  for (const h of hosts) {
    const names: string[] = [];
    for (const n of h.names) if (names.length < MAX_NAMES && !names.includes(n.name)) names.push(n.name);
    if (names.length) byIp.set(h.ip, names);
    if (h.kind === 'mac') continue;
    for (const m of h.macs) {
      const l = byMac.get(m) ?? [];
      if (l.length < MAX_NAMES && !l.includes(h.ip)) l.push(h.ip);
      byMac.set(m, l);
    }
  }
  return { byIp, byMac };
}

export function buildGraph(
  flows: readonly FlowRow[],
  hosts: readonly HostRow[],
  opts: GraphOptions = {},
): GraphModel {
  const layer = opts.layer ?? 3;
  const mode = opts.l4Mode ?? 'socket';
  const only = opts.only ?? [];
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  let used = 0;
  let noForm = 0;
  let filtered = 0;
  for (const f of flows) {
    const cls = opts.tags?.get(f.id) ?? [];
    if (only.length && !cls.some((c) => only.includes(c))) {
      filtered++;
      continue;
    }
    const ends = endsOf(f, layer, mode);
    if (!ends) {
      noForm++;
      continue;
    }
    used++;
    const [s, d] = ends;
    const sn = nodes.get(s.id) ?? nodes.set(s.id, newNode(s, f.first_ts)).get(s.id)!;
    const dn = nodes.get(d.id) ?? nodes.set(d.id, newNode(d, f.first_ts)).get(d.id)!;
    for (const n of [sn, dn]) {
      if (f.first_ts < n.first_ts) n.first_ts = f.first_ts;
      if (f.last_ts > n.last_ts) n.last_ts = f.last_ts;
      for (const c of cls) addUnique(n.classes, c);
    }
    sn.packets_out += f.packets_fwd;
    sn.bytes_out += f.bytes_fwd;
    sn.packets_in += f.packets_rev;
    sn.bytes_in += f.bytes_rev;
    sn.flows_out++;
    dn.packets_out += f.packets_rev;
    dn.bytes_out += f.bytes_rev;
    dn.packets_in += f.packets_fwd;
    dn.bytes_in += f.bytes_fwd;
    dn.flows_in++;
    const forward = s.id <= d.id;
    const a = forward ? s.id : d.id;
    const b = forward ? d.id : s.id;
    const key = a + '\u0000' + b;
    let e = edges.get(key);
    if (!e) {
      e = emptyEdge(a, b, f.first_ts, f.last_ts);
      edges.set(key, e);
    }
    if (forward) {
      e.packets_ab += f.packets_fwd;
      e.bytes_ab += f.bytes_fwd;
      e.packets_ba += f.packets_rev;
      e.bytes_ba += f.bytes_rev;
      e.flows_ab++;
    } else {
      e.packets_ba += f.packets_fwd;
      e.bytes_ba += f.bytes_fwd;
      e.packets_ab += f.packets_rev;
      e.bytes_ab += f.bytes_rev;
      e.flows_ba++;
    }
    if (f.first_ts < e.first_ts) e.first_ts = f.first_ts;
    if (f.last_ts > e.last_ts) e.last_ts = f.last_ts;
    addUnique(e.protocols, f.proto);
    if (f.app) addUnique(e.apps, f.app);
    for (const c of cls) addUnique(e.classes, c);
  }
  const { byIp, byMac } = nameIndex(hosts);
  for (const n of nodes.values()) {
    if (n.kind === 'mac') n.names = byMac.get(n.id) ?? [];
    else if (n.ip !== null) n.names = byIp.get(n.ip) ?? [];
  }
  const notes: string[] = [];
  if (noForm) notes.push(`${noForm} flow(s) have no ${FORM[layer]} and are not drawn at layer ${layer}`);
  if (filtered) notes.push(`${filtered} flow(s) left out by --only ${only.join(',')}`);
  let model: GraphModel = {
    layer,
    l4_mode: mode,
    nodes: [...nodes.values()],
    edges: [...edges.values()],
    grouping: null,
    only: [...only],
    flows_used: used,
    flows_skipped: noForm + filtered,
    notes,
  };
  if (opts.maxNodes && model.nodes.length > opts.maxNodes) {
    model = groupNodes(model, opts.maxNodes, opts.groupBy ?? 'subnet', opts.info);
  }
  computePeers(model);
  sortModel(model);
  return model;
}

const FORM: Record<GraphLayer, string> = {
  2: 'MAC addresses on both ends',
  3: 'IP addresses',
  4: 'TCP/UDP/SCTP ports',
};

/** Distinct neighbours, and in which direction flows were started. */
export function computePeers(m: GraphModel): void {
  const peers = new Map<string, Set<string>>();
  const pin = new Map<string, Set<string>>();
  const pout = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, k: string, v: string): void => {
    const s = map.get(k) ?? map.set(k, new Set()).get(k)!;
    s.add(v);
  };
  for (const e of m.edges) {
    if (e.a === e.b) continue;
    add(peers, e.a, e.b);
    add(peers, e.b, e.a);
    if (e.flows_ab) {
      add(pout, e.a, e.b);
      add(pin, e.b, e.a);
    }
    if (e.flows_ba) {
      add(pout, e.b, e.a);
      add(pin, e.a, e.b);
    }
  }
  for (const n of m.nodes) {
    n.peers = peers.get(n.id)?.size ?? 0;
    n.peers_in = pin.get(n.id)?.size ?? 0;
    n.peers_out = pout.get(n.id)?.size ?? 0;
  }
}

/** Busiest nodes and edges first, ties by id, so every output is deterministic. */
function sortModel(m: GraphModel): void {
  m.nodes.sort((x, y) => y.bytes_in + y.bytes_out - (x.bytes_in + x.bytes_out) || cmp(x.id, y.id));
  m.edges.sort(
    (x, y) => y.bytes_ab + y.bytes_ba - (x.bytes_ab + x.bytes_ba) || cmp(x.a, y.a) || cmp(x.b, y.b),
  );
}

function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
