import { ipKey } from './ip-key.js';

/**
 * The store's tables as data: every column with its storage type. The store derives its writers and row
 * readers from this list, and bindings.ts derives the filter fields from it, so a column is named once.
 * A migration that adds a column adds it here too.
 */
export type StorageType = 'text' | 'int' | 'bigint' | 'float' | 'bool' | 'time' | 'text[]' | 'int[]' | 'json';

export interface ColumnDef {
  name: string;
  type: StorageType;
  /** may be null */
  nullable?: boolean;
  /** filter as an address key ('ipkey') or MAC ('mac') rather than plain text */
  filterAs?: 'ipkey' | 'mac';
  /** written by the store from other row properties; never part of the returned rows */
  derive?: (row: Record<string, unknown>) => unknown;
  /** one line of documentation (becomes the filter field's doc) */
  doc: string;
}

export interface TableDef {
  name: TableName;
  /** the columns of the rows, in row order, after capture_id (and seq for artifact tables) */
  columns: ColumnDef[];
  /** columns that identify a row within a capture, for stable sorting and pagination */
  key: string[];
  /** time columns a --from/--to window applies to: [start, end] (the same column twice for point rows) */
  timeSpan: [string, string] | null;
}

export const TABLE_NAMES = [
  'packets',
  'flows',
  'hosts',
  'dns',
  'http',
  'tls',
  'dhcp',
  'credentials',
  'files',
  'alerts',
  'ssh',
  'smb',
  'sip',
  'ntp',
] as const;
export type TableName = (typeof TABLE_NAMES)[number];
export type ArtifactTable = Exclude<TableName, 'packets' | 'flows' | 'hosts'>;

const keyOf = (prop: string) => (row: Record<string, unknown>) =>
  typeof row[prop] === 'string' ? ipKey(row[prop]) : null;
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** Columns every application row starts with (AppRowBase in shared/app-rows.ts). */
function artifactHead(): ColumnDef[] {
  return [
    { name: 'flow_id', type: 'bigint', nullable: true, doc: 'flow this row belongs to' },
    { name: 'ts', type: 'time', doc: 'time of the first packet of the transaction' },
    { name: 'packet', type: 'bigint', nullable: true, doc: 'frame number of that first packet' },
    { name: 'client_ip', type: 'text', nullable: true, doc: 'endpoint that initiated the transaction' },
    { name: 'client_port', type: 'int', nullable: true, doc: 'client port' },
    { name: 'server_ip', type: 'text', nullable: true, doc: 'endpoint that answered' },
    { name: 'server_port', type: 'int', nullable: true, doc: 'server port' },
  ];
}
function artifactKeys(): ColumnDef[] {
  return [
    {
      name: 'client_ip_key',
      type: 'text',
      nullable: true,
      filterAs: 'ipkey',
      derive: keyOf('client_ip'),
      doc: 'client address key',
    },
    {
      name: 'server_ip_key',
      type: 'text',
      nullable: true,
      filterAs: 'ipkey',
      derive: keyOf('server_ip'),
      doc: 'server address key',
    },
  ];
}

function artifact(name: ArtifactTable, columns: ColumnDef[]): TableDef {
  return {
    name,
    columns: [...artifactHead(), ...columns, ...artifactKeys()],
    key: ['seq'],
    timeSpan: ['ts', 'ts'],
  };
}

function keyPair(): ColumnDef[] {
  return [
    {
      name: 'src_ip_key',
      type: 'text',
      nullable: true,
      filterAs: 'ipkey',
      derive: keyOf('src_ip'),
      doc: 'source address key',
    },
    {
      name: 'dst_ip_key',
      type: 'text',
      nullable: true,
      filterAs: 'ipkey',
      derive: keyOf('dst_ip'),
      doc: 'destination address key',
    },
  ];
}

const t = (name: string, doc: string, nullable = true): ColumnDef => ({ name, type: 'text', nullable, doc });
const i = (name: string, doc: string, nullable = true): ColumnDef => ({
  name,
  type: 'bigint',
  nullable,
  doc,
});

