/**
 * Row shapes of the application-layer tables (ARCHITECTURE.md, "Data model"): dns, http, tls, dhcp,
 * credentials, files. One row per transaction or artifact. Names are contracts (JSON/CSV columns, store
 * columns, API fields): add freely, never rename. Timestamps are ISO-8601 UTC strings (shared/time.ts).
 */

/** Columns every application row carries: which conversation, when, and who spoke to whom. */
export interface AppRowBase {
  /** FlowRow.id of the conversation */
  flow_id: number;
  /** time of the first packet of the transaction (the request, or the response when no request was seen) */
  ts: string;
  /** 1-based frame number of that first packet over the whole capture (several files: in their time-ordered merge, as the packet index numbers it) */
  packet: number;
  /** the endpoint that initiated the transaction (DNS querier, HTTP client, TLS client, ...) */
  client_ip: string;
  client_port: number | null;
  server_ip: string;
  server_port: number | null;
}

export interface DnsRow extends AppRowBase {
  /** dns, mdns, llmnr, nbns */
  proto: string;
  /** udp or tcp */
  transport: string;
  trans_id: number;
  query_name: string | null;
  /** A, AAAA, PTR, ... (TYPE<n> when unnamed) */
  query_type: string | null;
  query_class: string | null;
  /** NOERROR, NXDOMAIN, ... ; null when no response was seen */
  rcode: string | null;
  /** a query message was seen / a response was seen (an unanswered query, an unsolicited mDNS answer) */
  has_query: boolean;
  has_response: boolean;
  /** every question as "name TYPE" (mDNS queries often carry many) */
  questions: string[];
  /** answer records as "owner TYPE value" text, in wire order */
  answers: string[];
  /** smallest TTL among the answers */
  ttl: number | null;
  /** response time in seconds; null when either side is missing */
  rtt: number | null;
  /** authoritative answer, truncated, recursion desired/available flags as letters (e.g. "RD RA") */
  flags: string;
}

export interface HttpRow extends AppRowBase {
  method: string | null;
  host: string | null;
  uri: string | null;
  version: string | null;
  user_agent: string | null;
  referer: string | null;
  status: number | null;
  reason: string | null;
  request_content_type: string | null;
  response_content_type: string | null;
  /** decoded body sizes (after chunked/gzip), null when no body */
  request_body_len: number | null;
  response_body_len: number | null;
  server: string | null;
  has_cookie: boolean;
  has_set_cookie: boolean;
  /** user name when the request carried Authorization: Basic (the password goes to the credentials table) */
  auth_user: string | null;
}

export interface TlsRow extends AppRowBase {
  /** tls or quic */
  carrier: string;
  /** highest version the client offers / version the server chose, as "TLS 1.2", "TLS 1.3", ... */
  client_version: string | null;
  version: string | null;
  server_name: string | null;
  alpn: string[];
  /** cipher suite the server chose, as 0x1301 hex */
  cipher: string | null;
  ja3: string | null;
  ja3_string: string | null;
  ja3s: string | null;
  ja3s_string: string | null;
  ja4: string | null;
  /** leaf certificate (TLS <= 1.2 only: 1.3 encrypts it) */
  cert_subject: string | null;
  cert_issuer: string | null;
  cert_serial: string | null;
  cert_not_before: string | null;
  cert_not_after: string | null;
  cert_san: string[];
  cert_self_signed: boolean | null;
  cert_sha256: string | null;
  /** number of certificates in the chain */
  cert_chain_len: number;
}

export interface DhcpRow extends AppRowBase {
  /** dhcp or dhcpv6 */
  proto: string;
  /** DISCOVER, OFFER, REQUEST, ACK, NAK, RELEASE, INFORM, DECLINE (DHCPv6: SOLICIT, ADVERTISE, ...) */
  msg_type: string;
  trans_id: number;
  client_mac: string | null;
  /** address asked for (option 50 or ciaddr) */
  requested_ip: string | null;
  /** yiaddr of OFFER/ACK */
  assigned_ip: string | null;
  host_name: string | null;
  vendor_class: string | null;
  /** option 55 as comma-separated decimal codes: a client fingerprint */
  param_request_list: string | null;
  server_id: string | null;
  lease_time: number | null;
}

