/**
 * Tor relay lists: parse plain address lists ("ip" or "ip:port" per line), Tor network-status consensus
 * documents (dir-spec: "r" lines carry the IPv4 address and ORPort/DirPort, "a" lines extra OR addresses) and
 * Onionoo details JSON (relays[].or_addresses, exit_addresses, dir_address), then match flows by address and,
 * where the list has ports, by port.
 */
import { parseIp, parseIpv4Text } from './ip.js';

export interface TorListInfo {
  name: string;
  /** date of the snapshot (ISO date), from the document when it says so */
  date: string | null;
  format: 'plain' | 'consensus' | 'onionoo';
  relays: number;
  /**
   * the user gave this list for the capture (--tor-relays): its matches are taken as they are, whatever its date;
   * a bundled snapshot is not, and its matches weaken with the time between its date and the capture
   */
  authoritative: boolean;
}

export interface TorMatch {
  /** the list said this address is an exit relay */
  exit: boolean;
  /** the list has ports for this address and `port` is one of them; null when the list has no ports */
  port_matched: boolean | null;
  list: string;
  date: string | null;
  /** TorListInfo.authoritative of the list */
  authoritative: boolean;
}

interface Entry {
  ports: Set<number>;
  exit: boolean;
}

/** Canonical key for an address so "2001:DB8::1" and "2001:db8:0::1" match. */
function key(ip: string): string | null {
  // a plain dotted quad (the usual flow address): nothing to trim or unbracket
  const v4 = parseIpv4Text(ip);
  if (v4 >= 0) return `4:${v4}`;
  const p = parseIp(ip.trim().replace(/^\[|\]$/g, ''));
  if (!p) return null;
  return p.v === 4 ? `4:${p.n}` : `6:${p.hex}`;
}

/** "1.2.3.4:9001", "[2001:db8::1]:9001", "1.2.3.4", "2001:db8::1" -> [address, port|null]. */
function splitHostPort(s: string): [string, number | null] {
  const t = s.trim();
  const br = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (br) return [br[1]!, br[2] ? Number(br[2]) : null];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d+))?$/.exec(t);
  if (v4) return [v4[1]!, v4[2] ? Number(v4[2]) : null];
  return [t, null];
}

const MAX_ENTRIES = 1_000_000;
/** addresses whose look-up match() remembers */
const MAX_SEEN = 65_536;

export class TorRelayList {
  private readonly map = new Map<string, Entry>();
  info: TorListInfo;

  constructor(name: string, format: TorListInfo['format'], date: string | null, authoritative = false) {
    this.info = { name, date, format, relays: 0, authoritative };
  }

  add(ip: string, port: number | null, exit: boolean): void {
    const k = key(ip);
    if (!k || this.map.size >= MAX_ENTRIES) return;
    let e = this.map.get(k);
    if (!e) {
      e = { ports: new Set(), exit: false };
      this.map.set(k, e);
    }
    if (port !== null && port > 0 && port < 65536) e.ports.add(port);
    if (exit) e.exit = true;
    this.info.relays = this.map.size;
    this.seen.clear();
    this.v4Index = null;
  }

  /** Adds another list's entries (e.g. the exit list over the relay list). */
  merge(other: TorRelayList): void {
    for (const [k, e] of other.map) {
      const mine = this.map.get(k);
      if (!mine) this.map.set(k, { ports: new Set(e.ports), exit: e.exit });
      else {
        for (const p of e.ports) mine.ports.add(p);
        mine.exit ||= e.exit;
      }
    }
    this.info.relays = this.map.size;
    this.seen.clear();
    this.v4Index = null;
  }

  /** the entry (or none) of each address asked about: a capture asks about the same addresses flow after flow */
  private readonly seen = new Map<string, Entry | null>();

  /**
   * The IPv4 entries as sorted addresses beside their entries, made on the first match after a change: a dotted
   * quad is matched by a binary search over a small array instead of a look-up of its string in a map of every
   * address the capture asked about.
   */
  private v4Index: { addrs: Uint32Array; entries: Entry[] } | null = null;

  private ipv4Index(): { addrs: Uint32Array; entries: Entry[] } {
    if (!this.v4Index) {
      const pairs: [number, Entry][] = [];
      for (const [k, e] of this.map) if (k.startsWith('4:')) pairs.push([Number(k.slice(2)), e]);
      pairs.sort((a, b) => a[0] - b[0]);
      this.v4Index = { addrs: Uint32Array.from(pairs, (p) => p[0]), entries: pairs.map((p) => p[1]) };
    }
    return this.v4Index;
  }

  private ipv4Entry(n: number): Entry | null {
    const { addrs, entries } = this.ipv4Index();
    let lo = 0;
    let hi = addrs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (addrs[mid]! < n) lo = mid + 1;
      else hi = mid;
    }
    return lo < addrs.length && addrs[lo] === n ? entries[lo]! : null;
  }

  match(ip: string, port?: number | null): TorMatch | null {
    // a dotted quad is its own key (key() gives "4:<number>" for it)
    const n = parseIpv4Text(ip);
    let e = n >= 0 ? this.ipv4Entry(n) : this.seen.get(ip);
    if (e === undefined) {
      const k = key(ip);
      e = (k ? this.map.get(k) : undefined) ?? null;
      // bounded: past the cap it starts over rather than growing with a hostile capture's address count
      if (this.seen.size >= MAX_SEEN) this.seen.clear();
      this.seen.set(ip, e);
    }
    if (!e) return null;
    return {
      exit: e.exit,
      port_matched: e.ports.size === 0 || port === undefined || port === null ? null : e.ports.has(port),
      list: this.info.name,
      date: this.info.date,
      authoritative: this.info.authoritative,
    };
  }

  get size(): number {
    return this.map.size;
  }
}

