import { api, scopeParams, type Scope } from '../../lib/api.ts';
import type { Graph } from '../../lib/types.ts';

export interface GraphOptions {
  layer: number;
  /** none, subnet, asn, country */
  group: string;
  /** group ids shown member by member */
  expand: string[];
  limit?: number;
}

export function fetchGraph(cid: string, scope: Scope, o: GraphOptions): Promise<Graph> {
  return api<Graph>(`/captures/${cid}/graph`, {
    ...scopeParams(scope),
    layer: o.layer,
    limit: o.limit ?? 3000,
    group: o.group !== 'none' ? o.group : undefined,
    expand: o.group !== 'none' && o.expand.length ? o.expand.join(',') : undefined,
  });
}
