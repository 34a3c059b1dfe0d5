/**
 * Enrichment and detection over one run's rows: hosts get their MAC vendor, passive names (with sources),
 * address class, GeoIP/ASN for public addresses, OS guess and tags (roles, Tor relays, what alerts say about
 * them); the analyses turn the rows into alerts. Pure over its inputs: loading the data sets is the job of
 * enrich-sources.ts, so tests and a browser worker can hand in their own.
 */
import type { AlertRow } from '../shared/alert-rows.js';
import type { FlowRow, HostName, HostRow } from '../shared/rows.js';
import type { HostEnrichment, StoredHostRow } from '../shared/store-rows.js';
import type { ResolvedName } from '../wire/reader.js';
import { classifyAddress } from '../enrich/address-class.js';
import { deviceProfilesByIp } from '../enrich/device-profile.js';
import type { GeoLookup } from '../enrich/geoip.js';
import type {
  CredentialInput,
  DhcpInput,
  DnsInput,
  FileInput,
  HttpInput,
  TlsInput,
} from '../enrich/name-inputs.js';
import { collectPassiveNames, type PassiveNames } from '../enrich/passive-names.js';
import type { Blocklist } from '../analyze/blocklist-list.js';
import { DEFAULT_CONFIG, type AnalysisConfigInput } from '../analyze/config.js';
import { staleTorMatch } from '../analyze/analyses/tor.js';
import type { TorMatcher } from '../analyze/input.js';
import { runAnalyses, type AnalysisName } from '../analyze/run-all.js';

/** A GeoLookup, or a getter that builds one on first need (the bundled data takes seconds to parse). */
export type GeoProvider = GeoLookup | (() => GeoLookup | null);

export interface VendorLookup {
  vendor(mac: string): string | null;
}

/** The rows of a run that enrichment and detection read (AnalyzeFilesResult fits; app tables optional). */
export interface RunRows {
  flows: readonly FlowRow[];
  dns?: readonly DnsInput[];
  http?: readonly HttpInput[];
  tls?: readonly TlsInput[];
  dhcp?: readonly DhcpInput[];
  credentials?: readonly CredentialInput[];
  files?: readonly FileInput[];
  /** pcapng Name Resolution Block entries */
  names?: readonly ResolvedName[];
}

export interface EnrichContext {
  flows: readonly FlowRow[];
  dns?: readonly DnsInput[];
  dhcp?: readonly DhcpInput[];
  tls?: readonly TlsInput[];
  http?: readonly HttpInput[];
  pcapngNames?: readonly ResolvedName[];
  /** passive names already collected (detectAlerts builds the same); collected here when absent */
  passive?: PassiveNames;
  geo?: GeoProvider | null;
  vendors?: VendorLookup | null;
  tor?: TorMatcher | null;
  /** live reverse-DNS answers (--resolve): address -> names */
  reverseNames?: ReadonlyMap<string, readonly string[]>;
  /** alerts of the same run: their acting hosts get tags (scanner, beaconing, ...) */
  alerts?: readonly AlertRow[];
  /** analyze/config.ts tor.listMaxAgeDays: past it a bundled list's match tags "stale-tor-relay" */
  torListMaxAgeDays?: number;
}

const MAX_NAMES = 32;
const MAX_TAGS = 16;

const ROLE_TAGS: Record<string, string> = {
  gateway: 'gateway',
  dns_server: 'dns-server',
  dhcp_server: 'dhcp-server',
  web_server: 'web-server',
};

/** Alert kinds that say something about the acting host (hosts[0]). */
const ALERT_TAGS: Record<string, string> = {
  port_scan: 'scanner',
  host_sweep: 'scanner',
  beaconing: 'beaconing',
  dns_tunnel: 'dns-tunnel',
  dga: 'dga',
  cleartext_credentials: 'cleartext-credentials',
};

