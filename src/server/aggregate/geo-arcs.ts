import type { GraphEdge } from '../../store/store.js';

/**
 * Arcs of the world map: traffic between two located hosts, or between a located host and the hosts without
 * a location (private addresses: the capture's own network, which GeoIP cannot place). Pairs are
 * direction-free and summed; the heaviest `limit` are kept.
 */
export interface GeoArc {
  /** a located host, or null for "not located" */
  src: string | null;
  dst: string | null;
  bytes: number;
  flows: number;
}

export function geoArcs(edges: readonly GraphEdge[], located: ReadonlySet<string>, limit: number): GeoArc[] {
  const m = new Map<string, GeoArc>();
  for (const e of edges) {
    let a: string | null = located.has(e.src) ? e.src : null;
    let b: string | null = located.has(e.dst) ? e.dst : null;
    if (a === null && b === null) continue;
    if (a === b) continue;
    if (a === null || (b !== null && b < a)) [a, b] = [b, a];
    const key = `${a}\u0000${b ?? ''}`;
    const arc = m.get(key) ?? m.set(key, { src: a, dst: b, bytes: 0, flows: 0 }).get(key)!;
    arc.bytes += e.bytes;
    arc.flows += e.flows;
  }
  return [...m.values()]
    .sort((x, y) => y.bytes - x.bytes || ((x.src ?? '') < (y.src ?? '') ? -1 : 1))
    .slice(0, limit);
}
