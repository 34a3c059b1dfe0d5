/**
 * DOT -> SVG with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz; the wasm is inlined in the
 * package, nothing is fetched at run time). The module is loaded once per process.
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { PcaplensError } from '../../shared/errors.js';

export const LAYOUT_ENGINES = ['dot', 'neato', 'fdp', 'sfdp', 'circo', 'twopi'] as const;
export type LayoutEngine = (typeof LAYOUT_ENGINES)[number];

let loading: Promise<Graphviz> | null = null;

function graphviz(): Promise<Graphviz> {
  loading ??= Graphviz.load();
  return loading;
}

/** Graphviz's version string (for the report's "made with" line). */
export async function graphvizVersion(): Promise<string> {
  return (await graphviz()).version();
}

/**
 * Lays out DOT text and returns the SVG document. Throws E_USAGE for an unknown engine and E_LIMIT when
 * Graphviz rejects the input (it reports syntax errors by throwing).
 */
export async function dotToSvg(dot: string, engine: LayoutEngine = 'dot'): Promise<string> {
  if (!(LAYOUT_ENGINES as readonly string[]).includes(engine)) {
    throw new PcaplensError(
      'E_USAGE',
      `unknown layout engine '${engine}' (one of ${LAYOUT_ENGINES.join(', ')})`,
    );
  }
  const gv = await graphviz();
  try {
    return gv.layout(dot, 'svg', engine);
  } catch (e) {
    throw new PcaplensError('E_LIMIT', `graphviz could not lay out the graph: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** Strips the XML declaration, DOCTYPE and comments so the SVG can be inlined into HTML. */
export function svgForInline(svg: string): string {
  const at = svg.indexOf('<svg');
  return at >= 0 ? svg.slice(at) : svg;
}
