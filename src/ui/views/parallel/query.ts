import { api, scopeParams, type Scope } from '../../lib/api.ts';

export interface FlowSample {
  id: number;
  proto: string;
  app: string | null;
  src_ip: string;
  dst_ip: string;
  src_port: number | null;
  dst_port: number | null;
  packets: number;
  bytes: number;
  duration: number;
  first_ts: string;
}

export function fetchSample(
  cid: string,
  scope: Scope,
  limit = 1000,
): Promise<{ rows: FlowSample[]; total: number }> {
  return api(`/captures/${cid}/parallel`, { ...scopeParams(scope), limit });
}
