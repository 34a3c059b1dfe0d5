import { columnList, type Dialect, type Migration } from './ddl.js';

/**
 * The first schema: captures and every table of the data model. Frozen: later changes go in new
 * migrations (ALTER TABLE ... ADD COLUMN), never here, so a database created at any version migrates the
 * same way. Column lists use the abstract types of ddl.ts.
 */
const COLUMNS = {
  packets:
    'n bigint, ts time, file_index int, file_offset bigint, caplen int, len int, flow_id bigint, protocol text',
  flows:
    'id bigint, proto text, ip_version int, ip_proto int, src_ip text, src_port int, dst_ip text, dst_port int, src_mac text, dst_mac text, vlan int, packets_fwd bigint, bytes_fwd bigint, packets_rev bigint, bytes_rev bigint, first_ts time, last_ts time, duration float, app text, app_source text, tcp_flags text, tcp_state text, community_id text, tunnel_depth int, src_ip_key text, dst_ip_key text, packets bigint, bytes bigint',
  hosts:
    'ip text, kind text, macs text[], names json, packets_sent bigint, bytes_sent bigint, packets_recv bigint, bytes_recv bigint, peers bigint, server_ports int[], first_ts time, last_ts time, vendor text, country text, city text, lat float, lon float, asn bigint, as_org text, is_private bool, tags text[], ip_key text, name_list text[]',
  dns: 'flow_id bigint, ts time, packet bigint, client_ip text, client_port int, server_ip text, server_port int, proto text, transport text, trans_id bigint, query_name text, query_type text, query_class text, rcode text, has_query bool, has_response bool, questions text[], answers text[], ttl bigint, rtt float, flags text, client_ip_key text, server_ip_key text',
  http: 'flow_id bigint, ts time, packet bigint, client_ip text, client_port int, server_ip text, server_port int, method text, host text, uri text, version text, user_agent text, referer text, status int, reason text, request_content_type text, response_content_type text, request_body_len bigint, response_body_len bigint, server text, has_cookie bool, has_set_cookie bool, auth_user text, client_ip_key text, server_ip_key text',
  tls: 'flow_id bigint, ts time, packet bigint, client_ip text, client_port int, server_ip text, server_port int, carrier text, client_version text, version text, server_name text, alpn text[], cipher text, ja3 text, ja3_string text, ja3s text, ja3s_string text, ja4 text, cert_subject text, cert_issuer text, cert_serial text, cert_not_before text, cert_not_after text, cert_san text[], cert_self_signed bool, cert_sha256 text, cert_chain_len int, client_ip_key text, server_ip_key text',
  dhcp: 'flow_id bigint, ts time, packet bigint, client_ip text, client_port int, server_ip text, server_port int, proto text, msg_type text, trans_id bigint, client_mac text, requested_ip text, assigned_ip text, host_name text, vendor_class text, param_request_list text, server_id text, lease_time bigint, client_ip_key text, server_ip_key text',
  credentials:
    'flow_id bigint, ts time, packet bigint, client_ip text, client_port int, server_ip text, server_port int, proto text, method text, username text, password text, detail text, client_ip_key text, server_ip_key text',
  files:
    'flow_id bigint, ts time, packet bigint, client_ip text, client_port int, server_ip text, server_port int, proto text, name text, content_type text, size bigint, declared_size bigint, sha256 text, complete bool, direction text, client_ip_key text, server_ip_key text',
  alerts:
    'flow_id bigint, ts time, packet bigint, client_ip text, client_port int, server_ip text, server_port int, severity text, rule text, title text, detail text, evidence json, client_ip_key text, server_ip_key text',
} as const;

const ARTIFACTS = ['dns', 'http', 'tls', 'dhcp', 'credentials', 'files', 'alerts'] as const;

export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(d: Dialect): string[] {
    const cols = (spec: string) => columnList(d, spec);
    const pg = d === 'postgres';
    const out = [
      'CREATE SEQUENCE IF NOT EXISTS capture_id_seq START 1',
      `CREATE TABLE captures (id BIGINT PRIMARY KEY, ${cols(
        'name text, sha256 text, size bigint, format text, link_types int[], packets bigint, bytes bigint, ' +
          'first_ts time, last_ts time, status text, errors json, created_at time',
      )})`,
      `CREATE TABLE capture_files (capture_id BIGINT NOT NULL, file_index INTEGER NOT NULL, ${cols(
        'name text, sha256 text, size bigint, format text, path text',
      )})`,
      `CREATE TABLE packets (capture_id BIGINT NOT NULL, ${cols(COLUMNS.packets)})`,
      `CREATE TABLE flows (capture_id BIGINT NOT NULL, ${cols(COLUMNS.flows)})`,
      `CREATE TABLE hosts (capture_id BIGINT NOT NULL, ${cols(COLUMNS.hosts)})`,
      ...ARTIFACTS.map(
        (t) => `CREATE TABLE ${t} (capture_id BIGINT NOT NULL, seq BIGINT NOT NULL, ${cols(COLUMNS[t])})`,
      ),
    ];
    if (pg) {
      // DuckDB prunes by its per-block min/max (rows arrive grouped by capture); PostgreSQL wants indexes.
      out.push(
        'CREATE INDEX captures_sha256 ON captures (sha256)',
        'CREATE UNIQUE INDEX packets_key ON packets (capture_id, n)',
        'CREATE INDEX packets_flow ON packets (capture_id, flow_id)',
        'CREATE UNIQUE INDEX flows_key ON flows (capture_id, id)',
        'CREATE INDEX flows_src ON flows (capture_id, src_ip_key)',
        'CREATE INDEX flows_dst ON flows (capture_id, dst_ip_key)',
        'CREATE INDEX hosts_key ON hosts (capture_id, ip)',
        ...ARTIFACTS.map((t) => `CREATE UNIQUE INDEX ${t}_key ON ${t} (capture_id, seq)`),
      );
    }
    return out;
  },
};
