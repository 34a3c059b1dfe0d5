/**
 * PcapXray called a destination "malicious" when no DNS answer in the capture led to it. Alone that flags every
 * cached lookup and hard-coded service, so here it is one sign among several, scored: a public destination no name
 * in the capture points to (0.3), on a port with no well-known service (+0.3), with no name from TLS SNI or HTTP
 * Host either (+0.2), application unrecognised on that unknown port (+0.1), contacted repeatedly (+0.1). With the
 * default threshold (0.65) a well-known port never alerts (at most 0.6). Without DNS rows nothing is known about
 * names, so the analysis does not run. The destination is the flow's server (flow-roles.ts), not its first
 * sender: the answers of a DNS server whose queries were not captured are not that server "talking to" the
 * resolver's port. A TCP connection already open when the capture began is skipped: its look-up, if any,
 * happened before the capture could see it.
 */
import { classifyAddress } from '../../enrich/address-class.js';
import { collectPassiveNames } from '../../enrich/passive-names.js';
import type { FlowRow } from '../../shared/rows.js';
import {
  flowRoles,
  KNOWN_SERVICE_PORTS,
  serverSentFirst,
  startedBeforeCapture,
  type FlowRoles,
} from '../flow-roles.js';
import { flowIds, minMaxTs, plural, round, type AlertDraft } from '../alert.js';
import type { AnalysisConfig } from '../config.js';
import type { AnalysisInput } from '../input.js';

export function detectUnresolvedDestinations(input: AnalysisInput, cfg: AnalysisConfig): AlertDraft[] {
  if (!input.dns || input.dns.length === 0) return [];
  const names = input.names ?? collectPassiveNames({ dns: input.dns, tls: input.tls, http: input.http });
  const groups = new Map<string, { roles: FlowRoles; flows: FlowRow[] }>();
  for (const f of input.flows) {
    if (f.proto !== 'tcp' && f.proto !== 'udp') continue;
    if (startedBeforeCapture(f)) continue;
    // the roles as flowRoles gives them, built only for a new group
    const rev = serverSentFirst(f);
    const serverPort = rev ? f.src_port : f.dst_port;
    if (serverPort === null) continue;
    const serverIp = rev ? f.src_ip : f.dst_ip;
    if (classifyAddress(serverIp).class !== 'public') continue;
    if (names.resolved(serverIp)) continue;
    const k = `${f.proto}|${rev ? f.dst_ip : f.src_ip}|${serverIp}|${serverPort}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { roles: flowRoles(f), flows: [] }));
    g.flows.push(f);
  }
  const out: AlertDraft[] = [];
  for (const [key, { roles, flows: g }] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const f0 = g[0]!;
    const port = roles.server_port!;
    const client = roles.client_ip;
    const server = roles.server_ip;
    const signs: string[] = ['no DNS answer in the capture points to it'];
    let score = 0.3;
    const unknownPort = !KNOWN_SERVICE_PORTS.has(port);
    if (unknownPort) {
      score += 0.3;
      signs.push(`port ${port} has no well-known service`);
    }
    const otherNames = names.names(server);
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
      hosts: [client, server],
      ...flowIds(
        g.map((f) => f.id),
        cfg.maxFlowIdsPerAlert,
      ),
      explanation: `${client} talked to ${server}:${port}/${f0.proto} (${plural(g.length, 'flow')}, ${bytes} bytes) although ${signs.join(', ')}.`,
      evidence: {
        port,
        proto: f0.proto,
        // the capture's first packet came from the server (its port says so): client and server are swapped
        server_sent_first: g.some((f) => f.src_ip === server && f.src_port === port),
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
