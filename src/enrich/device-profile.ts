/**
 * Per-host device details from rows: vendor of its MAC, OS hints (TTL, DHCP, User-Agent), roles (gateway, DNS,
 * DHCP, web server) and whether it is on the LAN or public. Pure over its inputs.
 */
import type { FlowRow } from '../shared/rows.js';
import { classifyAddress, type AddressClass } from './address-class.js';
import type { DhcpInput, DnsInput, HttpInput } from './name-inputs.js';
import { dhcpHint, ttlHint, userAgentHint, type OsHint } from './os-hints.js';

export type DeviceRole = 'gateway' | 'dns_server' | 'dhcp_server' | 'web_server' | 'client';

export interface DeviceProfile {
  ip: string;
  macs: string[];
  vendor: string | null;
  os_hints: OsHint[];
  /** the most common OS among the hints, null when none */
  os_guess: string | null;
  roles: DeviceRole[];
  /** "lan" (private/link-local/CGNAT/loopback), "public", or the special class (multicast, broadcast, ...) */
  scope: 'lan' | 'public' | AddressClass;
  /** evidence per role, e.g. { gateway: "carried 1,234,567 bytes of off-LAN traffic for 3 hosts" } */
  role_evidence: Record<string, string>;
}

export interface DeviceProfileInput {
  flows: readonly FlowRow[];
  dhcp?: readonly DhcpInput[];
  dns?: readonly DnsInput[];
  http?: readonly HttpInput[];
  /** largest TTL / hop limit each address sent with (HostRow.ttl_max: the fewest hops from its initial value) */
  observedTtl?: ReadonlyMap<string, number>;
  vendorOf?: (mac: string) => string | null;
}

const WEB_PORTS = new Set([80, 443, 8000, 8008, 8080, 8443]);

function scopeOf(ip: string): DeviceProfile['scope'] {
  const c = classifyAddress(ip);
  if (c.is_private) return 'lan';
  if (c.class === 'public') return 'public';
  return c.class;
}

/**
 * The gateway is the MAC that most traffic to and from public addresses passes through: for a flow between a
 * LAN host and a public address, the frame's other MAC is the router's. The gateway's IP is the LAN address that
 * MAC also used (DHCP/DNS/ARP replies from the router), when there is one. Fed flow by flow (with the scopes of
 * its ends, already known to the profiles) during buildDeviceProfiles' pass over the flows.
 */
class GatewayFinder {
  private readonly byMac = new Map<string, { bytes: number; hosts: Set<string> }>();

  add(f: FlowRow, s: DeviceProfile['scope'], d: DeviceProfile['scope']): void {
    if (!f.src_mac || !f.dst_mac) return;
    let mac: string | null = null;
    let host: string | null = null;
    if (s === 'lan' && d === 'public') {
      mac = f.dst_mac;
      host = f.src_ip;
    } else if (s === 'public' && d === 'lan') {
      mac = f.src_mac;
      host = f.dst_ip;
    }
    if (!mac || !host) return;
    let e = this.byMac.get(mac);
    if (!e) this.byMac.set(mac, (e = { bytes: 0, hosts: new Set() }));
    e.bytes += f.bytes_fwd + f.bytes_rev;
    e.hosts.add(host);
  }

  best(): { mac: string; bytes: number; hosts: number } | null {
    let best: { mac: string; bytes: number; hosts: number } | null = null;
    for (const [mac, e] of [...this.byMac].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (!best || e.bytes > best.bytes) best = { mac, bytes: e.bytes, hosts: e.hosts.size };
    }
    return best;
  }
}

