/**
 * Row shapes of the tables (ARCHITECTURE.md, "Data model"). These names are contracts: the CLI's JSON/CSV
 * columns, the store's columns and the API's fields all use them. Add fields freely; never rename.
 * Timestamps are ISO-8601 UTC strings (see shared/time.ts).
 */
import type { Problem } from './problem.js';

export type FlowProto = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'sctp' | 'arp' | 'ip' | 'other';

export interface FlowRow {
  /** 1-based, in order of each conversation's first packet over the whole run */
  id: number;
  /** tcp, udp, icmp, icmpv6, sctp, arp, ip (other IP protocol, see ip_proto), other (non-IP L2) */
  proto: FlowProto;
  ip_version: 4 | 6 | 0;
  /** IP protocol number (6, 17, 1, ...); for non-IP flows the EtherType */
  ip_proto: number;
  /** src = the endpoint that sent the first packet seen */
  src_ip: string;
  src_port: number | null;
  dst_ip: string;
  dst_port: number | null;
  src_mac: string | null;
  dst_mac: string | null;
  vlan: number | null;
  packets_fwd: number;
  bytes_fwd: number;
  packets_rev: number;
  bytes_rev: number;
  first_ts: string;
  last_ts: string;
  /** seconds */
  duration: number;
  /** detected application protocol (e.g. "http", "tls", "dns"), null when unknown */
  app: string | null;
  /** how app was decided: "port", "heuristic", "port+heuristic", or null */
  app_source: string | null;
  /** TCP flags seen over the flow, as letters in the order FSRPAUEC (e.g. "SAF") */
  tcp_flags: string | null;
  /** TCP state at the end: syn, syn_ack, established, fin, closed, reset, midstream; null for non-TCP */
  tcp_state: string | null;
  /** Community ID v1 (seed 0) of the conversation */
  community_id: string | null;
  /** 0 for the outermost conversation; tunnelled (VXLAN, GRE, ...) inner conversations count up */
  tunnel_depth: number;
}

export interface HostName {
  name: string;
  /** dns, dhcp, nbns, mdns, llmnr, tls, http, pcapng */
  source: string;
}

export interface HostRow {
  /** IP address, or MAC address for hosts only seen in non-IP traffic */
  ip: string;
  /** "ipv4", "ipv6" or "mac" */
  kind: 'ipv4' | 'ipv6' | 'mac';
  macs: string[];
  names: HostName[];
  packets_sent: number;
  bytes_sent: number;
  packets_recv: number;
  bytes_recv: number;
  /** number of distinct peers */
  peers: number;
  /** ports on which this host accepted a TCP connection (SYN-ACK) or answered UDP */
  server_ports: number[];
  first_ts: string;
  last_ts: string;
  /**
   * smallest / largest IPv4 TTL or IPv6 hop limit of the packets this address sent (null when none, or for
   * MAC hosts); the largest is the fewest hops from its initial value, an OS hint
   */
  ttl_min?: number | null;
  ttl_max?: number | null;
}

export interface CaptureFileSummary {
  name: string;
  /** pcap, pcapng; "+gzip" appended when compressed */
  format: string;
  /** LINKTYPE_* numbers seen (per interface for pcapng) */
  link_types: number[];
  packets: number;
  bytes: number;
  size: number;
  first_ts: string | null;
  last_ts: string | null;
  problems: Problem[];
}

export interface CaptureSummary {
  files: CaptureFileSummary[];
  packets: number;
  /** sum of frame lengths on the wire */
  bytes: number;
  bytes_captured: number;
  first_ts: string | null;
  last_ts: string | null;
  duration: number;
  /** frames containing each protocol (eth, vlan, arp, ipv4, ipv6, tcp, udp, icmp, icmpv6, sctp, gre, vxlan, other, ...) */
  protocols: Record<string, number>;
  flows: number;
  hosts: number;
  problems: Problem[];
  /** the data enrichment used (GeoIP, ASN, MAC vendors, Tor relays, blocklist), with versions and dates */
  enrichment_sources?: EnrichmentSource[];
}

/** One data set behind host enrichment or detection (principle 5: the version/date of each source is shown). */
export interface EnrichmentSource {
  /** geoip, asn, mac_vendor, tor_relays, blocklist, reverse_dns */
  kind: string;
  name: string;
  /** package version, file size/date, or list format */
  version: string | null;
  /** date of the data when known (MMDB build date, snapshot date), ISO date */
  date: string | null;
  licence: string | null;
  /** entries in the data set, when counted */
  entries?: number;
}
