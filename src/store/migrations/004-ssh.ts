import { columnList, type Migration } from './ddl.js';

/**
 * The ssh table: one row per SSH connection (shared/app-rows.ts SshRow: banners and HASSH fingerprints),
 * an artifact table like dns or tls (capture_id, seq, the common head, its columns, the address keys).
 */
const SSH_COLUMNS =
  'flow_id bigint, ts time, packet bigint, client_ip text, client_port int, server_ip text, server_port int, client_banner text, server_banner text, hassh text, hassh_string text, hassh_server text, hassh_server_string text, client_ip_key text, server_ip_key text';

export const migration004: Migration = {
  version: 4,
  name: 'ssh',
  up(d) {
    const out = [
      `CREATE TABLE ssh (capture_id BIGINT NOT NULL, seq BIGINT NOT NULL, ${columnList(d, SSH_COLUMNS)})`,
    ];
    if (d === 'postgres') out.push('CREATE UNIQUE INDEX ssh_key ON ssh (capture_id, seq)');
    return out;
  },
};
