import type { GraphEdge } from '../../store/store.js';

/**
 * Nodes and edges for the network graph view, from the store's aggregated edges. At layer 4 the responder
 * side is a service node "ip:port/proto" and the initiator stays its address, so clients fan in to services.
 */
export interface GraphNodeOut {
  id: string;
  /** the address (IP or MAC) behind the node */
  addr: string;
  port: number | null;
  proto: string | null;
  bytes: number;
  packets: number;
  flows: number;
  /** distinct neighbours in this graph */
  peers: number;
  /** bytes on edges this node initiated / answered */
  bytes_out: number;
  bytes_in: number;
}

export interface GraphEdgeOut extends GraphEdge {
  source: string;
  target: string;
}

export interface GraphOut {
  layer: 2 | 3 | 4;
  nodes: GraphNodeOut[];
  edges: GraphEdgeOut[];
  /** true when the edge limit cut the graph */
  truncated: boolean;
}

export function serviceId(addr: string, port: number | null, proto: string | null): string {
  const host = addr.includes(':') ? `[${addr}]` : addr;
  return port === null ? `${host}/${proto ?? '?'}` : `${host}:${port}/${proto ?? '?'}`;
}

export function buildGraphOut(edges: readonly GraphEdge[], layer: 2 | 3 | 4, limit: number): GraphOut {
  const nodes = new Map<string, GraphNodeOut>();
  const peers = new Map<string, Set<string>>();
  const node = (id: string, addr: string, port: number | null, proto: string | null): GraphNodeOut => {
    let n = nodes.get(id);
    if (!n) {
      n = { id, addr, port, proto, bytes: 0, packets: 0, flows: 0, peers: 0, bytes_out: 0, bytes_in: 0 };
      nodes.set(id, n);
      peers.set(id, new Set());
    }
    return n;
  };
  const out: GraphEdgeOut[] = [];
  for (const e of edges) {
    const source = e.src;
    const target = layer === 4 ? serviceId(e.dst, e.port, e.proto) : e.dst;
    const s = node(source, e.src, null, null);
    const t = layer === 4 ? node(target, e.dst, e.port, e.proto) : node(target, e.dst, null, null);
    for (const n of source === target ? [s] : [s, t]) {
      n.bytes += e.bytes;
      n.packets += e.packets;
      n.flows += e.flows;
    }
    s.bytes_out += e.bytes;
    t.bytes_in += e.bytes;
    peers.get(source)!.add(target);
    peers.get(target)!.add(source);
    out.push({ ...e, source, target });
  }
  for (const n of nodes.values()) n.peers = peers.get(n.id)!.size;
  const list = [...nodes.values()].sort((a, b) => b.bytes - a.bytes || (a.id < b.id ? -1 : 1));
  return { layer, nodes: list, edges: out, truncated: edges.length >= limit };
}
