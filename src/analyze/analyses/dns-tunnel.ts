/**
 * DNS abuse: tunnelling (many unique, long, high-entropy subdomains under one registered domain, or heavy TXT/NULL
 * use) and DGA-like names (random-looking registered domains, often answered NXDOMAIN) asked by one client.
 */
import { clamp01, flowIds, plural, round, type AlertDraft } from '../alert.js';
import type { AnalysisConfig } from '../config.js';
import type { AnalysisInput } from '../input.js';
import { entropy, registeredDomain, unwordlike } from '../text-stats.js';
import type { DnsInput } from '../../enrich/name-inputs.js';

const SKIP_SUFFIX = /(\.in-addr\.arpa|\.ip6\.arpa|\.local|\.localdomain|\.lan|\.home\.arpa)$/;
const BULK_TYPES = new Set(['TXT', 'NULL', 'ANY', 'TYPE10', 'PRIVATE']);

function nameOf(d: DnsInput): string | null {
  if (d.proto !== 'dns' || !d.query_name) return null;
  const n = d.query_name.toLowerCase().replace(/\.$/, '');
  if (!n.includes('.') || SKIP_SUFFIX.test(n) || n.length > 253) return null;
  return n;
}

/** query names whose facts a detection remembers (past it, it starts over: the same facts, more time) */
const MEMO_MAX = 100_000;

/**
 * A fact of each distinct query name, worked out once: a capture asks the same few names thousands of times, and
 * lower-casing, the suffix test and the registered domain (and the DGA label's entropy) cost more than a look-up.
 */
function memoByName<T>(fact: (d: DnsInput) => T): (d: DnsInput) => T {
  const memo = new Map<string, T>();
  return (d) => {
    // the name's facts depend only on the name once the protocol is DNS (nameOf)
    if (d.proto !== 'dns' || !d.query_name) return fact(d);
    const q = d.query_name;
    let v = memo.get(q);
    if (v === undefined && !memo.has(q)) {
      v = fact(d);
      if (memo.size >= MEMO_MAX) memo.clear();
      memo.set(q, v);
    }
    return v as T;
  };
}

function tsRange(rows: DnsInput[]): { first_ts: string; last_ts: string } {
  const s = rows.map((r) => r.ts).sort();
  return { first_ts: s[0]!, last_ts: s[s.length - 1]! };
}

export function detectDnsTunnel(input: AnalysisInput, cfg: AnalysisConfig): AlertDraft[] {
  const c = cfg.dnsTunnel;
  const byDomain = new Map<
    string,
    { rows: DnsInput[]; subs: Set<string>; bulk: number; clients: Set<string> }
  >();
  const named = memoByName((d): { n: string; reg: string } | null => {
    const n = nameOf(d);
    return n ? { n, reg: registeredDomain(n) } : null;
  });
  for (const d of input.dns ?? []) {
    const facts = named(d);
    if (!facts) continue;
    const { n, reg } = facts;
    let g = byDomain.get(reg);
    if (!g) byDomain.set(reg, (g = { rows: [], subs: new Set(), bulk: 0, clients: new Set() }));
    g.rows.push(d);
    if (n.length > reg.length + 1 && g.subs.size < 100_000) g.subs.add(n.slice(0, n.length - reg.length - 1));
    if (d.query_type && BULK_TYPES.has(d.query_type.toUpperCase())) g.bulk++;
    g.clients.add(d.client_ip);
  }
  const out: AlertDraft[] = [];
  for (const [domain, g] of [...byDomain].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const subs = [...g.subs];
    const avgLen = subs.length ? subs.reduce((a, s) => a + s.length, 0) / subs.length : 0;
    const h = entropy(subs.join(''));
    const manyLong = subs.length >= c.minUniqueSubdomains && avgLen >= c.minAvgSubdomainLength;
    const bulk = g.bulk >= c.minTxtNullQueries;
    if (!manyLong && !bulk) continue;
    const score = clamp01(
      0.5 +
        0.2 * clamp01(subs.length / c.minUniqueSubdomains - 1) +
        0.2 * clamp01(avgLen / c.minAvgSubdomainLength - 1) +
        (h >= c.minEntropy ? 0.1 : 0) +
        (bulk && manyLong ? 0.2 : 0),
    );
    const clients = [...g.clients].sort();
    out.push({
      key: `dns_tunnel|${domain}`,
      kind: 'dns_tunnel',
      severity: score >= 0.8 ? 'high' : 'medium',
      score: round(score),
      heuristic: true,
      ...tsRange(g.rows),
      hosts: clients.slice(0, 50),
      ...flowIds(
        g.rows.map((r) => r.flow_id),
        cfg.maxFlowIdsPerAlert,
      ),
      explanation: `${plural(clients.length, 'client')} asked ${plural(subs.length, 'unique subdomain')} of ${domain} (average ${round(avgLen, 1)} characters, ${round(h, 2)} bits/char)${g.bulk ? ` and ${g.bulk} TXT/NULL/ANY queries` : ''}, a pattern of data carried over DNS.`,
      evidence: {
        domain,
        unique_subdomains: subs.length,
        avg_subdomain_length: round(avgLen, 2),
        entropy_bits_per_char: round(h, 3),
        txt_null_any_queries: g.bulk,
        queries: g.rows.length,
        sample: subs.slice(0, 5),
      },
      rule: `dns_tunnel: (>= ${c.minUniqueSubdomains} unique subdomains of one registered domain with average length >= ${c.minAvgSubdomainLength}) or >= ${c.minTxtNullQueries} TXT/NULL/ANY queries to it`,
    });
  }
  out.push(...detectDga(input, cfg));
  return out;
}

