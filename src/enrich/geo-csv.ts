/**
 * GeoIP/ASN CSV files as range tables. Accepted row shapes (header lines and rows that do not parse are skipped):
 *   start,end,asn,org                         (ip-location-db asn)
 *   start,end,CC                              (ip-location-db *-country)
 *   start,end,CC,state1,state2,city,postcode,lat,lon[,tz]   (ip-location-db *-city)
 *   network/prefix,...same columns...         (a CIDR instead of start,end)
 * start/end are addresses, or decimal numbers (the "-num" files; IPv6 as a 128-bit decimal).
 */
import { parseCidr, parseIp, type ParsedIp } from './ip.js';
import { RangeTableBuilder, type RangeTable } from './range-table.js';
import type { GeoFields } from './geo-types.js';

/** Splits one CSV line (RFC 4180 quoting); the common unquoted case is a plain split. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else q = false;
      } else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const MAX_U32 = 0xffffffff;

function parseBound(s: string): ParsedIp | null {
  if (/^\d{1,39}$/.test(s)) {
    const n = Number(s);
    if (n <= MAX_U32) return { v: 4, n };
    const big = BigInt(s);
    if (big >> 128n !== 0n) return null;
    const hex = big.toString(16).padStart(32, '0');
    const bytes = new Uint8Array(16);
    for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return { v: 6, bytes, hex };
  }
  return parseIp(s);
}

function cidrRange(s: string): [ParsedIp, ParsedIp] | null {
  const c = parseCidr(s);
  if (!c) return null;
  if (c.v === 4) {
    const size = 2 ** (32 - c.prefix);
    return [
      { v: 4, n: c.n },
      { v: 4, n: c.n + size - 1 },
    ];
  }
  const lo = new Uint8Array(c.bytes!);
  const hi = new Uint8Array(c.bytes!);
  for (let bit = c.prefix; bit < 128; bit++) hi[bit >> 3]! |= 0x80 >> (bit & 7);
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return [
    { v: 6, bytes: lo, hex: hex(lo) },
    { v: 6, bytes: hi, hex: hex(hi) },
  ];
}

function num(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function rowFields(cols: string[]): Partial<GeoFields> | null {
  const a = cols[0]?.trim() ?? '';
  if (cols.length === 1 && /^[A-Za-z]{2}$/.test(a)) return { country: a.toUpperCase() };
  if (/^(AS)?\d+$/i.test(a)) {
    const asn = Number(a.replace(/^AS/i, ''));
    return { asn, as_org: cols.slice(1).join(',').trim() || null };
  }
  if (cols.length >= 7 && /^[A-Za-z]{2}$|^$/.test(a)) {
    return {
      country: a ? a.toUpperCase() : null,
      city: cols[3]?.trim() || null,
      lat: num(cols[5]),
      lon: num(cols[6]),
    };
  }
  return null;
}

export interface CsvLoadResult {
  table: RangeTable<Partial<GeoFields>>;
  rows: number;
  skipped: number;
  provides: (keyof GeoFields)[];
}

/** Parses whole CSV text. `maxRows` caps memory for hostile or mistaken input. */
export function parseGeoCsv(text: string, maxRows = 5_000_000): CsvLoadResult {
  const b = new RangeTableBuilder<Partial<GeoFields>>();
  const provides = new Set<keyof GeoFields>();
  let skipped = 0;
  let pos = 0;
  while (pos < text.length && b.size < maxRows) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let line = text.slice(pos, nl);
    pos = nl + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '' || line.startsWith('#')) continue;
    const cols = splitCsvLine(line);
    let range: [ParsedIp, ParsedIp] | null = null;
    let rest: string[];
    if (cols[0]?.includes('/')) {
      range = cidrRange(cols[0].trim());
      rest = cols.slice(1);
    } else {
      const s = parseBound(cols[0]?.trim() ?? '');
      const e = parseBound(cols[1]?.trim() ?? '');
      if (s && e) range = [s, e];
      rest = cols.slice(2);
    }
    const fields = range ? rowFields(rest) : null;
    if (!range || !fields) {
      skipped++;
      continue;
    }
    const id = b.value(rest.join('\u0001'), () => fields);
    if (!b.add(range[0], range[1], id)) {
      skipped++;
      continue;
    }
    for (const k of Object.keys(fields) as (keyof GeoFields)[]) provides.add(k);
  }
  const rows = b.size;
  return { table: b.build(), rows, skipped, provides: [...provides].sort() };
}
