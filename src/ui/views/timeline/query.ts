import { api, scopeParams, type Scope } from '../../lib/api.ts';
import type { Histogram } from '../../lib/types.ts';

export function fetchHistogram(
  cid: string,
  scope: Scope,
  group: 'proto' | 'app' | 'none',
  bins = 200,
): Promise<Histogram> {
  return api<Histogram>(`/captures/${cid}/histogram`, { ...scopeParams(scope), group, bins });
}
