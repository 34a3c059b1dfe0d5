/**
 * Graph model -> SVG. Graphviz's default overlap removal (prism) sometimes blows a dense grouped graph up to
 * tens of thousands of points per side (seen with sfdp and neato on 200 nodes around two hub groups: 87524 x
 * 78498 pt); when the layout is that sparse, it is redone with vpsc overlap removal, which stays compact.
 */
import { toDot, type DotOptions } from '../../views/dot.js';
import type { GraphModel } from '../../views/graph-types.js';
import { dotToSvg, type LayoutEngine } from './graphviz.js';

/** Above this many square points per node the layout is considered blown up (~700 x 700 pt each). */
const MAX_AREA_PER_NODE = 500_000;

export function svgArea(svg: string): number {
  const m = /viewBox="[\d.-]+ [\d.-]+ ([\d.]+) ([\d.]+)"/.exec(svg);
  return m ? Number(m[1]) * Number(m[2]) : 0;
}

export async function graphToSvg(
  m: GraphModel,
  engine: LayoutEngine,
  opts: DotOptions = {},
): Promise<string> {
  const svg = await dotToSvg(toDot(m, opts), engine);
  if (engine === 'dot' || svgArea(svg) <= MAX_AREA_PER_NODE * Math.max(1, m.nodes.length)) return svg;
  return dotToSvg(toDot(m, { ...opts, overlap: 'vpsc' }), engine);
}
