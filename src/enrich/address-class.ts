/**
 * Special-purpose address classes (IANA IPv4/IPv6 Special-Purpose Address Registries, RFC 6890 and the RFCs
 * named below). Anything that is not public gets a label and is never geolocated.
 */
import { cidrContains, parseCidr, parseIp, parseIpv4Text, type Cidr, type ParsedIp } from './ip.js';

export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link_local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved'
  | 'public'
  | 'invalid';

export interface AddressInfo {
  class: AddressClass;
  /** short human label, e.g. "private (RFC 1918)" */
  label: string;
  /** true for addresses that stay inside a site: private, ULA, CGNAT, link-local, loopback */
  is_private: boolean;
  /** only public unicast addresses are looked up in GeoIP/ASN databases */
  geolocatable: boolean;
}

interface Rule {
  cidr: Cidr;
  cls: AddressClass;
  label: string;
  /** IPv4 rules: the prefix's mask, to test `(n & mask) >>> 0 === cidr.n` without a parsed address */
  mask: number;
  /** the answer of this rule, made once and shared by every address it matches */
  info: AddressInfo;
}

const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['private', 'cgnat', 'link_local', 'loopback']);

function info(cls: AddressClass, label: string): AddressInfo {
  return { class: cls, label, is_private: PRIVATE_CLASSES.has(cls), geolocatable: cls === 'public' };
}

function rule(text: string, cls: AddressClass, label: string): Rule {
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`bad built-in CIDR ${text}`);
  const mask = cidr.prefix === 0 ? 0 : (0xffffffff << (32 - cidr.prefix)) >>> 0;
  return { cidr, cls, label, mask, info: info(cls, label) };
}

// Most specific first: the first match wins.
const RULES: Rule[] = [
  rule('255.255.255.255/32', 'broadcast', 'limited broadcast'),
  rule('0.0.0.0/32', 'unspecified', 'unspecified (0.0.0.0)'),
  rule('0.0.0.0/8', 'reserved', '"this network" (RFC 791)'),
  rule('10.0.0.0/8', 'private', 'private (RFC 1918)'),
  rule('172.16.0.0/12', 'private', 'private (RFC 1918)'),
  rule('192.168.0.0/16', 'private', 'private (RFC 1918)'),
  rule('100.64.0.0/10', 'cgnat', 'carrier-grade NAT (RFC 6598)'),
  rule('127.0.0.0/8', 'loopback', 'loopback'),
  rule('169.254.0.0/16', 'link_local', 'link-local (RFC 3927)'),
  rule('192.0.2.0/24', 'documentation', 'documentation TEST-NET-1 (RFC 5737)'),
  rule('198.51.100.0/24', 'documentation', 'documentation TEST-NET-2 (RFC 5737)'),
  rule('203.0.113.0/24', 'documentation', 'documentation TEST-NET-3 (RFC 5737)'),
  rule('192.0.0.0/24', 'reserved', 'IETF protocol assignments (RFC 6890)'),
  rule('198.18.0.0/15', 'reserved', 'benchmarking (RFC 2544)'),
  rule('224.0.0.0/4', 'multicast', 'multicast'),
  rule('240.0.0.0/4', 'reserved', 'reserved (class E)'),
  rule('::/128', 'unspecified', 'unspecified (::)'),
  rule('::1/128', 'loopback', 'loopback'),
  rule('fc00::/7', 'private', 'unique local (ULA, RFC 4193)'),
  rule('fec0::/10', 'private', 'site-local (deprecated, RFC 3879)'),
  rule('fe80::/10', 'link_local', 'link-local'),
  rule('ff00::/8', 'multicast', 'multicast'),
  rule('2001:db8::/32', 'documentation', 'documentation (RFC 3849)'),
  rule('3fff::/20', 'documentation', 'documentation (RFC 9637)'),
  rule('100::/64', 'reserved', 'discard-only (RFC 6666)'),
  rule('2001:2::/48', 'reserved', 'benchmarking (RFC 5180)'),
];
// IPv6 global unicast; the rest of the IPv6 space is unassigned or special.
const GLOBAL_V6 = rule('2000::/3', 'public', 'public');

const V4_RULES = RULES.filter((r) => r.cidr.v === 4);
const PUBLIC = info('public', 'public');
const RESERVED_V6 = info('reserved', 'reserved / unassigned IPv6');
const INVALID = info('invalid', 'not an IP address');

/** The class of an IPv4 address as a number: the first IPv4 rule that holds it, else public. */
function classifyV4(n: number): AddressInfo {
  for (const r of V4_RULES) if ((n & r.mask) >>> 0 === r.cidr.n) return r.info;
  return PUBLIC;
}

/**
 * Classifies an already parsed address. The answers are shared objects (one per rule), made once: callers read
 * them and never change them.
 */
export function classifyParsed(ip: ParsedIp): AddressInfo {
  if (ip.v === 4) return classifyV4(ip.n);
  for (const r of RULES) if (cidrContains(r.cidr, ip)) return r.info;
  if (!cidrContains(GLOBAL_V6.cidr, ip)) return RESERVED_V6;
  return PUBLIC;
}

const cache = new Map<string, AddressInfo>();
const CACHE_MAX = 65536;

/**
 * Classifies an address given as text; anything that does not parse is "invalid". A dotted quad is parsed and
 * classified on the spot (a few dozen integer steps, cheaper than a look-up of the string: enrichment and the
 * analyses ask this of every flow's addresses); any other text is cached per string.
 */
export function classifyAddress(ip: string): AddressInfo {
  const v4 = parseIpv4Text(ip);
  if (v4 >= 0) return classifyV4(v4);
  const hit = cache.get(ip);
  if (hit) return hit;
  const p = parseIp(ip);
  const res = p ? classifyParsed(p) : INVALID;
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(ip, res);
  return res;
}

export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip).class === 'public';
}
