/**
 * Host names seen in the capture itself, per address: DNS answers (A/AAAA to their owner name and, through the
 * CNAME chain, to the name asked; PTR back to the address), mDNS/LLMNR/NBNS answers, DHCP host names, TLS SNI and HTTP Host towards the server, pcapng name
 * records. No network access.
 */
import type { HostName } from '../shared/rows.js';
import { parseIp, parseIpv4Text } from './ip.js';
import { parseDnsAnswer, type DnsAnswer } from './dns-answer.js';
import type { DhcpInput, DnsInput, HttpInput, NameRecordInput, TlsInput } from './name-inputs.js';

export interface PassiveNameInput {
  dns?: readonly DnsInput[];
  dhcp?: readonly DhcpInput[];
  tls?: readonly TlsInput[];
  http?: readonly HttpInput[];
  pcapng?: readonly NameRecordInput[];
}

/** Caps for hostile captures: names per address and total addresses. */
const MAX_NAMES_PER_IP = 32;
const MAX_IPS = 1_000_000;
const MAX_NAME_LEN = 253;
/** answers read per DNS row (a response carries at most a few dozen; mDNS ones up to ~100) */
const MAX_ANSWERS = 256;

/** Strongest first: what the capture's own resolver said beats what a client claimed. */
const SOURCE_ORDER = ['dns', 'pcapng', 'mdns', 'llmnr', 'nbns', 'dhcp', 'tls', 'http'];

/**
 * True when cleanName would give `s` back as it is: 1..253 characters of printable ASCII other than upper-case
 * letters, ':', '[' and ']', not ending with '.', and not a dotted quad (the usual DNS, SNI or Host name).
 */
function alreadyClean(s: string): boolean {
  const len = s.length;
  if (len === 0 || len > MAX_NAME_LEN || s.charCodeAt(len - 1) === 46) return false;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    // controls and space, upper case (toLowerCase), ':' (a port or IPv6), '[' ']' (a bracketed address), non-ASCII
    if (c <= 32 || (c >= 65 && c <= 93) || c === 58 || c >= 127) return false;
  }
  return parseIpv4Text(s) < 0;
}

function cleanName(n: string | null | undefined): string | null {
  if (!n) return null;
  if (alreadyClean(n)) return n;
  let s = n.trim().toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1);
  // strip an HTTP Host port
  const colon = s.lastIndexOf(':');
  if (colon > 0 && !s.includes(']') && s.indexOf(':') === colon) s = s.slice(0, colon);
  if (!s || s.length > MAX_NAME_LEN || /[\s\u0000-\u001f]/.test(s)) return null;
  // an address is not a name
  if (parseIp(s.replace(/^\[|\]$/g, ''))) return null;
  return s;
}

function canonicalIp(ip: string): string | null {
  // a dotted quad is its own canonical form (digits and dots: nothing to trim or lower)
  if (parseIpv4Text(ip) >= 0) return ip;
  const p = parseIp(ip);
  if (!p) return null;
  return ip.trim().toLowerCase();
}

/** Address from a reverse-lookup name (4.3.2.1.in-addr.arpa, nibble ip6.arpa), or null. */
export function ptrNameToIp(name: string): string | null {
  const n = name.toLowerCase().replace(/\.$/, '');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(n);
  if (v4) {
    const ip = `${v4[4]}.${v4[3]}.${v4[2]}.${v4[1]}`;
    return parseIp(ip) ? ip : null;
  }
  const v6 = /^((?:[0-9a-f]\.){32})ip6\.arpa$/.exec(n);
  if (v6) {
    const hex = v6[1]!.replace(/\./g, '').split('').reverse().join('');
    const groups = hex.match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ''));
    const p = parseIp(groups.join(':'));
    return p ? groups.join(':') : null;
  }
  return null;
}

export class PassiveNames {
  private readonly map = new Map<string, HostName[]>();

  add(ip: string | null | undefined, name: string | null | undefined, source: string): void {
    if (!ip) return;
    const key = canonicalIp(ip);
    const n = cleanName(name);
    if (!key || !n) return;
    let list = this.map.get(key);
    if (!list) {
      if (this.map.size >= MAX_IPS) return;
      list = [];
      this.map.set(key, list);
    }
    if (list.length >= MAX_NAMES_PER_IP || list.some((h) => h.name === n && h.source === source)) return;
    list.push({ name: n, source });
  }

