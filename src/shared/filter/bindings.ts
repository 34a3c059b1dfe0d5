import type { FieldDef, FieldType } from '../fields.js';
import type { ColumnKind, ColumnRef } from './ast.js';
import { TABLES, type ColumnDef, type TableName } from './tables.js';

/**
 * The one place where filter field ids meet table columns. Every column of a table is a field
 * `<prefix>.<column>` (flow.bytes_fwd, dns.query_name, host.country); on top come the Wireshark-style
 * names: ip.src/ip.dst/ip.addr, port, tcp.port (only on tcp rows), eth.addr, frame.time, flow.id, app...
 */
export interface Binding {
  /** the field is true for a row when any of these columns compares true */
  cols: ColumnRef[];
  /** transport the row must have (tcp.port only matches tcp rows) */
  proto?: string;
  type: FieldType;
  doc: string;
}

const PREFIX: Record<TableName, string> = {
  packets: 'frame',
  flows: 'flow',
  hosts: 'host',
  dns: 'dns',
  http: 'http',
  tls: 'tls',
  dhcp: 'dhcp',
  credentials: 'credentials',
  files: 'files',
  alerts: 'alerts',
  ssh: 'ssh',
  smb: 'smb2',
  sip: 'sip',
  ntp: 'ntp',
};

/** Transport and network names a bare word can test on rows that have a `proto` column. */
export const TRANSPORTS = ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'arp', 'other'];

const KIND_TYPE: Record<ColumnKind, FieldType> = {
  text: 'string',
  int: 'int',
  float: 'float',
  bool: 'bool',
  ipkey: 'ip',
  mac: 'mac',
  time: 'time',
  'text[]': 'string[]',
};

function refOf(table: TableName, c: ColumnDef): ColumnRef | null {
  const cols = TABLES[table].columns;
  const keyCol = cols.find((k) => k.name === `${c.name}_key` && k.filterAs === 'ipkey');
  if (keyCol) return { column: keyCol.name, kind: 'ipkey', get: (r) => keyCol.derive!(r) };
  let kind: ColumnKind;
  switch (c.type) {
    case 'text':
      kind = c.filterAs ?? 'text';
      break;
    case 'int':
    case 'bigint':
      kind = 'int';
      break;
    case 'float':
    case 'bool':
    case 'time':
    case 'text[]':
      kind = c.type;
      break;
    default:
      return null; // json and int[] columns are not filterable
  }
  const derive = c.derive;
  const name = c.name;
  return { column: name, kind, get: derive ? (r) => derive(r) : (r) => r[name] };
}

const cache = new Map<TableName, Map<string, Binding>>();

/** Field id -> columns, for one table. */
export function tableBindings(table: TableName): Map<string, Binding> {
  const hit = cache.get(table);
  if (hit) return hit;
  const m = new Map<string, Binding>();
  const refs = new Map<string, { ref: ColumnRef; doc: string }>();
  for (const c of TABLES[table].columns) {
    const ref = refOf(table, c);
    if (!ref) continue;
    refs.set(c.name, { ref, doc: c.doc });
    if (c.filterAs === 'ipkey' && c.derive) continue; // reached through the address column it keys
    m.set(`${PREFIX[table]}.${c.name}`, { cols: [ref], type: KIND_TYPE[ref.kind], doc: c.doc });
  }
  const alias = (id: string, names: string[], doc: string, proto?: string) => {
    const found = names.map((n) => refs.get(n));
    if (found.some((f) => !f)) return;
    const cols = found.map((f) => f!.ref);
    m.set(id, { cols, type: KIND_TYPE[cols[0]!.kind], doc, ...(proto ? { proto } : {}) });
  };
  const hostTable = table === 'hosts';
  // flows say src/dst (src = first sender), application rows client/server: the same filter fields reach both
  const app = refs.has('client_ip');
  const [sIp, dIp, sPort, dPort] = app
    ? ['client_ip', 'server_ip', 'client_port', 'server_port']
    : ['src_ip', 'dst_ip', 'src_port', 'dst_port'];
  alias('ip.src', [sIp], 'source (client) address');
  alias('ip.dst', [dIp], 'destination (server) address');
  alias('ip.addr', hostTable ? ['ip'] : [sIp, dIp], 'either address (CIDR allowed)');
  alias('port', [sPort, dPort], 'either port');
  alias('src_port', [sPort], 'source (client) port');
  alias('dst_port', [dPort], 'destination (server) port');
  // transport guard: flows.proto, dns.transport; tables without one get no tcp.port etc.
  const transportCol = table === 'flows' ? 'proto' : refs.has('transport') ? 'transport' : null;
  if (transportCol) {
    for (const tr of ['tcp', 'udp', 'sctp']) {
      alias(`${tr}.port`, [sPort, dPort], `either ${tr} port`, tr);
      alias(`${tr}.srcport`, [sPort], `${tr} source port`, tr);
      alias(`${tr}.dstport`, [dPort], `${tr} destination port`, tr);
    }
    alias('transport', [transportCol], 'transport: tcp, udp, icmp, ...');
  }
  alias('proto', ['proto'], table === 'flows' ? 'transport: tcp, udp, icmp, ...' : 'protocol of the row');
  alias('app', ['app'], 'detected application protocol');
  alias('eth.src', ['src_mac'], 'source MAC');
  alias('eth.dst', ['dst_mac'], 'destination MAC');
  alias('eth.addr', ['src_mac', 'dst_mac'], 'either MAC');
  alias('vlan.id', ['vlan'], 'VLAN id');
  alias('ip.version', ['ip_version'], 'IP version');
  alias('ip.proto', ['ip_proto'], 'IP protocol number');
  alias('flow.id', [table === 'flows' ? 'id' : 'flow_id'], 'flow id');
  alias('frame.time', ['ts'], 'time');
  alias('frame.number', ['n'], 'frame number');
  alias('frame.len', ['len'], 'frame length on the wire');
  alias('frame.cap_len', ['caplen'], 'bytes captured');
  alias('flow.start', ['first_ts'], 'time of the first packet');
  alias('flow.end', ['last_ts'], 'time of the last packet');
  if (hostTable) alias('host.name', ['name_list'], 'any name of the host');
  if (table === 'tls') alias('tls.sni', ['server_name'], 'SNI server name (tls.server_name)');
  cache.set(table, m);
  return m;
}

/** The fields a table can be filtered on, as catalog entries (merge with the protocol catalog for validation). */
export function tableFields(table: TableName): FieldDef[] {
  return [...tableBindings(table)].map(([id, b]) => ({ id, type: b.type, doc: b.doc }));
}

/**
 * Application tables whose rows belong to a flow (a `flow_id` column): a filter on another table can test
 * their fields as "has such a row in the same flow" (validate.ts, `related`). Alerts are left out: most of
 * their rows name their flows in `flow_ids`, not `flow_id`.
 */
export const FLOW_ROW_TABLES = [
  'dns',
  'http',
  'tls',
  'dhcp',
  'credentials',
  'files',
  'ssh',
  'smb',
  'sip',
  'ntp',
] as const satisfies readonly TableName[];

/** The flow-row table whose own field `field` is (`dns.query_name` -> dns), or null. */
export function flowRowTableOf(field: string): (typeof FLOW_ROW_TABLES)[number] | null {
  for (const t of FLOW_ROW_TABLES) {
    if (field.startsWith(`${PREFIX[t]}.`) && tableBindings(t).has(field)) return t;
  }
  return null;
}
