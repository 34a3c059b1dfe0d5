/** The graph model as one JSON document (nodes, edges, grouping marker, notes). */
import type { GraphModel } from './graph-types.js';
import { graphTitle } from './graph-style.js';

export function toGraphJson(m: GraphModel): string {
  return (
    JSON.stringify(
      {
        title: graphTitle(m),
        layer: m.layer,
        l4_mode: m.layer === 4 ? m.l4_mode : null,
        only: m.only,
        grouping: m.grouping,
        flows_used: m.flows_used,
        flows_skipped: m.flows_skipped,
        notes: m.notes,
        nodes: m.nodes,
        edges: m.edges,
      },
      null,
      2,
    ) + '\n'
  );
}
