import type { GraphEdge } from './graph-types.js';

/** A zero-traffic edge between node ids a <= b. */
export function emptyEdge(a: string, b: string, first: string, last: string): GraphEdge {
  return {
    a,
    b,
    packets_ab: 0,
    bytes_ab: 0,
    packets_ba: 0,
    bytes_ba: 0,
    flows_ab: 0,
    flows_ba: 0,
    protocols: [],
    apps: [],
    classes: [],
    first_ts: first,
    last_ts: last,
  };
}
