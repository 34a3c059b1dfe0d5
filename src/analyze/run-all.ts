/**
 * Runs every analysis over the rows and returns the alerts table: ordered by severity, then time, kind and key,
 * and numbered 1.. in that order, so the same input always gives the same ids.
 */
import type { AlertRow } from '../shared/alert-rows.js';
import { collectPassiveNames } from '../enrich/passive-names.js';
import { isoSeconds, severityRank, type AlertDraft } from './alert.js';
import { resolveConfig, type AnalysisConfig, type AnalysisConfigInput } from './config.js';
import type { AnalysisInput } from './input.js';
import { detectBeaconing } from './analyses/beaconing.js';
import { detectBlocklist } from './analyses/blocklist.js';
import { detectCleartextExecutables } from './analyses/cleartext-downloads.js';
import { detectDnsTunnel } from './analyses/dns-tunnel.js';
import { detectInsecureProtocols } from './analyses/insecure-protocols.js';
import { detectHostSweeps, detectPortScans } from './analyses/scans.js';
import { detectTor } from './analyses/tor.js';
import { detectUnresolvedDestinations } from './analyses/unresolved-destination.js';

export type AnalysisName =
  | 'insecure'
  | 'tor'
  | 'port_scan'
  | 'host_sweep'
  | 'beaconing'
  | 'dns'
  | 'unresolved'
  | 'cleartext_executable'
  | 'blocklist';

const ANALYSES: [AnalysisName, (input: AnalysisInput, cfg: AnalysisConfig) => AlertDraft[]][] = [
  ['insecure', detectInsecureProtocols],
  ['tor', detectTor],
  ['port_scan', (i, c) => detectPortScans(i.flows, c)],
  ['host_sweep', (i, c) => detectHostSweeps(i.flows, c)],
  ['beaconing', (i, c) => detectBeaconing(i.flows, c)],
  ['dns', detectDnsTunnel],
  ['unresolved', detectUnresolvedDestinations],
  ['cleartext_executable', detectCleartextExecutables],
  ['blocklist', detectBlocklist],
];

export interface RunOptions {
  /** run only these analyses (all when absent) */
  only?: AnalysisName[];
}

export function orderAlerts(drafts: AlertDraft[]): AlertRow[] {
  // rank and start time computed once per draft, not twice per comparison (thousands of alerts on big captures)
  const sorted = drafts
    .map((d) => ({ d, rank: severityRank(d.severity), t: isoSeconds(d.first_ts) }))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        a.t - b.t ||
        (a.d.kind < b.d.kind ? -1 : a.d.kind > b.d.kind ? 1 : 0) ||
        (a.d.key < b.d.key ? -1 : a.d.key > b.d.key ? 1 : 0),
    );
  return sorted.map(({ d }, i) => ({ id: i + 1, ...d }));
}

export function runAnalyses(
  input: AnalysisInput,
  config: AnalysisConfigInput = {},
  opts: RunOptions = {},
): AlertRow[] {
  const cfg = resolveConfig(config);
  const withNames: AnalysisInput = input.names
    ? input
    : { ...input, names: collectPassiveNames({ dns: input.dns, tls: input.tls, http: input.http }) };
  const drafts: AlertDraft[] = [];
  for (const [name, fn] of ANALYSES) {
    if (opts.only && !opts.only.includes(name)) continue;
    drafts.push(...fn(withNames, cfg));
  }
  return orderAlerts(drafts);
}
