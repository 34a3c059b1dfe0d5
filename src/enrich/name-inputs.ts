/**
 * The smallest row shapes enrichment and analyses read from the application tables. Each is a structural subset
 * of the matching row in src/shared/app-rows.ts (DnsRow, HttpRow, TlsRow, DhcpRow, CredentialRow, FileRow), so
 * those rows can be passed as they are.
 */

export interface DnsInput {
  flow_id: number;
  ts: string;
  client_ip: string;
  server_ip: string;
  /** dns, mdns, llmnr, nbns */
  proto: string;
  query_name: string | null;
  query_type: string | null;
  rcode: string | null;
  /** "owner TYPE value" text per answer record as DnsRow has it, e.g. "x.example A 192.0.2.1" (dns-answer.ts) */
  answers: string[];
}

export interface HttpInput {
  flow_id: number;
  ts: string;
  client_ip: string;
  server_ip: string;
  server_port: number | null;
  method: string | null;
  host: string | null;
  uri: string | null;
  user_agent: string | null;
  status: number | null;
  request_content_type: string | null;
  response_content_type: string | null;
  auth_user: string | null;
}

export interface TlsInput {
  flow_id: number;
  ts: string;
  client_ip: string;
  server_ip: string;
  server_port: number | null;
  client_version: string | null;
  version: string | null;
  server_name: string | null;
  cert_subject: string | null;
  cert_issuer: string | null;
  cert_san: string[];
}

export interface DhcpInput {
  flow_id: number;
  ts: string;
  client_ip: string;
  server_ip: string;
  msg_type: string;
  client_mac: string | null;
  requested_ip: string | null;
  assigned_ip: string | null;
  host_name: string | null;
  vendor_class: string | null;
  param_request_list: string | null;
  server_id: string | null;
}

export interface CredentialInput {
  flow_id: number;
  ts: string;
  client_ip: string;
  server_ip: string;
  server_port: number | null;
  proto: string;
  method: string;
  username: string | null;
  password: string | null;
}

export interface FileInput {
  flow_id: number;
  ts: string;
  client_ip: string;
  server_ip: string;
  proto: string;
  name: string | null;
  content_type: string | null;
  size: number;
  sha256: string | null;
  direction: string;
  /** first bytes of the content as lower-case hex (FileRow.magic), when the app layer saw them */
  magic?: string | null;
}

/** pcapng Name Resolution Block entries (and any other capture-supplied ip -> name record). */
export interface NameRecordInput {
  ip: string;
  name: string;
}
