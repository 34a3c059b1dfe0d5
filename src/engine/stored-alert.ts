/**
 * An analysis alert as the store's `alerts` table keeps it: the analyses' row (shared/alert-rows.ts) plus the
 * generic columns every artifact table starts with, filled from it so filters such as `ip.addr == X` and
 * `flow.id == N` and the older readers (title, detail) work on alerts too. And back again for output.
 */
import type { AlertRow } from '../shared/alert-rows.js';
import type { AlertRow as StoredAlertRow } from '../shared/store-rows.js';

export type { StoredAlertRow };

const TITLES: Record<string, string> = {
  port_scan: 'Port scan',
  host_sweep: 'Host sweep',
  beaconing: 'Beaconing',
  dns_tunnel: 'DNS tunnelling',
  dga: 'Generated domain names (DGA)',
  cleartext_credentials: 'Credentials in clear text',
  insecure_protocol: 'Insecure protocol',
  weak_tls: 'Weak TLS',
  tor_relay: 'Tor relay contacted',
  tor_like_tls: 'Tor-like TLS',
  unresolved_destination: 'Destination without a name',
  cleartext_executable: 'Executable downloaded in clear text',
  blocklist: 'Blocklist match',
};

export function alertTitle(kind: string): string {
  return TITLES[kind] ?? kind.replace(/_/g, ' ');
}

function port(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 65536 ? v : null;
}

export function toStoredAlert(a: AlertRow): StoredAlertRow {
  const e = a.evidence;
  return {
    flow_id: a.flow_ids[0] ?? null,
    ts: a.first_ts,
    packet: null,
    client_ip: a.hosts[0] ?? null,
    client_port: null,
    server_ip: a.hosts[1] ?? null,
    server_port: port(e['server_port'] ?? e['port'] ?? e['dst_port']),
    severity: a.severity,
    rule: a.rule,
    title: alertTitle(a.kind),
    detail: a.explanation,
    evidence: a.evidence,
    id: a.id,
    key: a.key,
    kind: a.kind,
    score: a.score,
    heuristic: a.heuristic,
    first_ts: a.first_ts,
    last_ts: a.last_ts,
    hosts: a.hosts,
    flow_ids: a.flow_ids,
    flow_count: a.flow_count,
    explanation: a.explanation,
  };
}

/** The analyses' row from a stored one (rows stored before migration 3 fall back on the generic columns). */
export function fromStoredAlert(r: StoredAlertRow, n: number): AlertRow {
  const ev = r.evidence;
  return {
    id: r.id ?? n,
    key: r.key ?? `${r.rule}|${r.client_ip ?? ''}|${r.server_ip ?? ''}`,
    kind: r.kind ?? r.rule,
    severity: (['info', 'low', 'medium', 'high'].includes(r.severity)
      ? r.severity
      : 'info') as AlertRow['severity'],
    score: r.score ?? 1,
    heuristic: r.heuristic ?? false,
    first_ts: r.first_ts ?? r.ts,
    last_ts: r.last_ts ?? r.ts,
    hosts: r.hosts ?? [r.client_ip, r.server_ip].filter((h): h is string => h !== null),
    flow_ids: r.flow_ids ?? (r.flow_id !== null ? [r.flow_id] : []),
    flow_count: r.flow_count ?? (r.flow_id !== null ? 1 : 0),
    explanation: r.explanation ?? r.detail ?? r.title,
    evidence: (ev && typeof ev === 'object' ? ev : {}) as AlertRow['evidence'],
    rule: r.rule,
  };
}
