/**
 * Text IP addresses to comparable numbers, for look-ups over rows (not for the packet path).
 * IPv4 is an unsigned 32-bit number; IPv6 is 16 bytes and also a fixed-width 32-hex-digit key, so that sorted
 * string comparison equals numeric comparison (range tables rely on that).
 */
import { parseIpv4 } from '../shared/addr.js';

export type ParsedIp = { v: 4; n: number } | { v: 6; bytes: Uint8Array; hex: string };

/** Parses an IPv6 text form (RFC 4291 section 2.2, with optional embedded dotted quad and %zone) into 16 bytes. */
export function parseIpv6(s: string): Uint8Array | null {
  if (s.length === 0 || s.length > 64) return null;
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return null;
  const parseSide = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const words: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 < 0) return null;
        words.push(v4 >>> 16, v4 & 0xffff);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      words.push(parseInt(g, 16));
    }
    return words;
  };
  let words: number[];
  if (dbl >= 0) {
    const head = parseSide(s.slice(0, dbl));
    const tail = parseSide(s.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 7) return null;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseSide(s);
    if (!all || all.length !== 8) return null;
    words = all;
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i]! >> 8;
    out[2 * i + 1] = words[i]! & 255;
  }
  return out;
}

export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += (x < 16 ? '0' : '') + x.toString(16);
  return s;
}

/**
 * shared/addr.ts parseIpv4 (four 1-3 digit decimals up to 255, dot-separated, nothing else) as a loop over the
 * characters: enrichment asks it of every name and address in the DNS answers, mostly of names, and the RegExp
 * with its match array was a fifth of collecting the passive names.
 */
export function parseIpv4Text(s: string): number {
  const len = s.length;
  if (len < 7 || len > 15) return -1;
  let v = 0;
  let dots = 0;
  let digits = 0;
  let x = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return -1;
      x = x * 10 + (c - 48);
    } else if (c === 46) {
      if (digits === 0 || dots === 3 || x > 255) return -1;
      v = v * 256 + x;
      dots++;
      x = 0;
      digits = 0;
    } else return -1;
  }
  if (dots !== 3 || digits === 0 || x > 255) return -1;
  return v * 256 + x;
}

/** IPv4 dotted quad or IPv6 text; IPv4-mapped IPv6 (::ffff:a.b.c.d) is answered as IPv4. */
export function parseIp(s: string): ParsedIp | null {
  const v4 = parseIpv4Text(s);
  if (v4 >= 0) return { v: 4, n: v4 };
  if (!s.includes(':')) return null;
  const bytes = parseIpv6(s);
  if (!bytes) return null;
  let mapped = bytes[10] === 0xff && bytes[11] === 0xff;
  for (let i = 0; i < 10 && mapped; i++) if (bytes[i] !== 0) mapped = false;
  if (mapped)
    return { v: 4, n: ((bytes[12]! << 24) | (bytes[13]! << 16) | (bytes[14]! << 8) | bytes[15]!) >>> 0 };
  return { v: 6, bytes, hex: bytesToHex(bytes) };
}

export interface Cidr {
  v: 4 | 6;
  /** network address (v4: number; v6: bytes) and prefix length */
  n: number;
  bytes: Uint8Array | null;
  prefix: number;
  text: string;
}

/** "10.0.0.0/8", "2001:db8::/32", or a bare address (host route). */
export function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  const addr = slash >= 0 ? s.slice(0, slash) : s;
  const ip = parseIp(addr);
  if (!ip) return null;
  const max = ip.v === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p);
    if (prefix > max) return null;
  }
  if (ip.v === 4) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { v: 4, n: (ip.n & mask) >>> 0, bytes: null, prefix, text: s };
  }
  const bytes = new Uint8Array(ip.bytes);
  for (let bit = prefix; bit < 128; bit++) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  return { v: 6, n: 0, bytes, prefix, text: s };
}

export function cidrContains(c: Cidr, ip: ParsedIp): boolean {
  if (c.v !== ip.v) return false;
  if (ip.v === 4) {
    const mask = c.prefix === 0 ? 0 : (0xffffffff << (32 - c.prefix)) >>> 0;
    return (ip.n & mask) >>> 0 === c.n;
  }
  const net = c.bytes!;
  const full = c.prefix >> 3;
  for (let i = 0; i < full; i++) if (ip.bytes[i] !== net[i]) return false;
  const rest = c.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (ip.bytes[full]! & mask) === net[full];
}
