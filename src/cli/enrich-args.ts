/**
 * The enrichment options of the commands that enrich hosts or raise alerts (hosts, alerts, report, import,
 * serve): which GeoIP/ASN files, Tor list and blocklist to use, --no-geo, --resolve.
 */
import type { ParseArgsConfig } from 'node:util';
import type { EnrichOptions } from '../engine/enrich-sources.js';

export const ENRICH_OPTIONS = {
  geoip: { type: 'string', multiple: true },
  asn: { type: 'string', multiple: true },
  'no-geo': { type: 'boolean' },
  'tor-relays': { type: 'string' },
  blocklist: { type: 'string' },
  resolve: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** The subset that matters to detection alone (the alerts command). */
export const DETECT_OPTIONS = {
  'tor-relays': ENRICH_OPTIONS['tor-relays'],
  blocklist: ENRICH_OPTIONS.blocklist,
} as const satisfies ParseArgsConfig['options'];

export const DETECT_HELP = `      --tor-relays FILE  Tor relay list (plain addresses, a consensus or Onionoo JSON) instead of the
                     bundled snapshot
      --blocklist FILE   addresses, CIDR networks and domains (one per line) to alert on`;

export const ENRICH_HELP = `      --geoip FILE   GeoIP database (MMDB or CSV), looked up before the bundled data (repeatable)
      --asn FILE     ASN database (MMDB or CSV), looked up before the bundled data (repeatable)
      --no-geo       no GeoIP/ASN look-ups (the bundled data takes a few seconds to load)
${DETECT_HELP}
      --resolve      reverse DNS of the hosts through the system resolver (live network queries; off by
                     default)`;

export interface EnrichValues {
  geoip?: string[];
  asn?: string[];
  'no-geo'?: boolean;
  'tor-relays'?: string;
  blocklist?: string;
  resolve?: boolean;
}

export function enrichOptionsFrom(v: EnrichValues): EnrichOptions {
  return {
    geoip: v.geoip,
    asn: v.asn,
    geo: v['no-geo'] ? false : undefined,
    torRelays: v['tor-relays'],
    blocklist: v.blocklist,
    resolve: v.resolve === true,
  };
}
