/** Colours and labels shared by the graph outputs (DOT, GEXF, the report's legend). */
import type { GraphEdge, GraphModel, GraphNode } from './graph-types.js';
import type { TrafficClass } from './traffic-class.js';
import { humanBytes } from './format.js';

/** Strongest class wins: malicious > tor > insecure > web. */
const CLASS_ORDER: TrafficClass[] = ['malicious', 'tor', 'insecure', 'web'];

export const CLASS_COLOURS: Record<TrafficClass | 'none' | 'group', string> = {
  malicious: '#d62728',
  tor: '#9467bd',
  insecure: '#ff7f0e',
  web: '#1f77b4',
  none: '#7f7f7f',
  group: '#bcbd22',
};

export function mainClass(classes: readonly TrafficClass[]): TrafficClass | null {
  for (const c of CLASS_ORDER) if (classes.includes(c)) return c;
  return null;
}

export function nodeColour(n: GraphNode): string {
  if (n.kind === 'group') return CLASS_COLOURS.group;
  return CLASS_COLOURS[mainClass(n.classes) ?? 'none'];
}

export function edgeColour(e: GraphEdge): string {
  return CLASS_COLOURS[mainClass(e.classes) ?? 'none'];
}

/** Lines of a node's label: address, names, and for a group how many nodes it holds. */
export function nodeLabelLines(n: GraphNode): string[] {
  const lines = [n.label, ...n.names];
  if (n.grouped) lines.push(`grouped: ${n.grouped.members} node(s) by ${n.grouped.by}`);
  return lines;
}

export function edgeLabel(e: GraphEdge): string {
  const what = e.apps.length ? e.apps.join(',') : e.protocols.join(',');
  const packets = e.packets_ab + e.packets_ba;
  return `${what}\n${packets} pkt ${humanBytes(e.bytes_ab + e.bytes_ba)}`;
}

/** One-line title a rendered graph carries (with the grouping and filter markers). */
export function graphTitle(m: GraphModel): string {
  const what = m.layer === 2 ? 'MAC' : m.layer === 3 ? 'IP' : `transport (${m.l4_mode})`;
  let t = `layer ${m.layer} ${what} graph: ${m.nodes.length} nodes, ${m.edges.length} edges`;
  if (m.only.length) t += `; only ${m.only.join(',')}`;
  if (m.grouping) {
    const g = m.grouping;
    t += `; grouped: ${g.nodes_grouped} of ${g.nodes_before} nodes merged into ${g.groups} groups by ${g.by}`;
  }
  return t;
}
