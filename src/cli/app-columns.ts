/**
 * Columns of the application tables in CSV and table output: all of them follow the store's table definition
 * (shared/filter/tables.ts, the row contracts' order); the table view shows what fits a terminal.
 */
import { rowColumns } from '../shared/filter/tables.js';
import type { AppRowTypes, AppTable } from '../engine/app-tables.js';

type Cols<T extends AppTable> = readonly (keyof AppRowTypes[T] & string)[];

const TABLE_VIEW: { [T in AppTable]: Cols<T> } = {
  dns: ['ts', 'client_ip', 'server_ip', 'proto', 'query_name', 'query_type', 'rcode', 'answers'],
  http: [
    'ts',
    'client_ip',
    'server_ip',
    'server_port',
    'method',
    'host',
    'uri',
    'status',
    'response_content_type',
    'response_body_len',
  ],
  tls: ['ts', 'client_ip', 'server_ip', 'server_port', 'carrier', 'version', 'server_name', 'alpn', 'ja3'],
  dhcp: [
    'ts',
    'client_mac',
    'msg_type',
    'requested_ip',
    'assigned_ip',
    'host_name',
    'vendor_class',
    'server_id',
  ],
  credentials: [
    'ts',
    'client_ip',
    'server_ip',
    'server_port',
    'proto',
    'method',
    'username',
    'password',
    'detail',
  ],
  files: [
    'ts',
    'client_ip',
    'server_ip',
    'proto',
    'direction',
    'name',
    'content_type',
    'size',
    'complete',
    'sha256',
  ],
  ssh: [
    'ts',
    'client_ip',
    'server_ip',
    'server_port',
    'client_banner',
    'server_banner',
    'hassh',
    'hassh_server',
  ],
  smb: [
    'ts',
    'client_ip',
    'server_ip',
    'command',
    'status',
    'tree',
    'file_name',
    'username',
    'bytes_read',
    'bytes_written',
  ],
  sip: ['ts', 'client_ip', 'server_ip', 'transport', 'method', 'status', 'from_addr', 'to_addr', 'call_id'],
  ntp: ['ts', 'client_ip', 'server_ip', 'version', 'mode', 'stratum', 'reference_id', 'transmit_ts'],
};

export function appColumns(table: AppTable): { all: readonly string[]; table: readonly string[] } {
  return { all: rowColumns(table).map((c) => c.name), table: TABLE_VIEW[table] };
}