export interface CredentialRow extends AppRowBase {
  /** http, ftp, smtp, pop3, imap, telnet, snmp, ... */
  proto: string;
  /** basic, plain, login, user/pass, community, ... */
  method: string;
  username: string | null;
  password: string | null;
  /** free text: host, URI, mechanism details */
  detail: string | null;
}

export interface FileRow extends AppRowBase {
  /** http, ftp, smtp, smb2 */
  proto: string;
  /** file name from the URI, Content-Disposition, STOR/RETR argument or SMB create */
  name: string | null;
  content_type: string | null;
  /** bytes seen (decoded), and declared size when known */
  size: number;
  declared_size: number | null;
  /** SHA-256 of the bytes seen, null when not all of them were seen */
  sha256: string | null;
  /** true when the transfer was seen whole (no gap, no cut) */
  complete: boolean;
  /** "download" (server to client) or "upload" */
  direction: string;
  /**
   * the content's first bytes (up to 16) as lower-case hex, when they were seen (HTTP bodies always; other
   * transfers when extraction keeps their bytes): what the file really is (MZ, ELF, ...), whatever its name says
   */
  magic?: string | null;
}

/** One SSH connection: identification strings and key-exchange fingerprints (HASSH / HASSHServer). */
export interface SshRow extends AppRowBase {
  client_banner: string | null;
  server_banner: string | null;
  hassh: string | null;
  hassh_string: string | null;
  hassh_server: string | null;
  hassh_server_string: string | null;
}

/**
 * One finished SMB2 command (request and response paired by MessageId). READ and WRITE are summed per open
 * file and come out on its CLOSE row (bytes_read, bytes_written); a file still open when the connection ends
 * gets a CLOSE row without status.
 */
export interface SmbRow extends AppRowBase {
  /** NEGOTIATE, SESSION_SETUP, TREE_CONNECT, CREATE, CLOSE, QUERY_INFO, ... */
  command: string;
  /** the request's MessageId (-1 for a CLOSE row made at the end of the connection) */
  message_id: number;
  /** NT status of the response as 0x%08x (0x00000000 success); null when no response was seen */
  status: string | null;
  /** share path (\\server\share) the command worked in */
  tree: string | null;
  /** file name relative to the share (CREATE and the file's later commands) */
  file_name: string | null;
  /** dialect negotiated on the connection (2.0.2 ... 3.1.1) */
  dialect: string | null;
  /** identity of the session's NTLMSSP authentication (no secrets: challenge responses are not kept) */
  username: string | null;
  domain: string | null;
  host: string | null;
  /** CLOSE rows: bytes read from and written to the file while it was open */
  bytes_read: number | null;
  bytes_written: number | null;
}

/** One SIP message (request or response). */
export interface SipRow extends AppRowBase {
  /** udp or tcp */
  transport: string;
  /** request method; null for responses */
  method: string | null;
  /** response status code; null for requests */
  status: number | null;
  reason: string | null;
  /** request URI */
  uri: string | null;
  /** From and To headers as sent (compact forms f: and t: included) */
  from_addr: string | null;
  to_addr: string | null;
  call_id: string | null;
  cseq: string | null;
  user_agent: string | null;
}

/** One NTP message. */
export interface NtpRow extends AppRowBase {
  version: number;
  /** client, server, broadcast, symmetric active, symmetric passive, control, private, reserved */
  mode: string;
  stratum: number;
  /** stratum 0/1: kiss code or clock source; higher strata: the upstream server's IPv4 */
  reference_id: string | null;
  /** the sender's transmit timestamp as ISO-8601 UTC; null when zero */
  transmit_ts: string | null;
}
