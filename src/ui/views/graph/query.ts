import { api, scopeParams, type Scope } from '../../lib/api.ts';
import type { Graph } from '../../lib/types.ts';

export function fetchGraph(cid: string, scope: Scope, layer: number, limit = 3000): Promise<Graph> {
  return api<Graph>(`/captures/${cid}/graph`, { ...scopeParams(scope), layer, limit });
}