/** Plain list: one address (optionally with :port) per line; '#' comments and blank lines ignored. */
export function parsePlainTorList(
  text: string,
  name: string,
  date: string | null,
  exit = false,
): TorRelayList {
  const list = new TorRelayList(name, 'plain', date);
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [ip, port] = splitHostPort(line.split(/\s+/)[0]!);
    list.add(ip, port, exit);
  }
  return list;
}

/** Tor network-status consensus (or a cached-consensus/microdesc consensus). Exit flag from "s" lines. */
export function parseTorConsensus(text: string, name: string): TorRelayList {
  const valid = /^valid-after (\d{4}-\d\d-\d\d)/m.exec(text);
  const list = new TorRelayList(name, 'consensus', valid ? valid[1]! : null);
  let cur: { addrs: [string, number | null][] } | null = null;
  const flush = (exit: boolean) => {
    if (cur) for (const [ip, port] of cur.addrs) list.add(ip, port, exit);
    cur = null;
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('r ')) {
      flush(false);
      // r nickname identity [digest] date time IP ORPort DirPort (microdesc consensus omits the digest)
      const f = line.trim().split(/\s+/);
      const n = f.length;
      const ip = f[n - 3];
      const or = Number(f[n - 2]);
      const dir = Number(f[n - 1]);
      if (!ip) continue;
      const addrs: [string, number | null][] = [[ip, or || null]];
      if (dir) addrs.push([ip, dir]);
      cur = { addrs };
    } else if (line.startsWith('a ') && cur) {
      cur.addrs.push(splitHostPort(line.slice(2)));
    } else if (line.startsWith('s ') && cur) {
      flush(/\bExit\b/.test(line) && !/\bBadExit\b/.test(line));
    }
  }
  flush(false);
  return list;
}

/** Onionoo "details" document. */
export function parseOnionoo(json: unknown, name: string): TorRelayList {
  const doc = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const published = typeof doc['relays_published'] === 'string' ? doc['relays_published'].slice(0, 10) : null;
  const list = new TorRelayList(name, 'onionoo', published);
  const relays = Array.isArray(doc['relays']) ? doc['relays'] : [];
  for (const r of relays.slice(0, MAX_ENTRIES)) {
    if (!r || typeof r !== 'object') continue;
    const rel = r as Record<string, unknown>;
    const exitAddrs = Array.isArray(rel['exit_addresses']) ? rel['exit_addresses'] : [];
    const flags = Array.isArray(rel['flags']) ? rel['flags'] : [];
    const isExit = flags.includes('Exit') || exitAddrs.length > 0;
    for (const a of Array.isArray(rel['or_addresses']) ? rel['or_addresses'] : []) {
      if (typeof a === 'string') list.add(...splitHostPort(a), isExit);
    }
    if (typeof rel['dir_address'] === 'string') list.add(...splitHostPort(rel['dir_address']), isExit);
    for (const a of exitAddrs) if (typeof a === 'string') list.add(a, null, true);
  }
  return list;
}

/** Detects the format of a user's list from its content. */
export function parseTorList(text: string, name: string): TorRelayList {
  const t = text.trimStart();
  if (t.startsWith('{')) {
    try {
      return parseOnionoo(JSON.parse(t), name);
    } catch {
      // not JSON after all: fall through to the line formats
    }
  }
  if (/^network-status-version /m.test(t) || /^r \S+ \S+ /m.test(t)) return parseTorConsensus(t, name);
  return parsePlainTorList(t, name, null);
}

/**
 * Tor's link handshake uses made-up host names: the client sends SNI "www.<random>.com" (4-25 base32 characters,
 * a-z and 2-7) and relays present certificates named "www.<random>.net" with a random issuer name of the same form.
 * Real sites rarely look like that. The score says how many of the signs are present.
 */
const TOR_NAME = /^www\.([a-z2-7]{4,25})\.(com|net)$/;
const VOWELS = /[aeiou]/g;

/** True when the label part looks random: no long vowel-consonant rhythm of words, or base32 digits. */
function randomish(label: string): boolean {
  if (/[2-7]/.test(label)) return true;
  const v = (label.match(VOWELS) ?? []).length / label.length;
  // English-like words sit near 0.35-0.45 vowels; random base32 letters near 0.19 (5 of 26 + 6 digits).
  return v < 0.25 || /[^aeiou]{5,}/.test(label);
}

export function torLikeName(name: string | null | undefined, tld?: 'com' | 'net'): boolean {
  if (!name) return false;
  const m = TOR_NAME.exec(name.toLowerCase());
  if (!m || (tld && m[2] !== tld)) return false;
  return randomish(m[1]!);
}

/** Common name from a subject/issuer text such as "CN=www.abc.net" or "C=US, CN=x". */
export function commonName(dn: string | null | undefined): string | null {
  if (!dn) return null;
  const m = /(?:^|[,/]\s*)CN\s*=\s*([^,/]+)/i.exec(dn);
  return m ? m[1]!.trim() : null;
}

export const TOR_RELAY_PORTS: ReadonlySet<number> = new Set([9001, 9030, 9050, 9051, 9150, 443]);
