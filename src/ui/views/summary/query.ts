import { api, scopeParams, type Scope } from '../../lib/api.ts';
import type { Capture, Row, Talker } from '../../lib/types.ts';

export interface Summary {
  capture: Capture;
  counts: Record<string, number | null>;
  apps: { name: string; packets: number; bytes: number }[];
  transports: { name: string; packets: number; bytes: number }[];
  top: Talker[];
  alerts: Row[];
}

export function fetchSummary(cid: string, scope: Scope): Promise<Summary> {
  return api<Summary>(`/captures/${cid}/summary`, scopeParams(scope));
}
