/**
 * Host names seen in the capture itself, per address: DNS answers (A/AAAA to the name asked, PTR back to the
 * address), mDNS/LLMNR/NBNS answers, DHCP host names, TLS SNI and HTTP Host towards the server, pcapng name
 * records. No network access.
 */
import type { HostName } from '../shared/rows.js';
import { parseIp } from './ip.js';
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

/** Strongest first: what the capture's own resolver said beats what a client claimed. */
const SOURCE_ORDER = ['dns', 'pcapng', 'mdns', 'llmnr', 'nbns', 'dhcp', 'tls', 'http'];

function cleanName(n: string | null | undefined): string | null {
  if (!n) return null;
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
    return this.names(ip).some(
      (h) => h.source === 'dns' || h.source === 'mdns' || h.source === 'llmnr' || h.source === 'nbns',
    );
  }

  addresses(): string[] {
    return [...this.map.keys()].sort();
  }

  get size(): number {
    return this.map.size;
  }
}

function answerParts(a: string): [string, string] | null {
  const sp = a.indexOf(' ');
  if (sp <= 0) return null;
  return [a.slice(0, sp).toUpperCase(), a.slice(sp + 1).trim()];
}

export function collectPassiveNames(input: PassiveNameInput): PassiveNames {
  const out = new PassiveNames();
  for (const r of input.dns ?? []) {
    const src = r.proto === 'dns' ? 'dns' : r.proto;
    for (const a of r.answers) {
      const parts = answerParts(a);
      if (!parts) continue;
      const [type, value] = parts;
      if (type === 'A' || type === 'AAAA') out.add(value, r.query_name, src);
      else if (type === 'PTR' && r.query_name) {
        const ip = ptrNameToIp(r.query_name);
        if (ip) out.add(ip, value, src);
      } else if (type === 'NB' && r.query_name) {
        // NBNS answers carry the address ("NB 192.168.1.5" after flags) for the queried NetBIOS name
        const ip = value.split(/\s+/).find((x) => parseIp(x));
        if (ip) out.add(ip, r.query_name.replace(/<[0-9a-f]{2}>$/i, ''), src);
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
