/**
 * Graphviz DOT text for a graph model. Node ids are generated (n0, n1, ...), so no capture string is ever
 * a DOT identifier; every capture string goes through dotString (graph attribute values included).
 */
import type { GraphModel } from './graph-types.js';
import { dotString } from './escape.js';
import { edgeColour, edgeLabel, graphTitle, nodeColour, nodeLabelLines } from './graph-style.js';

/** Graphviz node shapes accepted from the command line (anything else could inject DOT). */
export const NODE_SHAPES = [
  'ellipse',
  'box',
  'circle',
  'point',
  'oval',
  'rect',
  'rectangle',
  'square',
  'doublecircle',
  'diamond',
  'hexagon',
  'octagon',
  'triangle',
  'plaintext',
  'plain',
  'none',
  'egg',
  'house',
  'cylinder',
  'note',
  'tab',
  'folder',
  'box3d',
  'component',
] as const;
export type NodeShape = (typeof NODE_SHAPES)[number];

export interface DotOptions {
  shape?: NodeShape;
  /** draw edge labels (protocols, packets, bytes); default true */
  edgeLabels?: boolean;
  /** Graphviz overlap removal for the force-directed engines (default "false" = prism) */
  overlap?: 'false' | 'vpsc' | 'scale' | 'compress';
}

export function toDot(m: GraphModel, opts: DotOptions = {}): string {
  const shape =
    opts.shape && (NODE_SHAPES as readonly string[]).includes(opts.shape) ? opts.shape : 'ellipse';
  const ids = new Map<string, string>();
  m.nodes.forEach((n, i) => ids.set(n.id, `n${i}`));
  const maxBytes = Math.max(1, ...m.edges.map((e) => e.bytes_ab + e.bytes_ba));
  const out: string[] = [];
  out.push('digraph pcaplens {');
  out.push(
    `  graph [label=${dotString(graphTitle(m))}, labelloc=t, fontname="Helvetica", fontsize=12, overlap=${opts.overlap ?? 'false'}, splines=true, outputorder=edgesfirst];`,
  );
  out.push(`  node [shape=${shape}, style=filled, fontname="Helvetica", fontsize=10, fontcolor="#111111"];`);
  out.push('  edge [fontname="Helvetica", fontsize=8, arrowsize=0.6];');
  for (const n of m.nodes) {
    const colour = nodeColour(n);
    const attrs = [
      `label=${dotString(nodeLabelLines(n).join('\n'))}`,
      `tooltip=${dotString(`${n.label}: ${n.packets_out} pkt out, ${n.packets_in} pkt in`)}`,
      `fillcolor="${colour}40"`,
      `color="${colour}"`,
    ];
    if (n.kind === 'group') attrs.push('style="filled,dashed"');
    out.push(`  ${ids.get(n.id)} [${attrs.join(', ')}];`);
  }
  for (const e of m.edges) {
    // Draw the arrow the way flows were started; both ways when each side started some.
    const reversed = e.flows_ab === 0 && e.flows_ba > 0;
    const from = ids.get(reversed ? e.b : e.a)!;
    const to = ids.get(reversed ? e.a : e.b)!;
    const dir = e.flows_ab > 0 && e.flows_ba > 0 ? 'both' : 'forward';
    const bytes = e.bytes_ab + e.bytes_ba;
    const width = 0.5 + (3.5 * Math.log1p(bytes)) / Math.log1p(maxBytes);
    const attrs = [`dir=${dir}`, `color="${edgeColour(e)}"`, `penwidth=${width.toFixed(2)}`];
    if (opts.edgeLabels !== false) attrs.unshift(`label=${dotString(edgeLabel(e))}`);
    out.push(`  ${from} -> ${to} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
