import { api, scopeParams, type Scope } from '../../lib/api.ts';

export interface GeoPoint {
  ip: string;
  lat: number;
  lon: number;
  country: string | null;
  city: string | null;
  as_org: string | null;
  bytes: number;
}

/** Traffic between two located hosts, or a located host and the unlocated network (null). */
export interface GeoArc {
  src: string | null;
  dst: string | null;
  bytes: number;
  flows: number;
}

export function fetchGeo(
  cid: string,
  scope: Scope,
): Promise<{ points: GeoPoint[]; located: number; hosts: number; arcs: GeoArc[] }> {
  return api(`/captures/${cid}/geo`, scopeParams(scope));
}