/** Device profiles of every address, by address, in no particular order. */
export function deviceProfilesByIp(input: DeviceProfileInput): Map<string, DeviceProfile> {
  const profiles = new Map<string, DeviceProfile>();
  const get = (ip: string): DeviceProfile => {
    let p = profiles.get(ip);
    if (!p) {
      p = {
        ip,
        macs: [],
        vendor: null,
        os_hints: [],
        os_guess: null,
        roles: [],
        scope: scopeOf(ip),
        role_evidence: {},
      };
      profiles.set(ip, p);
    }
    return p;
  };
  const addMac = (ip: string, mac: string | null): DeviceProfile => {
    const p = get(ip);
    // A public address "has" the router's MAC on a LAN capture: only LAN hosts keep their MACs.
    if (mac && p.scope === 'lan' && !p.macs.includes(mac) && p.macs.length < 16) p.macs.push(mac);
    return p;
  };
  const answered = new Map<string, Map<number, number>>(); // server ip -> port -> flows answered
  const gateway = new GatewayFinder();
  // profiles that sent a flow: the ones the "client" role is given to when no other role is theirs
  const senders = new Set<DeviceProfile>();
  // one look-up of each end per flow: MACs, the gateway's traffic (from the ends' scopes) and the senders
  for (const f of input.flows) {
    const src = addMac(f.src_ip, f.src_mac);
    const dst = addMac(f.dst_ip, f.dst_mac);
    senders.add(src);
    gateway.add(f, src.scope, dst.scope);
    if (f.packets_rev > 0 && f.dst_port !== null) {
      let m = answered.get(f.dst_ip);
      if (!m) answered.set(f.dst_ip, (m = new Map()));
      m.set(f.dst_port, (m.get(f.dst_port) ?? 0) + 1);
    }
  }
  const gw = gateway.best();
  if (gw) {
    for (const p of profiles.values()) {
      if (p.macs.includes(gw.mac)) {
        p.roles.push('gateway');
        p.role_evidence['gateway'] =
          `its MAC ${gw.mac} carried ${gw.bytes} bytes of traffic between ${gw.hosts} LAN host(s) and public addresses`;
      }
    }
  }
  const dnsServers = new Map<string, string>();
  const responses = new Map<string, number>();
  for (const d of input.dns ?? []) {
    if (d.proto === 'dns' && d.rcode !== null)
      responses.set(d.server_ip, (responses.get(d.server_ip) ?? 0) + 1);
  }
  for (const [ip, n] of responses) dnsServers.set(ip, `answered ${n} DNS quer${n === 1 ? 'y' : 'ies'}`);
  for (const [ip, ports] of answered) {
    const n53 = ports.get(53) ?? 0;
    if (n53 > 0 && !dnsServers.has(ip)) dnsServers.set(ip, `answered ${n53} flow(s) on port 53`);
  }
  for (const [ip, why] of dnsServers) {
    const p = get(ip);
    p.roles.push('dns_server');
    p.role_evidence['dns_server'] = why;
  }
  const dhcpServers = new Map<string, number>();
  for (const d of input.dhcp ?? []) {
    if (
      d.msg_type === 'OFFER' ||
      d.msg_type === 'ACK' ||
      d.msg_type === 'NAK' ||
      d.msg_type === 'ADVERTISE' ||
      d.msg_type === 'REPLY'
    ) {
      const ip = d.server_id ?? d.server_ip;
      dhcpServers.set(ip, (dhcpServers.get(ip) ?? 0) + 1);
    }
  }
  for (const [ip, n] of dhcpServers) {
    const p = get(ip);
    p.roles.push('dhcp_server');
    p.role_evidence['dhcp_server'] = `sent ${n} DHCP offer/ack message(s)`;
  }
  for (const [ip, ports] of answered) {
    const web = [...ports].filter(([port]) => WEB_PORTS.has(port));
    if (!web.length) continue;
    const p = get(ip);
    p.roles.push('web_server');
    p.role_evidence['web_server'] =
      `answered ${web.reduce((a, [, n]) => a + n, 0)} connection(s) on port(s) ${web.map(([port]) => port).join(', ')}`;
  }
  for (const p of senders) if (p.roles.length === 0) p.roles.push('client');
  // OS hints
  for (const [ip, ttl] of input.observedTtl ?? []) {
    const h = ttlHint(ttl);
    if (h) get(ip).os_hints.push(h);
  }
  const byMac = new Map<string, string[]>();
  for (const p of profiles.values()) {
    for (const m of p.macs) {
      const ips = byMac.get(m);
      if (ips) ips.push(p.ip);
      else byMac.set(m, [p.ip]);
    }
  }
  for (const d of input.dhcp ?? []) {
    const h = dhcpHint(d.param_request_list, d.vendor_class);
    if (!h) continue;
    const ips = new Set<string>();
    for (const ip of [d.assigned_ip, d.requested_ip, d.client_ip !== '0.0.0.0' ? d.client_ip : null])
      if (ip) ips.add(ip);
    if (d.client_mac) for (const ip of byMac.get(d.client_mac) ?? []) ips.add(ip);
    for (const ip of ips) {
      const p = get(ip);
      if (!p.os_hints.some((x) => x.source === 'dhcp' && x.os === h.os)) p.os_hints.push(h);
    }
  }
  for (const r of input.http ?? []) {
    const h = userAgentHint(r.user_agent);
    if (!h) continue;
    const p = get(r.client_ip);
    if (!p.os_hints.some((x) => x.source === 'http' && x.os === h.os) && p.os_hints.length < 16)
      p.os_hints.push(h);
  }
  for (const p of profiles.values()) {
    p.vendor = p.macs.map((m) => input.vendorOf?.(m) ?? null).find((v) => v !== null) ?? null;
    p.os_guess = guess(p.os_hints);
    p.roles.sort();
  }
  return profiles;
}

/** Device profiles of every address, ordered by address. */
export function buildDeviceProfiles(input: DeviceProfileInput): DeviceProfile[] {
  return [...deviceProfilesByIp(input).values()].sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/** DHCP and User-Agent name a family; TTL only splits Unix-like from Windows, so it breaks ties only. */
function guess(hints: OsHint[]): string | null {
  const strong = hints.filter((h) => h.source !== 'ttl');
  const pool = strong.length ? strong : hints;
  const counts = new Map<string, number>();
  for (const h of pool) counts.set(h.os, (counts.get(h.os) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [os, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (c > n) {
      best = os;
      n = c;
    }
  }
  return best;
}
