/**
 * Row shape of the `alerts` table (ARCHITECTURE.md "Data model", principle 6 "Explain"): one finding with the
 * rule that fired, the numbers that made it fire and the flows it is about. Names are contracts: add, never rename.
 */

export type AlertSeverity = 'info' | 'low' | 'medium' | 'high';

export interface AlertRow {
  /** 1-based, in the deterministic order of runAnalyses (severity, first_ts, kind, key) */
  id: number;
  /** stable text identity of the finding, the same across runs over the same input (e.g. "port_scan|10.0.0.5|10.0.0.9") */
  key: string;
  /** port_scan, host_sweep, beaconing, dns_tunnel, dga, cleartext_credentials, insecure_protocol, weak_tls,
   *  tor_relay, tor_like_tls, unresolved_destination, cleartext_executable, blocklist */
  kind: string;
  severity: AlertSeverity;
  /** 0..1: how strongly the evidence matches the rule (1 for exact matches such as a list hit) */
  score: number;
  /** true when the finding rests on a heuristic rather than an exact match (list, protocol field) */
  heuristic: boolean;
  first_ts: string;
  last_ts: string;
  /** addresses involved, the acting host first */
  hosts: string[];
  /** FlowRow ids, ascending, capped (see flow_count) */
  flow_ids: number[];
  flow_count: number;
  /** one sentence for a person */
  explanation: string;
  /** the numbers and values that triggered it */
  evidence: Record<string, string | number | boolean | null | string[] | number[]>;
  /** the rule and threshold that fired, e.g. "port_scan: >= 15 ports without answer within 300 s" */
  rule: string;
}