/** Passive names from the application rows and the capture's own name records. */
export function passiveNamesOf(ctx: {
  dns?: readonly DnsInput[];
  dhcp?: readonly DhcpInput[];
  tls?: readonly TlsInput[];
  http?: readonly HttpInput[];
  pcapngNames?: readonly ResolvedName[];
}): PassiveNames {
  return collectPassiveNames({
    dns: ctx.dns,
    dhcp: ctx.dhcp,
    tls: ctx.tls,
    http: ctx.http,
    pcapng: ctx.pcapngNames?.map((n) => ({ ip: n.address, name: n.name })),
  });
}

function mergeNames(lists: readonly (readonly HostName[])[]): HostName[] {
  const out: HostName[] = [];
  for (const list of lists) {
    for (const n of list) {
      if (out.length >= MAX_NAMES) return out;
      if (!out.some((o) => o.name === n.name && o.source === n.source)) out.push(n);
    }
  }
  return out;
}

function alertTags(alerts: readonly AlertRow[] | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const a of alerts ?? []) {
    const tag = ALERT_TAGS[a.kind];
    const ip = a.hosts[0];
    if (!tag || !ip) continue;
    let s = out.get(ip);
    if (!s) out.set(ip, (s = new Set()));
    s.add(tag);
  }
  return out;
}

/** The enrichment columns of an IP host, in the order they follow the HostRow columns. */
type Enriched = { names: HostName[] } & Required<HostEnrichment>;

/** HostRow's keys in the order flow/hosts.ts makes them. */
const HOST_KEYS: readonly (keyof HostRow)[] = [
  'ip',
  'kind',
  'macs',
  'names',
  'packets_sent',
  'bytes_sent',
  'packets_recv',
  'bytes_recv',
  'peers',
  'server_ports',
  'first_ts',
  'last_ts',
  'ttl_min',
  'ttl_max',
];

function hasHostKeys(h: HostRow): boolean {
  const keys = Object.keys(h);
  if (keys.length !== HOST_KEYS.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== HOST_KEYS[i]) return false;
  return true;
}

/**
 * `{ ...h, ...e }`: the same keys in the same order. A row of the usual shape is written as one literal, which
 * makes one object of a fixed shape instead of a copy that then grows key by key (most of enrichHosts' time on
 * tens of thousands of hosts); any other row (fewer or extra keys) takes the spread.
 */
function withEnrichment(h: HostRow, e: Enriched): StoredHostRow {
  if (!hasHostKeys(h)) return { ...h, ...e };
  return {
    ip: h.ip,
    kind: h.kind,
    macs: h.macs,
    names: e.names,
    packets_sent: h.packets_sent,
    bytes_sent: h.bytes_sent,
    packets_recv: h.packets_recv,
    bytes_recv: h.bytes_recv,
    peers: h.peers,
    server_ports: h.server_ports,
    first_ts: h.first_ts,
    last_ts: h.last_ts,
    ttl_min: h.ttl_min,
    ttl_max: h.ttl_max,
    vendor: e.vendor,
    country: e.country,
    city: e.city,
    lat: e.lat,
    lon: e.lon,
    asn: e.asn,
    as_org: e.as_org,
    is_private: e.is_private,
    tags: e.tags,
    address_class: e.address_class,
    os_guess: e.os_guess,
  };
}

