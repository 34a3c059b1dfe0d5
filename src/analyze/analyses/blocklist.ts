/** Matches flows, DNS names, TLS SNI and HTTP Host against the user's blocklist (addresses, CIDRs, domains). */
import { parseDnsAnswer } from '../../enrich/dns-answer.js';
import { flowIds, minMaxTs, plural, type AlertDraft } from '../alert.js';
import { matchAddress, matchDomain } from '../blocklist-list.js';
import type { AnalysisConfig } from '../config.js';
import type { AnalysisInput } from '../input.js';

/** answers read per DNS row */
const MAX_ANSWERS = 256;

interface Hit {
  flows: Set<number>;
  ts: { first_ts: string; last_ts: string }[];
  where: Set<string>;
  values: Set<string>;
}

export function detectBlocklist(input: AnalysisInput, cfg: AnalysisConfig): AlertDraft[] {
  const bl = input.blocklist;
  if (!bl || bl.entries === 0) return [];
  const hits = new Map<string, Hit>();
  const flowById = new Map(input.flows.map((f) => [f.id, f]));
  const hit = (
    indicator: string,
    host: string,
    other: string,
    flowId: number,
    ts: string,
    where: string,
    value: string,
  ) => {
    const k = `${indicator}|${host}|${other}`;
    let h = hits.get(k);
    if (!h) hits.set(k, (h = { flows: new Set(), ts: [], where: new Set(), values: new Set() }));
    h.flows.add(flowId);
    const f = flowById.get(flowId);
    h.ts.push(f ? { first_ts: f.first_ts, last_ts: f.last_ts } : { first_ts: ts, last_ts: ts });
    h.where.add(where);
    if (h.values.size < 10) h.values.add(value);
  };
  for (const f of input.flows) {
    const d = matchAddress(bl, f.dst_ip);
    if (d) hit(d, f.src_ip, f.dst_ip, f.id, f.first_ts, 'flow destination', f.dst_ip);
    const s = matchAddress(bl, f.src_ip);
    if (s) hit(s, f.dst_ip, f.src_ip, f.id, f.first_ts, 'flow source', f.src_ip);
  }
  for (const r of input.dns ?? []) {
    const q = matchDomain(bl, r.query_name);
    if (q) hit(q, r.client_ip, r.query_name!.toLowerCase(), r.flow_id, r.ts, 'DNS query', r.query_name!);
    for (const text of r.answers.slice(0, MAX_ANSWERS)) {
      const a = parseDnsAnswer(text);
      if (!a) continue;
      const { type, value } = a;
      const m =
        type === 'CNAME'
          ? matchDomain(bl, value)
          : type === 'A' || type === 'AAAA'
            ? matchAddress(bl, value)
            : null;
      if (m) hit(m, r.client_ip, value.toLowerCase(), r.flow_id, r.ts, `DNS ${type} answer`, value);
    }
  }
  for (const t of input.tls ?? []) {
    const m = matchDomain(bl, t.server_name);
    if (m) hit(m, t.client_ip, t.server_ip, t.flow_id, t.ts, 'TLS SNI', t.server_name!);
  }
  for (const h of input.http ?? []) {
    const host = h.host?.replace(/:\d+$/, '') ?? null;
    const m = matchDomain(bl, host);
    if (m) hit(m, h.client_ip, h.server_ip, h.flow_id, h.ts, 'HTTP Host', host!);
  }
  const out: AlertDraft[] = [];
  for (const [key, h] of [...hits].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const [indicator, host, other] = key.split('|') as [string, string, string];
    const where = [...h.where].sort();
    out.push({
      key: `blocklist|${key}`,
      kind: 'blocklist',
      severity: 'high',
      score: 1,
      heuristic: false,
      ...minMaxTs(h.ts),
      hosts: host === other ? [host] : [host, other],
      ...flowIds(h.flows, cfg.maxFlowIdsPerAlert),
      explanation: `${host} reached ${other}, which matches "${indicator}" on the blocklist "${bl.name}" (${where.join(', ')}; ${plural(h.flows.size, 'flow')}).`,
      evidence: { indicator, list: bl.name, matched_in: where, values: [...h.values] },
      rule: 'blocklist: address, CIDR or domain (and its subdomains) listed by the user',
    });
  }
  return out;
}
