/**
 * GeoIP/ASN look-up over an ordered list of sources (the user's files first, then the bundled data): each field
 * comes from the first source that has it. Only public addresses are looked up; the rest carry their class.
 */
import { classifyParsed } from './address-class.js';
import { parseIp, parseIpv4Text } from './ip.js';
import { emptyGeo, type GeoFields, type GeoInfo, type GeoSource, type GeoSourceInfo } from './geo-types.js';

const FIELDS: (keyof GeoFields)[] = ['country', 'city', 'lat', 'lon', 'asn', 'as_org'];

export class GeoLookup {
  private readonly cache = new Map<string, GeoInfo>();
  constructor(
    private readonly list: GeoSource[],
    private readonly cacheMax = 100_000,
  ) {}

  get sources(): GeoSourceInfo[] {
    return this.list.map((s) => s.info);
  }

  /**
   * Looks up the dotted quads among `ips` in address order, so that each source sees neighbours one after the
   * other (an MMDB source answers a run of addresses in one network from one tree walk); lookup() then finds
   * them in the cache. Skipped when they would not all stay in the cache.
   */
  warm(ips: readonly string[]): void {
    const todo: { n: number; ip: string }[] = [];
    for (const ip of ips) {
      const n = parseIpv4Text(ip);
      if (n >= 0 && !this.cache.has(ip)) todo.push({ n, ip });
    }
    if (this.cache.size + todo.length > this.cacheMax) return;
    todo.sort((a, b) => a.n - b.n);
    for (const t of todo) this.lookup(t.ip);
  }

  lookup(ip: string): GeoInfo {
    const hit = this.cache.get(ip);
    if (hit) return hit;
    const p = parseIp(ip);
    let out: GeoInfo;
    if (!p) out = emptyGeo('invalid');
    else {
      const cls = classifyParsed(p).class;
      out = emptyGeo(cls);
      if (cls === 'public') {
        for (const src of this.list) {
          let rec: Partial<GeoFields> | null = null;
          try {
            rec = src.get(p);
          } catch {
            rec = null; // a damaged user database answers nothing rather than stopping the run
          }
          if (!rec) continue;
          const o = out as unknown as Record<string, unknown>;
          for (const k of FIELDS) {
            const v = rec[k];
            if (o[k] === null && v !== undefined && v !== null && v !== '') o[k] = v;
          }
        }
      }
    }
    if (this.cache.size >= this.cacheMax) this.cache.clear();
    this.cache.set(ip, out);
    return out;
  }
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === 'object' ? (v as Obj) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const fin = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Maps an MMDB record to our fields. Knows the flat ip-location-db layout (country_code, city, latitude,
 * longitude, autonomous_system_number) and MaxMind's nested GeoIP2/GeoLite2 layout (country.iso_code,
 * city.names.en, location.latitude, autonomous_system_number).
 */
export function fromMmdbRecord(rec: unknown): Partial<GeoFields> | null {
  const r = obj(rec);
  if (!r) return null;
  const out: Partial<GeoFields> = {};
  const cc =
    str(r['country_code']) ??
    str(obj(r['country'])?.['iso_code']) ??
    str(obj(r['registered_country'])?.['iso_code']);
  if (cc) out.country = cc.toUpperCase();
  const city = str(r['city']) ?? str(obj(obj(r['city'])?.['names'])?.['en']);
  if (city) out.city = city;
  const loc = obj(r['location']);
  const lat = fin(r['latitude']) ?? fin(loc?.['latitude']);
  const lon = fin(r['longitude']) ?? fin(loc?.['longitude']);
  if (lat !== null && lon !== null) {
    out.lat = lat;
    out.lon = lon;
  }
  const asn = fin(r['autonomous_system_number']);
  if (asn !== null) out.asn = asn;
  const org = str(r['autonomous_system_organization']) ?? str(r['organization']);
  if (org) out.as_org = org;
  return Object.keys(out).length ? out : null;
}