export function enrichHosts(hosts: readonly HostRow[], ctx: EnrichContext): StoredHostRow[] {
  const passive = ctx.passive ?? passiveNamesOf(ctx);
  const vendorOf = (mac: string): string | null => ctx.vendors?.vendor(mac) ?? null;
  // the largest TTL a host sent with is the fewest hops from its initial value: the OS hint's input
  const observedTtl = new Map<string, number>();
  for (const h of hosts) if (h.ttl_max) observedTtl.set(h.ip, h.ttl_max);
  // by address: enrichHosts only looks them up, so they are not sorted
  const profiles = deviceProfilesByIp({
    flows: ctx.flows,
    dhcp: ctx.dhcp,
    dns: ctx.dns,
    http: ctx.http,
    observedTtl,
    vendorOf,
  });
  const byAlert = alertTags(ctx.alerts);
  const torMaxAge = ctx.torListMaxAgeDays ?? DEFAULT_CONFIG.tor.listMaxAgeDays;
  let geo: GeoLookup | null | undefined = typeof ctx.geo === 'function' ? undefined : (ctx.geo ?? null);
  const geoFor = (): GeoLookup | null => {
    if (geo === undefined) geo = (ctx.geo as () => GeoLookup | null)();
    return geo;
  };

  // the public addresses looked up in address order first (neighbours share a database walk), then by host
  const geolocatable: string[] = [];
  for (const h of hosts) if (h.kind !== 'mac' && classifyAddress(h.ip).geolocatable) geolocatable.push(h.ip);
  if (geolocatable.length) geoFor()?.warm(geolocatable);

  return hosts.map((h): StoredHostRow => {
    if (h.kind === 'mac') {
      return {
        ...h,
        vendor: vendorOf(h.ip),
        country: null,
        city: null,
        lat: null,
        lon: null,
        asn: null,
        as_org: null,
        is_private: null,
        tags: null,
        address_class: null,
        os_guess: null,
      };
    }
    const cls = classifyAddress(h.ip);
    // a public address "has" the router's MAC on a LAN capture: its vendor would be the router's
    const vendor = cls.class === 'public' ? null : (h.macs.map(vendorOf).find((v) => v !== null) ?? null);
    const rdns = ctx.reverseNames?.get(h.ip) ?? [];
    const names = mergeNames([h.names, passive.names(h.ip), rdns.map((name) => ({ name, source: 'rdns' }))]);
    const g = cls.geolocatable ? geoFor()?.lookup(h.ip) : undefined;
    const profile = profiles.get(h.ip);
    const tags: string[] = [];
    for (const r of profile?.roles ?? []) {
      const t = ROLE_TAGS[r];
      if (t) tags.push(t);
    }
    const tor = ctx.tor?.match(h.ip);
    // a snapshot far from the capture's time only says the address ran a relay some other time: its tag does
    // not start with "tor", so views that colour Tor traffic (tags starting "tor") leave it alone
    if (tor)
      tags.push(
        `${staleTorMatch(tor, h.first_ts, torMaxAge) ? 'stale-' : ''}${tor.exit ? 'tor-exit' : 'tor-relay'}`,
      );
    for (const t of byAlert.get(h.ip) ?? []) tags.push(t);
    const e: Enriched = {
      names,
      vendor,
      country: g?.country ?? null,
      city: g?.city ?? null,
      lat: g?.lat ?? null,
      lon: g?.lon ?? null,
      asn: g?.asn ?? null,
      as_org: g?.as_org ?? null,
      is_private: cls.is_private,
      tags: tags.length > MAX_TAGS ? tags.slice(0, MAX_TAGS) : tags,
      address_class: cls.class,
      os_guess: profile?.os_guess ?? null,
    };
    return withEnrichment(h, e);
  });
}

export interface DetectOptions {
  config?: AnalysisConfigInput;
  tor?: TorMatcher | null;
  blocklist?: Blocklist | null;
  /** run only these analyses */
  only?: AnalysisName[];
  /** passive names already collected for the same rows */
  passive?: PassiveNames;
}

/** Every analysis over the run's rows; the order and ids are those of runAnalyses. */
export function detectAlerts(result: RunRows, opts: DetectOptions = {}): AlertRow[] {
  const names =
    opts.passive ??
    passiveNamesOf({
      dns: result.dns,
      dhcp: result.dhcp,
      tls: result.tls,
      http: result.http,
      pcapngNames: result.names,
    });
  return runAnalyses(
    {
      flows: result.flows,
      dns: result.dns,
      http: result.http,
      tls: result.tls,
      credentials: result.credentials,
      files: result.files,
      names,
      tor: opts.tor ?? null,
      blocklist: opts.blocklist ?? null,
    },
    opts.config,
    opts.only ? { only: opts.only } : {},
  );
}