  /** Names of one address, strongest source first, then alphabetical. */
  names(ip: string): HostName[] {
    const list = this.map.get(ip.trim().toLowerCase());
    if (!list) return [];
    return [...list].sort(
      (a, b) =>
        SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  }

  /** The single best name, or null. */
  best(ip: string): string | null {
    return this.names(ip)[0]?.name ?? null;
  }

  /** True when a DNS-family answer in the capture gave this address (what a client could have looked up). */
  resolved(ip: string): boolean {
    // the stored list as it is: names() would copy and sort it for every flow the analyses ask about
    const list = this.map.get(ip.trim().toLowerCase());
    return (
      list !== undefined &&
      list.some(
        (h) => h.source === 'dns' || h.source === 'mdns' || h.source === 'llmnr' || h.source === 'nbns',
      )
    );
  }

  addresses(): string[] {
    return [...this.map.keys()].sort();
  }

  get size(): number {
    return this.map.size;
  }
}

const lower = (n: string): string => n.toLowerCase().replace(/\.$/, '');

/** Names a unicast query reaches in its own response: the name asked and the CNAME/DNAME targets chained from it. */
function queryChain(query: string | null, answers: readonly (DnsAnswer | null)[]): Set<string> {
  const chain = new Set<string>();
  if (!query) return chain;
  // owner -> targets, then a walk from the name asked: linear in the answers, loops end at names already seen
  const links = new Map<string, string[]>();
  for (const a of answers) {
    if (!a || (a.type !== 'CNAME' && a.type !== 'DNAME')) continue;
    const target = lower(a.value);
    if (!target) continue;
    const from = lower(a.owner);
    const list = links.get(from);
    if (list) list.push(target);
    else links.set(from, [target]);
  }
  const todo = [lower(query)];
  chain.add(todo[0]!);
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    for (const t of links.get(name) ?? []) {
      if (chain.has(t)) continue;
      chain.add(t);
      todo.push(t);
    }
  }
  return chain;
}

/** distinct DNS rows collectPassiveNames remembers (past it, rows are read again: the same result, more time) */
const MAX_SEEN_ROWS = 100_000;

/** What collectPassiveNames reads of a DNS row, as one string: each part prefixed with its length. */
function dnsRowKey(r: DnsInput): string {
  let k = `${r.proto.length}:${r.proto}`;
  // no name asked and an empty one read alike (no CNAME chain, no asked-name add)
  k += r.query_name ? `${r.query_name.length}:${r.query_name}` : '-';
  const n = Math.min(r.answers.length, MAX_ANSWERS);
  for (let i = 0; i < n; i++) {
    const a = r.answers[i]!;
    k += `${a.length}:${a}`;
  }
  return k;
}

export function collectPassiveNames(input: PassiveNameInput): PassiveNames {
  const out = new PassiveNames();
  // a capture repeats the same look-ups and answers over and over: a row equal to one already read (same
  // protocol, name asked and answers) adds nothing (every add of it is a no-op the second time), so it is skipped
  const seen = new Set<string>();
  for (const r of input.dns ?? []) {
    if (r.answers.length === 0) continue;
    const rowKey = dnsRowKey(r);
    if (seen.has(rowKey)) continue;
    if (seen.size < MAX_SEEN_ROWS) seen.add(rowKey);
    const src = r.proto === 'dns' ? 'dns' : r.proto;
    const answers = r.answers.slice(0, MAX_ANSWERS).map(parseDnsAnswer);
    // unicast DNS: an address at the end of the asked name's CNAME chain is also known by the asked name;
    // multicast responses (mDNS) answer many names at once, so there only the record's owner counts
    const chain = r.proto === 'dns' ? queryChain(r.query_name, answers) : null;
    for (const a of answers) {
      if (!a) continue;
      if (a.type === 'A' || a.type === 'AAAA') {
        out.add(a.value, a.owner, src);
        if (r.query_name && chain?.has(lower(a.owner))) out.add(a.value, r.query_name, src);
      } else if (a.type === 'PTR') {
        const ip = ptrNameToIp(a.owner);
        if (ip) out.add(ip, a.value, src);
      } else if (a.type === 'NB') {
        // NBNS: the owner is the NetBIOS name (with its <xx> suffix), the value its IPv4 address
        const ip = a.value.split(/\s+/).find((x) => parseIp(x));
        if (ip) out.add(ip, a.owner.replace(/<[0-9a-f]{2}>$/i, '').trim(), src);
      }
    }
  }
  for (const d of input.dhcp ?? []) {
    if (!d.host_name) continue;
    const ip = d.assigned_ip ?? d.requested_ip ?? (d.client_ip !== '0.0.0.0' ? d.client_ip : null);
    out.add(ip, d.host_name, 'dhcp');
  }
  for (const t of input.tls ?? []) out.add(t.server_ip, t.server_name, 'tls');
  for (const h of input.http ?? []) out.add(h.server_ip, h.host, 'http');
  for (const p of input.pcapng ?? []) out.add(p.ip, p.name, 'pcapng');
  return out;
}
