/**
 * Column order of each table in CSV and table output (JSON keeps the row's own keys). The full lists follow the
 * row contracts in shared/rows.ts; the table view shows a narrower set that fits a terminal.
 */
import type { AlertRow } from '../shared/alert-rows.js';
import type { FlowRow } from '../shared/rows.js';
import type { StoredHostRow } from '../shared/store-rows.js';

export const FLOW_COLUMNS = [
  'id',
  'proto',
  'ip_version',
  'ip_proto',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'src_mac',
  'dst_mac',
  'vlan',
  'packets_fwd',
  'bytes_fwd',
  'packets_rev',
  'bytes_rev',
  'first_ts',
  'last_ts',
  'duration',
  'app',
  'app_source',
  'tcp_flags',
  'tcp_state',
  'community_id',
  'tunnel_depth',
] as const satisfies readonly (keyof FlowRow)[];

export const FLOW_TABLE_COLUMNS = [
  'id',
  'proto',
  'src_ip',
  'src_port',
  'dst_ip',
  'dst_port',
  'packets_fwd',
  'bytes_fwd',
  'packets_rev',
  'bytes_rev',
  'first_ts',
  'duration',
  'app',
  'tcp_state',
] as const satisfies readonly (keyof FlowRow)[];

export const HOST_COLUMNS = [
  'ip',
  'kind',
  'macs',
  'names',
  'packets_sent',
  'bytes_sent',
  'packets_recv',
  'bytes_recv',
  'peers',
  'server_ports',
  'first_ts',
  'last_ts',
  'vendor',
  'address_class',
  'is_private',
  'country',
  'city',
  'lat',
  'lon',
  'asn',
  'as_org',
  'os_guess',
  'tags',
  'ttl_min',
  'ttl_max',
] as const satisfies readonly (keyof StoredHostRow)[];

export const HOST_TABLE_COLUMNS = [
  'ip',
  'macs',
  'vendor',
  'names',
  'country',
  'asn',
  'as_org',
  'tags',
  'packets_sent',
  'bytes_sent',
  'packets_recv',
  'bytes_recv',
  'peers',
  'server_ports',
] as const satisfies readonly (keyof StoredHostRow)[];

export const ALERT_COLUMNS = [
  'id',
  'severity',
  'kind',
  'first_ts',
  'last_ts',
  'hosts',
  'explanation',
  'score',
  'heuristic',
  'flow_count',
  'flow_ids',
  'key',
  'rule',
  'evidence',
] as const satisfies readonly (keyof AlertRow)[];

export const ALERT_TABLE_COLUMNS = [
  'id',
  'severity',
  'kind',
  'first_ts',
  'last_ts',
  'hosts',
  'explanation',
  'evidence',
] as const satisfies readonly (keyof AlertRow)[];

/** The fixed columns, then any further keys the first row has (fields added to a row type after this list). */
export function columnsFor(fixed: readonly string[], first: object | undefined): string[] {
  const cols = [...fixed];
  if (first) for (const k of Object.keys(first)) if (!cols.includes(k)) cols.push(k);
  return cols;
}
