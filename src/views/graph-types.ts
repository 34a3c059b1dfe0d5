/** The graph view model shared by DOT/GEXF/JSON output, top talkers, chord and matrix views. */
import type { TrafficClass } from './traffic-class.js';

/**
 * 2: MAC address pairs. 3: IP address pairs (default). 4: transport endpoints, see `L4Mode`.
 */
export type GraphLayer = 2 | 3 | 4;

/**
 * How layer 4 forms nodes.
 * - `socket` (default, what PcapViz draws): both ends are `ip:port/proto`; one edge per transport
 *   conversation 4-tuple, which is exactly one edge per distinct row of tshark's `-z conv,tcp|udp`.
 * - `service`: the client is its bare IP and the server is `ip:port/proto` (the server is the flow's
 *   responder, i.e. FlowRow.dst); ephemeral client ports collapse, so the picture shows who uses which service.
 */
export type L4Mode = 'socket' | 'service';

export type NodeKind = 'mac' | 'ipv4' | 'ipv6' | 'socket' | 'group';

export interface GroupInfo {
  /** what the members share: "subnet", "asn", "country", "oui" or "other" */
  by: string;
  /** number of original nodes merged into this one */
  members: number;
}

export interface GraphNode {
  /** unique key: an IP, a MAC, "proto ip:port" or "group:<key>" */
  id: string;
  kind: NodeKind;
  /** the address as shown: IP, MAC, ip:port/proto, or the group's name (e.g. 10.1.2.0/24) */
  label: string;
  /** host names known for this address (DNS, DHCP, TLS SNI ...), or for a MAC the IPs seen behind it */
  names: string[];
  ip: string | null;
  port: number | null;
  packets_out: number;
  bytes_out: number;
  packets_in: number;
  bytes_in: number;
  /** flows this node started (it sent the first packet) */
  flows_out: number;
  /** flows this node answered */
  flows_in: number;
  /** distinct neighbours in this graph */
  peers: number;
  /** distinct neighbours that started a flow to this node */
  peers_in: number;
  /** distinct neighbours this node started a flow to */
  peers_out: number;
  classes: TrafficClass[];
  grouped: GroupInfo | null;
  first_ts: string;
  last_ts: string;
}

export interface GraphEdge {
  /** node ids with a <= b (string order); a == b for a self-loop */
  a: string;
  b: string;
  packets_ab: number;
  bytes_ab: number;
  packets_ba: number;
  bytes_ba: number;
  /** flows started by a / by b */
  flows_ab: number;
  flows_ba: number;
  /** transport/network protocols seen (FlowRow.proto) */
  protocols: string[];
  /** application protocols detected (FlowRow.app) */
  apps: string[];
  classes: TrafficClass[];
  first_ts: string;
  last_ts: string;
}

export interface GroupingNote {
  /** node limit asked for */
  max_nodes: number;
  /** nodes before grouping */
  nodes_before: number;
  /** individual nodes merged into groups */
  nodes_grouped: number;
  /** group nodes created */
  groups: number;
  by: string;
}

export interface GraphModel {
  layer: GraphLayer;
  l4_mode: L4Mode;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** set when nodes were merged to respect the node limit; outputs must mention it */
  grouping: GroupingNote | null;
  /** classes filter applied (--only), empty when none */
  only: TrafficClass[];
  /** flows used / skipped (not representable at this layer, or filtered out) */
  flows_used: number;
  flows_skipped: number;
  /** human-readable remarks about what was left out and why */
  notes: string[];
}
