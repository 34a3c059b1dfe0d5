import { api, scopeParams, type Scope } from '../../lib/api.ts';

export interface ChordData {
  labels: string[];
  matrix: number[][];
  has_other: boolean;
}

export function fetchChord(cid: string, scope: Scope, n = 12): Promise<ChordData> {
  return api<ChordData>(`/captures/${cid}/chord`, { ...scopeParams(scope), n });
}
