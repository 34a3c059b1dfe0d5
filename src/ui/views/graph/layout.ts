import { forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY } from 'd3';
import type { SimulationNodeDatum } from 'd3';

/**
 * The force layout, shared by the page (small graphs, laid out at once) and the layout worker (large graphs,
 * laid out off the main thread so panning stays smooth). Works on plain numbers only: radius per node, edges
 * as index pairs; positions come back as [x0, y0, x1, y1, ...].
 */
export interface LayoutInput {
  radius: Float32Array;
  /** [source0, target0, source1, target1, ...] */
  links: Uint32Array;
  width: number;
  height: number;
}

export interface Layout {
  /** runs up to `n` ticks; false once the layout has cooled down */
  tick(n: number): boolean;
  positions(out: Float32Array): void;
  readonly ticks: number;
}

export const MAX_TICKS = 300;

interface N extends SimulationNodeDatum {
  r: number;
}

export function makeLayout(input: LayoutInput): Layout {
  const count = input.radius.length;
  const big = count > 2000;
  const nodes: N[] = Array.from({ length: count }, (_, i) => ({ r: input.radius[i]! }));
  const links: { source: number; target: number }[] = [];
  for (let i = 0; i + 1 < input.links.length; i += 2)
    links.push({ source: input.links[i]!, target: input.links[i + 1]! });
  const sim = forceSimulation(nodes)
    .stop()
    .force(
      'link',
      forceLink<N, { source: number | N; target: number | N }>(links).distance(
        (l) => 30 + (l.source as N).r + (l.target as N).r,
      ),
    )
    .force(
      'charge',
      forceManyBody<N>()
        .strength(big ? -25 : -140)
        .theta(big ? 1.3 : 0.9),
    )
    .force('x', forceX(input.width / 2).strength(0.05))
    .force('y', forceY(input.height / 2).strength(0.05));
  // collisions cost as much as the rest together; a large graph is read zoomed out, where they do not show
  if (!big)
    sim.force(
      'collide',
      forceCollide<N>((n) => n.r + 1.5),
    );
  if (big) sim.alphaDecay(0.05);
  let ticks = 0;
  return {
    tick(n: number): boolean {
      for (let i = 0; i < n && ticks < MAX_TICKS && sim.alpha() > sim.alphaMin(); i++) {
        sim.tick();
        ticks++;
      }
      return ticks < MAX_TICKS && sim.alpha() > sim.alphaMin();
    },
    positions(out: Float32Array): void {
      for (let i = 0; i < count; i++) {
        out[2 * i] = nodes[i]!.x!;
        out[2 * i + 1] = nodes[i]!.y!;
      }
    },
    get ticks() {
      return ticks;
    },
  };
}
