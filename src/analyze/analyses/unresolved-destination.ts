/**
 * PcapXray called a destination "malicious" when no DNS answer in the capture led to it. Alone that flags every
 * cached lookup and hard-coded service, so here it is one sign among several, scored: a public destination no name
 * in the capture points to (0.3), on a port with no well-known service (+0.3), with no name from TLS SNI or HTTP
 * Host either (+0.2), application unrecognised on that unknown port (+0.1), contacted repeatedly (+0.1). With the
 * default threshold (0.65) a well-known port never alerts (at most 0.6). Without DNS rows nothing is known about
 * names, so the analysis does not run.
 */
import { classifyAddress } from '../../enrich/address-class.js';
import { collectPassiveNames } from '../../enrich/passive-names.js';
import type { FlowRow } from '../../shared/rows.js';
import { flowIds, minMaxTs, plural, round, type AlertDraft } from '../alert.js';
import type { AnalysisConfig } from '../config.js';
import type { AnalysisInput } from '../input.js';

/** Ports of services a client commonly reaches by address or with a cached name. */
export const KNOWN_SERVICE_PORTS: ReadonlySet<number> = new Set([
  20, 21, 22, 23, 25, 43, 53, 67, 68, 80, 88, 110, 119, 123, 135, 137, 138, 139, 143, 161, 162, 179, 389, 443,
  445, 465, 500, 514, 515, 587, 636, 853, 873, 989, 990, 993, 995, 1194, 1433, 1521, 1701, 1723, 1812, 1813,
  1900, 2049, 3268, 3306, 3389, 3478, 3479, 4500, 5060, 5061, 5222, 5223, 5228, 5349, 5353, 5355, 5432, 5900,
  5938, 6881, 8000, 8008, 8080, 8443, 8883, 9418, 19302,
]);

export function detectUnresolvedDestinations(input: AnalysisInput, cfg: AnalysisConfig): AlertDraft[] {
  if (!input.dns || input.dns.length === 0) return [];
  const names = input.names ?? collectPassiveNames({ dns: input.dns, tls: input.tls, http: input.http });
  const groups = new Map<string, FlowRow[]>();
  for (const f of input.flows) {
    if ((f.proto !== 'tcp' && f.proto !== 'udp') || f.dst_port === null) continue;
    if (classifyAddress(f.dst_ip).class !== 'public') continue;
    // Only outbound conversations: the initiator sits inside or is itself public-to-public traffic.
    if (names.resolved(f.dst_ip)) continue;
    const k = `${f.proto}|${f.src_ip}|${f.dst_ip}|${f.dst_port}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(f);
  }
  const out: AlertDraft[] = [];
  for (const [key, g] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const f0 = g[0]!;
    const port = f0.dst_port!;
    const signs: string[] = ['no DNS answer in the capture points to it'];
    let score = 0.3;
    const unknownPort = !KNOWN_SERVICE_PORTS.has(port);
    if (unknownPort) {
      score += 0.3;
      signs.push(`port ${port} has no well-known service`);
    }
    const otherNames = names.names(f0.dst_ip);
    if (otherNames.length === 0) {
      score += 0.2;
      signs.push('no name from TLS SNI or HTTP Host either');
    }
    if (unknownPort && g.every((f) => f.app === null)) {
      score += 0.1;
      signs.push('application not recognised');
    }
    if (g.length >= 3) {
      score += 0.1;
      signs.push(`${g.length} connections`);
    }
    score = round(Math.min(1, score));
    if (score < cfg.unresolved.minScore) continue;
    const bytes = g.reduce((a, f) => a + f.bytes_fwd + f.bytes_rev, 0);
    out.push({
      key: `unresolved_destination|${key}`,
      kind: 'unresolved_destination',
      severity: score >= 0.9 ? 'medium' : 'low',
      score,
      heuristic: true,
      ...minMaxTs(g),
      hosts: [f0.src_ip, f0.dst_ip],
      ...flowIds(
        g.map((f) => f.id),
        cfg.maxFlowIdsPerAlert,
      ),
      explanation: `${f0.src_ip} talked to ${f0.dst_ip}:${port}/${f0.proto} (${plural(g.length, 'flow')}, ${bytes} bytes) although ${signs.join(', ')}.`,
      evidence: {
        port,
        proto: f0.proto,
        flows: g.length,
        bytes,
        signs,
        names_seen: otherNames.map((n) => n.name),
      },
      rule: `unresolved_destination: score >= ${cfg.unresolved.minScore} (unresolved public address 0.3, unknown port 0.3, no SNI/Host name 0.2, app unknown on an unknown port 0.1, >= 3 connections 0.1)`,
    });
  }
  return out;
}
