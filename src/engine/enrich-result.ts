/**
 * Enrichment and detection of one run, in the order they depend on each other: passive names once, alerts
 * (which read them), optional live reverse DNS, then the hosts (tagged by the alerts). The direct CLI runs and
 * ingest both call this, so `hosts file.pcap` and `hosts @ID` agree.
 */
import type { AlertRow } from '../shared/alert-rows.js';
import type { EnrichmentSource, HostRow } from '../shared/rows.js';
import type { StoredHostRow } from '../shared/store-rows.js';
import { classifyAddress } from '../enrich/address-class.js';
import { detectAlerts, enrichHosts, passiveNamesOf, type RunRows } from './enrich-run.js';
import type { Enrichment } from './enrich-sources.js';

export interface EnrichedRun {
  hosts: StoredHostRow[];
  alerts: AlertRow[];
  sources: EnrichmentSource[];
}

/** Addresses asked of the live resolver at most (--resolve), busiest hosts first. */
const MAX_REVERSE = 2048;
const NOT_RESOLVED = new Set([
  'multicast',
  'broadcast',
  'unspecified',
  'invalid',
  'reserved',
  'documentation',
]);

async function reverseNames(
  hosts: readonly HostRow[],
  e: Enrichment,
): Promise<Map<string, string[]> | undefined> {
  const rdns = e.reverseDns();
  if (!rdns) return undefined;
  const ips = hosts
    .filter((h) => h.kind !== 'mac' && !NOT_RESOLVED.has(classifyAddress(h.ip).class))
    .sort((a, b) => b.bytes_sent + b.bytes_recv - (a.bytes_sent + a.bytes_recv))
    .slice(0, MAX_REVERSE)
    .map((h) => h.ip);
  const out = new Map<string, string[]>();
  for (const a of await rdns.lookupAll(ips)) if (a.names.length) out.set(a.ip, a.names);
  return out;
}

export async function enrichRun(
  run: RunRows & { hosts: readonly HostRow[] },
  e: Enrichment,
  opts: { alerts?: boolean } = {},
): Promise<EnrichedRun> {
  const result = run;
  const passive = passiveNamesOf({
    dns: result.dns,
    dhcp: result.dhcp,
    tls: result.tls,
    http: result.http,
    pcapngNames: result.names,
  });
  const tor = e.tor();
  const alerts =
    opts.alerts === false
      ? []
      : detectAlerts(result, {
          config: e.options.analysis,
          tor,
          blocklist: e.blocklist(),
          passive,
        });
  const hosts = enrichHosts(result.hosts, {
    flows: result.flows,
    dns: result.dns,
    dhcp: result.dhcp,
    tls: result.tls,
    http: result.http,
    passive,
    geo: e.geo,
    vendors: e.vendorLookup,
    tor,
    torListMaxAgeDays: e.options.analysis?.tor?.listMaxAgeDays,
    reverseNames: await reverseNames(result.hosts, e),
    alerts,
  });
  return { hosts, alerts, sources: e.sources() };
}
