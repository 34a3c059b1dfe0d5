import type { GraphEdge } from '../../store/store.js';
import { pairKey, type CaptureFacts } from './capture-facts.js';
import type { GraphOut } from './graph.js';

/**
 * What the graph colours: a host's tags (Tor relay, roles, what alerts said about it) and alert count, and per
 * edge whether it carried cleartext protocols ("insecure"), touched a Tor relay ("tor") or was named by an
 * alert ("alert"). Everything comes from stored rows: the hosts' enrichment, the alerts table, and the
 * edges of the same scope restricted to cleartext applications.
 */
export type EdgeClass = 'insecure' | 'tor' | 'alert';

/** Applications whose content an on-path observer reads (credentials, files, mail). */
export const INSECURE_APPS = ['http', 'ftp', 'telnet', 'pop3', 'imap', 'smtp', 'snmp', 'tftp', 'ldap'];
const INSECURE_PORTS = new Set([21, 23, 80, 110, 143, 161, 69, 389, 513]);

/** The filter clause that keeps the cleartext flows. */
export function insecureClause(): string {
  return INSECURE_APPS.map((a) => `app == "${a}"`).join(' or ');
}

export interface NodeMarks {
  tags: string[];
  alerts: number;
  asn: number | null;
  as_org: string | null;
  country: string | null;
}

export function markGraph(
  g: GraphOut,
  facts: Pick<CaptureFacts, 'hosts' | 'alertsOf' | 'alertPairs'>,
  insecure: readonly GraphEdge[],
): GraphOut & { marks: true } {
  const { hosts, alertsOf, alertPairs } = facts;
  const insecurePairs = new Set(insecure.map((e) => pairKey(e.src, e.dst)));
  const isTor = (ip: string) => (hosts.get(ip)?.tags ?? []).some((t) => t.startsWith('tor'));
  // facts only where there are some: a large graph's answer stays small
  const nodes = g.nodes.map((n) => {
    const h = hosts.get(n.addr);
    const out: typeof n & Partial<NodeMarks> = { ...n };
    if (h?.tags.length) out.tags = h.tags;
    const alerts = alertsOf.get(n.addr);
    if (alerts) out.alerts = alerts;
    if (h?.asn) out.asn = h.asn;
    if (h?.as_org) out.as_org = h.as_org;
    if (h?.country) out.country = h.country;
    return out;
  });
  const edges = g.edges.map((e) => {
    const classes: EdgeClass[] = [];
    const k = pairKey(e.src, e.dst);
    if (insecurePairs.has(k) || (e.port !== null && INSECURE_PORTS.has(e.port))) classes.push('insecure');
    if (isTor(e.src) || isTor(e.dst)) classes.push('tor');
    if (alertPairs.has(k)) classes.push('alert');
    return { ...e, classes };
  });
  return { ...g, nodes, edges, marks: true };
}
