/**
 * The enrichment data of a run, chosen by the user's options (--geoip, --asn, --tor-relays, --blocklist,
 * --no-geo, --resolve) and loaded only when first needed: the bundled GeoIP/ASN data costs seconds, the MAC
 * registry half a second, and a run without public addresses or MACs needs neither. The user's own files are
 * read up front so a bad path fails before the capture is read. `sources()` lists what was used, with
 * versions and dates, for `summary.enrichment_sources`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { PcaplensError } from '../shared/errors.js';
import type { EnrichmentSource } from '../shared/rows.js';
import { parseBlocklist, type Blocklist } from '../analyze/blocklist-list.js';
import type { AnalysisConfigInput } from '../analyze/config.js';
import { bundledGeoSources, openGeoFile } from '../enrich/geoip-files.js';
import { GeoLookup } from '../enrich/geoip.js';
import type { GeoSource } from '../enrich/geo-types.js';
import { bundledMacVendors } from '../enrich/mac-vendor-data.js';
import type { MacVendorTable } from '../enrich/mac-vendor.js';
import { createSystemReverseDns } from '../enrich/reverse-dns-node.js';
import type { ReverseDns } from '../enrich/reverse-dns.js';
import { BUNDLED_TOR_DATE, bundledTorRelays, loadTorListFile } from '../enrich/tor-relays-data.js';
import type { TorRelayList } from '../enrich/tor-relays.js';

export interface EnrichOptions {
  /** --geoip FILE (MMDB or CSV), looked up before the bundled data */
  geoip?: string[];
  /** --asn FILE (MMDB or CSV) */
  asn?: string[];
  /** --no-geo: no GeoIP/ASN look-ups at all (false) */
  geo?: boolean;
  /** --tor-relays FILE instead of the bundled snapshot */
  torRelays?: string;
  /** --blocklist FILE */
  blocklist?: string;
  /** --resolve: live reverse DNS of the hosts (off by default: principle 5, offline) */
  resolve?: boolean;
  /** analysis thresholds (analyze/config.ts) */
  analysis?: AnalysisConfigInput;
}

const require = createRequire(import.meta.url);
let bundled: { sources: GeoSource[]; missing: string[] } | null = null;

