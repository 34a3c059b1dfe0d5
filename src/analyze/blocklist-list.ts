/**
 * A user's blocklist (--blocklist FILE): one indicator per line, addresses, CIDR networks or domain names
 * (a domain also matches its subdomains). '#' starts a comment; "0.0.0.0 name" hosts-file lines are read as the
 * name. Anything else is counted as skipped.
 */
import { cidrContains, parseCidr, parseIp, type Cidr } from '../enrich/ip.js';

export interface Blocklist {
  name: string;
  addresses: Map<string, string>;
  cidrs: Cidr[];
  domains: Set<string>;
  entries: number;
  skipped: number;
}

const MAX_ENTRIES = 2_000_000;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z][a-z0-9-]{0,62}$/;

function ipKey(ip: string): string | null {
  const p = parseIp(ip);
  if (!p) return null;
  return p.v === 4 ? `4:${p.n}` : `6:${p.hex}`;
}

export function parseBlocklist(text: string, name: string): Blocklist {
  const bl: Blocklist = { name, addresses: new Map(), cidrs: [], domains: new Set(), entries: 0, skipped: 0 };
  for (const raw of text.split('\n')) {
    if (bl.entries >= MAX_ENTRIES) break;
    let line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const parts = line.split(/\s+/);
    // hosts-file form: "0.0.0.0 bad.example" / "127.0.0.1 bad.example"
    if (parts.length >= 2 && (parts[0] === '0.0.0.0' || parts[0] === '127.0.0.1')) line = parts[1]!;
    else line = parts[0]!;
    const lower = line.toLowerCase().replace(/\.$/, '');
    if (lower.includes('/')) {
      const c = parseCidr(lower);
      if (c) {
        bl.cidrs.push(c);
        bl.entries++;
      } else bl.skipped++;
      continue;
    }
    const k = ipKey(lower);
    if (k) {
      bl.addresses.set(k, lower);
      bl.entries++;
    } else if (DOMAIN.test(lower.replace(/^\*\./, ''))) {
      bl.domains.add(lower.replace(/^\*\./, ''));
      bl.entries++;
    } else bl.skipped++;
  }
  return bl;
}

/** The indicator an address matches (the address itself or the CIDR text), or null. */
export function matchAddress(bl: Blocklist, ip: string): string | null {
  const p = parseIp(ip);
  if (!p) return null;
  const exact = bl.addresses.get(p.v === 4 ? `4:${p.n}` : `6:${p.hex}`);
  if (exact) return exact;
  for (const c of bl.cidrs) if (cidrContains(c, p)) return c.text;
  return null;
}

/** The listed domain a name equals or falls under, or null. */
export function matchDomain(bl: Blocklist, name: string | null | undefined): string | null {
  if (!name) return null;
  let n = name.toLowerCase().replace(/\.$/, '');
  for (let i = 0; i < 127 && n; i++) {
    if (bl.domains.has(n)) return n;
    const dot = n.indexOf('.');
    if (dot < 0) break;
    n = n.slice(dot + 1);
  }
  return null;
}