export const TABLES: Record<TableName, TableDef> = {
  packets: {
    name: 'packets',
    columns: [
      { name: 'n', type: 'bigint', doc: 'frame number, 1-based as Wireshark numbers frames' },
      { name: 'ts', type: 'time', doc: 'capture time' },
      { name: 'file_index', type: 'int', doc: '0-based index of the input file within the capture' },
      { name: 'file_offset', type: 'bigint', doc: 'byte offset of the record in the (decompressed) file' },
      { name: 'caplen', type: 'int', doc: 'bytes captured' },
      { name: 'len', type: 'int', doc: 'frame length on the wire' },
      { name: 'flow_id', type: 'bigint', nullable: true, doc: 'flow the packet belongs to' },
      { name: 'protocol', type: 'text', nullable: true, doc: 'top decoded protocol' },
    ],
    key: ['n'],
    timeSpan: ['ts', 'ts'],
  },
  flows: {
    name: 'flows',
    columns: [
      { name: 'id', type: 'bigint', doc: 'flow id, 1-based in order of first packet' },
      { name: 'proto', type: 'text', doc: 'tcp, udp, icmp, icmpv6, sctp, arp, ip, other' },
      { name: 'ip_version', type: 'int', doc: '4, 6, or 0 for non-IP' },
      { name: 'ip_proto', type: 'int', doc: 'IP protocol number (EtherType for non-IP)' },
      t('src_ip', 'address of the side that sent the first packet', false),
      { name: 'src_port', type: 'int', nullable: true, doc: 'source port' },
      t('dst_ip', 'address of the other side', false),
      { name: 'dst_port', type: 'int', nullable: true, doc: 'destination port' },
      { name: 'src_mac', type: 'text', nullable: true, filterAs: 'mac', doc: 'source MAC' },
      { name: 'dst_mac', type: 'text', nullable: true, filterAs: 'mac', doc: 'destination MAC' },
      { name: 'vlan', type: 'int', nullable: true, doc: 'outer VLAN id' },
      i('packets_fwd', 'packets src to dst', false),
      i('bytes_fwd', 'bytes src to dst', false),
      i('packets_rev', 'packets dst to src', false),
      i('bytes_rev', 'bytes dst to src', false),
      { name: 'first_ts', type: 'time', doc: 'time of the first packet' },
      { name: 'last_ts', type: 'time', doc: 'time of the last packet' },
      { name: 'duration', type: 'float', doc: 'seconds from first to last packet' },
      t('app', 'detected application protocol'),
      t('app_source', 'how app was decided: port, heuristic, port+heuristic'),
      t('tcp_flags', 'TCP flags seen, as letters FSRPAUEC'),
      t('tcp_state', 'TCP state at the end'),
      t('community_id', 'Community ID v1'),
      { name: 'tunnel_depth', type: 'int', doc: '0 outermost; tunnelled conversations count up' },
      ...keyPair(),
      {
        name: 'packets',
        type: 'bigint',
        derive: (r) => num(r.packets_fwd) + num(r.packets_rev),
        doc: 'packets both ways',
      },
      {
        name: 'bytes',
        type: 'bigint',
        derive: (r) => num(r.bytes_fwd) + num(r.bytes_rev),
        doc: 'bytes both ways',
      },
    ],
    key: ['id'],
    timeSpan: ['first_ts', 'last_ts'],
  },
  hosts: {
    name: 'hosts',
    columns: [
      t('ip', 'IP address (MAC for hosts seen only in non-IP traffic)', false),
      t('kind', 'ipv4, ipv6 or mac', false),
      { name: 'macs', type: 'text[]', doc: 'MAC addresses seen with this address' },
      { name: 'names', type: 'json', doc: 'names with their source (dns, dhcp, tls, ...)' },
      i('packets_sent', 'packets sent', false),
      i('bytes_sent', 'bytes sent', false),
      i('packets_recv', 'packets received', false),
      i('bytes_recv', 'bytes received', false),
      i('peers', 'distinct peers', false),
      { name: 'server_ports', type: 'int[]', doc: 'ports where this host answered' },
      { name: 'first_ts', type: 'time', doc: 'first time seen' },
      { name: 'last_ts', type: 'time', doc: 'last time seen' },
      t('vendor', 'MAC vendor'),
      t('country', 'country (ISO code)'),
      t('city', 'city'),
      { name: 'lat', type: 'float', nullable: true, doc: 'latitude' },
      { name: 'lon', type: 'float', nullable: true, doc: 'longitude' },
      i('asn', 'autonomous system number'),
      t('as_org', 'autonomous system organisation'),
      { name: 'is_private', type: 'bool', nullable: true, doc: 'private, loopback or link-local address' },
      { name: 'tags', type: 'text[]', nullable: true, doc: 'tags (tor, scanner, ...)' },
      t('address_class', 'public, private, loopback, link_local, multicast, ... (enrich/address-class.ts)'),
      t('os_guess', 'operating system the TTL, DHCP and User-Agent hints point to'),
      {
        name: 'ttl_min',
        type: 'int',
        nullable: true,
        doc: 'smallest IPv4 TTL / IPv6 hop limit this address sent with',
      },
      {
        name: 'ttl_max',
        type: 'int',
        nullable: true,
        doc: 'largest IPv4 TTL / IPv6 hop limit this address sent with (the fewest hops from its initial value)',
      },
      {
        name: 'ip_key',
        type: 'text',
        nullable: true,
        filterAs: 'ipkey',
        derive: keyOf('ip'),
        doc: 'address key',
      },
      {
        name: 'name_list',
        type: 'text[]',
        derive: (r) =>
          Array.isArray(r.names) ? r.names.map((n: { name?: unknown }) => String(n?.name ?? '')) : [],
        doc: 'names only',
      },
    ],
    key: ['ip'],
    timeSpan: ['first_ts', 'last_ts'],
  },
  dns: artifact('dns', [
    t('proto', 'dns, mdns, llmnr, nbns'),
    t('transport', 'udp or tcp'),
    i('trans_id', 'DNS message id'),
    t('query_name', 'queried name'),
    t('query_type', 'A, AAAA, PTR, ...'),
    t('query_class', 'query class'),
    t('rcode', 'NOERROR, NXDOMAIN, ...; null when no response was seen'),
    { name: 'has_query', type: 'bool', nullable: true, doc: 'a query message was seen' },
    { name: 'has_response', type: 'bool', nullable: true, doc: 'a response was seen' },
    { name: 'questions', type: 'text[]', nullable: true, doc: 'every question as "name TYPE"' },
    { name: 'answers', type: 'text[]', nullable: true, doc: 'answer records as "type value" text' },
    i('ttl', 'smallest answer TTL'),
    { name: 'rtt', type: 'float', nullable: true, doc: 'response time in seconds' },
    t('flags', 'flags as letters (AA TC RD RA)'),
  ]),
  http: artifact('http', [
    t('method', 'request method'),
    t('host', 'Host header'),
    t('uri', 'request target'),
    t('version', 'HTTP version'),
    t('user_agent', 'User-Agent header'),
    t('referer', 'Referer header'),
    { name: 'status', type: 'int', nullable: true, doc: 'response status code' },
    t('reason', 'response reason phrase'),
    t('request_content_type', 'request Content-Type'),
    t('response_content_type', 'response Content-Type'),
    i('request_body_len', 'decoded request body bytes'),
    i('response_body_len', 'decoded response body bytes'),
    t('server', 'Server header'),
    { name: 'has_cookie', type: 'bool', nullable: true, doc: 'request carried a Cookie' },
    { name: 'has_set_cookie', type: 'bool', nullable: true, doc: 'response carried Set-Cookie' },
    t('auth_user', 'user of Authorization: Basic'),
  ]),
  tls: artifact('tls', [
    t('carrier', 'tls or quic'),
    t('client_version', 'highest version the client offers'),
    t('version', 'version the server chose'),
    t('server_name', 'SNI server name'),
    { name: 'alpn', type: 'text[]', nullable: true, doc: 'ALPN protocols offered' },
    t('cipher', 'cipher suite the server chose (0x1301)'),
    t('ja3', 'JA3 fingerprint'),
    t('ja3_string', 'JA3 input string'),
    t('ja3s', 'JA3S fingerprint'),
    t('ja3s_string', 'JA3S input string'),
    t('ja4', 'JA4 fingerprint'),
    t('cert_subject', 'leaf certificate subject'),
    t('cert_issuer', 'leaf certificate issuer'),
    t('cert_serial', 'leaf certificate serial'),
    // ISO text, not epoch ns: certificates say 9999-12-31, past what 64-bit nanoseconds hold
    t('cert_not_before', 'certificate validity start (ISO-8601)'),
    t('cert_not_after', 'certificate validity end (ISO-8601)'),
    { name: 'cert_san', type: 'text[]', nullable: true, doc: 'subject alternative names' },
    { name: 'cert_self_signed', type: 'bool', nullable: true, doc: 'issuer equals subject' },
    t('cert_sha256', 'SHA-256 of the leaf certificate'),
    { name: 'cert_chain_len', type: 'int', nullable: true, doc: 'certificates in the chain' },
  ]),
  dhcp: artifact('dhcp', [
    t('proto', 'dhcp or dhcpv6'),
    t('msg_type', 'DISCOVER, OFFER, REQUEST, ACK, ...'),
    i('trans_id', 'transaction id'),
    { name: 'client_mac', type: 'text', nullable: true, filterAs: 'mac', doc: 'client hardware address' },
    t('requested_ip', 'address asked for'),
    t('assigned_ip', 'address given (yiaddr)'),
    t('host_name', 'client host name'),
    t('vendor_class', 'vendor class id'),
    t('param_request_list', 'option 55 codes, a client fingerprint'),
    t('server_id', 'DHCP server id'),
    i('lease_time', 'lease seconds'),
  ]),
  credentials: artifact('credentials', [
    t('proto', 'http, ftp, smtp, pop3, imap, telnet, snmp, ...'),
    t('method', 'basic, plain, login, user/pass, community, ...'),
    t('username', 'user name'),
    t('password', 'password or secret as seen'),
    t('detail', 'host, URI, mechanism details'),
  ]),
  files: artifact('files', [
    t('proto', 'http, ftp, smtp, smb2'),
    t('name', 'file name'),
    t('content_type', 'media type'),
    i('size', 'bytes seen'),
    i('declared_size', 'size announced by the protocol'),
    t('sha256', 'SHA-256 of the bytes seen'),
    { name: 'complete', type: 'bool', nullable: true, doc: 'the transfer was seen whole' },
    t('direction', 'download or upload'),
    t(
      'magic',
      'first bytes of the content (up to 16) as hex: what the file really is (4d5a = MZ executable, ...)',
    ),
  ]),
  alerts: artifact('alerts', [
    t('severity', 'info, low, medium, high'),
    t('rule', 'analysis that raised it'),
    t('title', 'one-line finding'),
    t('detail', 'explanation'),
    { name: 'evidence', type: 'json', nullable: true, doc: 'flows, numbers and rules behind the finding' },
    i('id', 'alert number within the capture (severity, then time order)'),
    t('key', 'stable identity of the finding across runs'),
    t(
      'kind',
      'port_scan, host_sweep, beaconing, dns_tunnel, dga, cleartext_credentials, insecure_protocol, ...',
    ),
    { name: 'score', type: 'float', nullable: true, doc: 'how strongly the evidence matches the rule, 0..1' },
    {
      name: 'heuristic',
      type: 'bool',
      nullable: true,
      doc: 'rests on a heuristic rather than an exact match',
    },
    { name: 'first_ts', type: 'time', nullable: true, doc: 'start of the activity' },
    { name: 'last_ts', type: 'time', nullable: true, doc: 'end of the activity' },
    { name: 'hosts', type: 'text[]', nullable: true, doc: 'addresses involved, the acting host first' },
    {
      name: 'flow_ids',
      type: 'int[]',
      nullable: true,
      doc: 'flows behind the finding (capped, see flow_count)',
    },
    i('flow_count', 'number of flows behind the finding'),
    t('explanation', 'one sentence for a person'),
  ]),
  ssh: artifact('ssh', [
    t('client_banner', 'client identification string (SSH-2.0-...)'),
    t('server_banner', 'server identification string'),
    t('hassh', 'HASSH: MD5 of the client key-exchange algorithm lists'),
    t('hassh_string', 'HASSH input string'),
    t('hassh_server', 'HASSHServer: MD5 of the server key-exchange algorithm lists'),
    t('hassh_server_string', 'HASSHServer input string'),
  ]),
  smb: artifact('smb', [
    t('command', 'NEGOTIATE, SESSION_SETUP, TREE_CONNECT, CREATE, CLOSE, QUERY_INFO, ...', false),
    i('message_id', 'MessageId of the request (-1: a CLOSE row made when the connection ended)'),
    t('status', 'NT status of the response as 0x%08x (0x00000000 success); null: no response seen'),
    t('tree', 'share path (\\\\server\\share)'),
    t('file_name', 'file name relative to the share'),
    t('dialect', 'dialect negotiated on the connection (2.0.2, 2.1, 3.0, 3.0.2, 3.1.1)'),
    t('username', 'user of the session (NTLMSSP AUTHENTICATE; no secrets kept)'),
    t('domain', 'domain of the session user'),
    t('host', 'workstation name the client gave'),
    i('bytes_read', 'CLOSE rows: bytes read from the file while it was open'),
    i('bytes_written', 'CLOSE rows: bytes written to the file while it was open'),
  ]),
  sip: artifact('sip', [
    t('transport', 'udp or tcp', false),
    t('method', 'request method (INVITE, REGISTER, ACK, BYE, ...); null for responses'),
    i('status', 'response status code; null for requests'),
    t('reason', 'response reason phrase'),
    t('uri', 'request URI'),
    t('from_addr', 'From header'),
    t('to_addr', 'To header'),
    t('call_id', 'Call-ID header'),
    t('cseq', 'CSeq header (number and method)'),
    t('user_agent', 'User-Agent header'),
  ]),
  ntp: artifact('ntp', [
    i('version', 'NTP version (1-4)', false),
    t('mode', 'client, server, broadcast, symmetric active/passive, control, ...', false),
    i('stratum', 'stratum of the sender (0 unspecified, 1 primary, 16 unsynchronised)', false),
    t('reference_id', 'stratum 0/1: kiss code or clock source; higher strata: upstream server IPv4'),
    {
      name: 'transmit_ts',
      type: 'time',
      nullable: true,
      doc: "sender's transmit timestamp (UTC); null when zero",
    },
  ]),
};

/** Columns that come back in rows (derived ones are for filtering and sorting only). */
export function rowColumns(table: TableName): ColumnDef[] {
  return TABLES[table].columns.filter((c) => !c.derive);
}

export function isTableName(s: string): s is TableName {
  return (TABLE_NAMES as readonly string[]).includes(s);
}