/** The label DGA families generate: the one left of the public suffix. */
export function dgaLabel(name: string): string | null {
  const reg = registeredDomain(name);
  const label = reg.split('.')[0] ?? '';
  return label || null;
}

export function looksGenerated(label: string, cfg: AnalysisConfig['dga']): boolean {
  return (
    label.length >= cfg.minLabelLength &&
    entropy(label) >= cfg.minEntropy &&
    unwordlike(label) &&
    !label.startsWith('xn--')
  );
}

function detectDga(input: AnalysisInput, cfg: AnalysisConfig): AlertDraft[] {
  const c = cfg.dga;
  const byClient = new Map<string, { rows: DnsInput[]; names: Set<string>; nx: Set<string> }>();
  // the registered domain of a name whose label looks generated, else null
  const generated = memoByName((d): string | null => {
    const n = nameOf(d);
    if (!n) return null;
    const label = dgaLabel(n);
    if (!label || !looksGenerated(label, c)) return null;
    return registeredDomain(n);
  });
  for (const d of input.dns ?? []) {
    const reg = generated(d);
    if (reg === null) continue;
    let g = byClient.get(d.client_ip);
    if (!g) byClient.set(d.client_ip, (g = { rows: [], names: new Set(), nx: new Set() }));
    g.rows.push(d);
    if (g.names.size < 10_000) g.names.add(reg);
    if (d.rcode === 'NXDOMAIN') g.nx.add(reg);
  }
  const out: AlertDraft[] = [];
  for (const [client, g] of [...byClient].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (g.names.size < c.minNames) continue;
    const names = [...g.names].sort();
    const score = clamp01(0.5 + 0.5 * Math.min(1, g.nx.size / c.nxdomainBoost));
    out.push({
      key: `dga|${client}`,
      kind: 'dga',
      severity: score >= 0.8 ? 'medium' : 'low',
      score: round(score),
      heuristic: true,
      ...tsRange(g.rows),
      hosts: [client],
      ...flowIds(
        g.rows.map((r) => r.flow_id),
        cfg.maxFlowIdsPerAlert,
      ),
      explanation: `${client} asked for ${plural(names.length, 'random-looking domain')}${g.nx.size ? `, ${g.nx.size} of them non-existent (NXDOMAIN)` : ''}, as malware with a domain generation algorithm does.`,
      evidence: {
        names: names.length,
        nxdomain: g.nx.size,
        sample: names.slice(0, 10),
        queries: g.rows.length,
      },
      rule: `dga: >= ${c.minNames} distinct registered domains whose label is >= ${c.minLabelLength} characters, >= ${c.minEntropy} bits/char and not word-like; score rises with NXDOMAIN answers (full at ${c.nxdomainBoost})`,
    });
  }
  return out;
}
