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

export function fetchGeo(
  cid: string,
  scope: Scope,
): Promise<{ points: GeoPoint[]; located: number; hosts: number }> {
  return api(`/captures/${cid}/geo`, scopeParams(scope));
}