function readBlocklist(path: string): Blocklist {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PcaplensError('E_NOT_FOUND', `cannot read blocklist ${path}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const bl = parseBlocklist(text, basename(path));
  if (bl.entries === 0) throw new PcaplensError('E_USAGE', `${path}: no address, network or domain found`);
  return bl;
}

function ouiVersion(): string {
  try {
    const dir = dirname(require.resolve('oui-data'));
    return (
      (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? '?'
    );
  } catch {
    return '?';
  }
}

export class Enrichment {
  readonly options: EnrichOptions;
  private readonly userGeo: GeoSource[];
  private geoLookup: GeoLookup | null | undefined;
  private geoMissing: string[] = [];
  private vendorTable: MacVendorTable | null = null;
  private torList: TorRelayList | null | undefined;
  private readonly block: Blocklist | null;
  private rdns: ReverseDns | null = null;

  constructor(opts: EnrichOptions = {}) {
    this.options = opts;
    const geoOff = opts.geo === false;
    if (geoOff && (opts.geoip?.length || opts.asn?.length))
      throw new PcaplensError('E_USAGE', '--no-geo cannot be combined with --geoip or --asn');
    this.userGeo = geoOff ? [] : [...(opts.geoip ?? []), ...(opts.asn ?? [])].map(openGeoFile);
    this.torList = opts.torRelays ? loadTorListFile(opts.torRelays) : undefined;
    this.block = opts.blocklist ? readBlocklist(opts.blocklist) : null;
  }

  /** The GeoIP/ASN look-up (user files first, then the bundled data), built on first call; null with --no-geo. */
  readonly geo = (): GeoLookup | null => {
    if (this.geoLookup === undefined) {
      if (this.options.geo === false) this.geoLookup = null;
      else {
        // one copy of the bundled data per process: its ASN tables parse once, on the first public address
        bundled ??= bundledGeoSources();
        this.geoLookup = new GeoLookup([...this.userGeo, ...bundled.sources]);
        this.geoMissing = bundled.missing;
      }
    }
    return this.geoLookup;
  };

  vendors(): MacVendorTable {
    this.vendorTable ??= bundledMacVendors();
    return this.vendorTable;
  }

  /** Vendor look-up that loads the registry only when a MAC is actually asked about. */
  readonly vendorLookup = { vendor: (mac: string): string | null => this.vendors().vendor(mac) };

  /** The user's relay list, else the bundled snapshot (null when data/ is not installed). */
  tor(): TorRelayList | null {
    if (this.torList === undefined) this.torList = bundledTorRelays();
    return this.torList;
  }

  /**
   * Loads the bundled data now instead of on first use (~0.3 s: MAC vendor registry, Tor list, the ASN tables
   * parsed by a first IPv4 and IPv6 look-up): a large import does it while its decoding thread starts, not
   * after the reading.
   */
  preload(): void {
    const geo = this.geo();
    geo?.lookup('8.8.8.8');
    geo?.lookup('2001:4860:4860::8888');
    this.vendors();
    this.tor();
  }

  blocklist(): Blocklist | null {
    return this.block;
  }

  reverseDns(): ReverseDns | null {
    if (!this.options.resolve) return null;
    this.rdns ??= createSystemReverseDns();
    return this.rdns;
  }

  /**
   * What enrichment rests on, with versions and dates: every configured source, whether or not this run
   * needed it (the bundled GeoIP files are opened for their metadata, the big ASN tables are not parsed).
   */
  sources(): EnrichmentSource[] {
    const out: EnrichmentSource[] = [];
    const geo = this.options.geo === false ? null : this.geo();
    if (!geo) {
      out.push({ kind: 'geoip', name: 'disabled (--no-geo)', version: null, date: null, licence: null });
    } else {
      for (const s of geo.sources) {
        out.push({
          kind: s.provides.includes('asn') ? 'asn' : 'geoip',
          name: s.name,
          version: s.version,
          date: s.date,
          licence: s.licence,
        });
      }
      for (const m of this.geoMissing)
        out.push({ kind: 'geoip', name: `${m} (not installed)`, version: null, date: null, licence: null });
    }
    // the same list whether or not this run loaded the bundled sets (summary FILE and summary @ID agree)
    out.push({
      kind: 'mac_vendor',
      name: this.vendorTable?.source.name ?? 'IEEE OUI/MA-M/MA-S registry (npm oui-data)',
      version: this.vendorTable?.source.version ?? ouiVersion(),
      date: null,
      licence: 'BSD-2-Clause (package), IEEE registry data',
    });
    const user = this.options.torRelays ? this.torList?.info : undefined;
    out.push({
      kind: 'tor_relays',
      name: user?.name ?? 'SecOps-Institute/Tor-IP-Addresses snapshot',
      version: user?.format ?? 'plain',
      date: user ? user.date : BUNDLED_TOR_DATE,
      licence: null,
      ...(user ? { entries: user.relays } : {}),
    });
    if (this.block) {
      out.push({
        kind: 'blocklist',
        name: this.block.name,
        version: null,
        date: null,
        licence: null,
        entries: this.block.entries,
      });
    }
    if (this.options.resolve) {
      out.push({
        kind: 'reverse_dns',
        name: 'system resolver (--resolve)',
        version: null,
        date: null,
        licence: null,
      });
    }
    return out;
  }
}

let shared: Enrichment | null = null;

/** The bundled data with default options, shared by every run of the process (ingest, the server). */
export function defaultEnrichment(): Enrichment {
  shared ??= new Enrichment();
  return shared;
}
