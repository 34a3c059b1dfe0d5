import { columnList, type Migration } from './ddl.js';

/**
 * The smb, sip and ntp tables (shared/app-rows.ts SmbRow, SipRow, NtpRow): artifact tables like ssh
 * (capture_id, seq, the common head, their columns, the address keys).
 */
const HEAD =
  'flow_id bigint, ts time, packet bigint, client_ip text, client_port int, server_ip text, server_port int';
const KEYS = 'client_ip_key text, server_ip_key text';
const TABLES: [string, string][] = [
  [
    'smb',
    'command text, message_id bigint, status text, tree text, file_name text, dialect text, username text, domain text, host text, bytes_read bigint, bytes_written bigint',
  ],
  [
    'sip',
    'transport text, method text, status bigint, reason text, uri text, from_addr text, to_addr text, call_id text, cseq text, user_agent text',
  ],
  ['ntp', 'version bigint, mode text, stratum bigint, reference_id text, transmit_ts time'],
];

export const migration007: Migration = {
  version: 7,
  name: 'smb-sip-ntp',
  up(d) {
    const out: string[] = [];
    for (const [name, cols] of TABLES) {
      out.push(
        `CREATE TABLE ${name} (capture_id BIGINT NOT NULL, seq BIGINT NOT NULL, ${columnList(d, `${HEAD}, ${cols}, ${KEYS}`)})`,
      );
      if (d === 'postgres') out.push(`CREATE UNIQUE INDEX ${name}_key ON ${name} (capture_id, seq)`);
    }
    return out;
  },
};
