/**
 * Top talkers (PcapViz's --frequent-out) and top listeners (--frequent-in) over a graph model.
 * - direction "in": most contacted nodes; "out": most contacting nodes.
 * - by "peers": distinct neighbours that started flows to the node (in) / the node started flows to (out);
 *   "packets" / "bytes": received (in) / sent (out).
 * At layer 4 use the `service` mode so "in" ranks services (ip:port/proto) by distinct clients.
 */
import type { GraphModel, GraphNode } from './graph-types.js';

export type TopDirection = 'in' | 'out';
export type TopMetric = 'peers' | 'packets' | 'bytes';

export interface TopRow {
  rank: number;
  node: string;
  kind: string;
  names: string;
  /** the ranking value */
  value: number;
  peers_in: number;
  peers_out: number;
  packets_in: number;
  packets_out: number;
  bytes_in: number;
  bytes_out: number;
  flows_in: number;
  flows_out: number;
  grouped: number | null;
}

function metric(n: GraphNode, dir: TopDirection, by: TopMetric): number {
  if (by === 'peers') return dir === 'in' ? n.peers_in : n.peers_out;
  if (by === 'packets') return dir === 'in' ? n.packets_in : n.packets_out;
  return dir === 'in' ? n.bytes_in : n.bytes_out;
}

export function topNodes(m: GraphModel, dir: TopDirection, by: TopMetric, limit: number): TopRow[] {
  return m.nodes
    .map((n) => ({ n, v: metric(n, dir, by) }))
    .filter((x) => x.v > 0)
    .sort((x, y) => y.v - x.v || (x.n.id < y.n.id ? -1 : x.n.id > y.n.id ? 1 : 0))
    .slice(0, Math.max(0, limit))
    .map(({ n, v }, i) => ({
      rank: i + 1,
      node: n.label,
      kind: n.kind,
      names: n.names.join(', '),
      value: v,
      peers_in: n.peers_in,
      peers_out: n.peers_out,
      packets_in: n.packets_in,
      packets_out: n.packets_out,
      bytes_in: n.bytes_in,
      bytes_out: n.bytes_out,
      flows_in: n.flows_in,
      flows_out: n.flows_out,
      grouped: n.grouped?.members ?? null,
    }));
}
