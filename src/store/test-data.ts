/**
 * A synthetic but realistic capture for the store tests: a small office network (IPv4 and IPv6 clients,
 * a resolver, web and TLS servers, a multicast talker, ARP), its flows, the packets of each flow, hosts
 * derived from the flows, and dns/http/tls rows. Deterministic (seeded), and some text fields carry SQL
 * injection attempts so that filters on them must bind values, never paste them.
 */
import type { DnsRow, HttpRow, TlsRow } from '../shared/app-rows.js';
import { ipKey } from '../shared/filter/ip-key.js';
import { nsToIso } from '../shared/filter/time-bound.js';
import type { FlowRow } from '../shared/rows.js';
import type { PacketIndexInput, StoredHostRow } from '../shared/store-rows.js';

export const INJECTIONS = [
  "x'; DROP TABLE flows; --",
  "' OR '1'='1",
  '"); DELETE FROM packets; --',
  "\\'; SELECT pg_sleep(5); --",
  'a\u0000b',
  '$1',
];

export interface SyntheticCapture {
  flows: FlowRow[];
  packets: PacketIndexInput[];
  hosts: StoredHostRow[];
  dns: DnsRow[];
  http: HttpRow[];
  tls: TlsRow[];
  startNs: bigint;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticCapture(nFlows = 240, seed = 7): SyntheticCapture {
  const rand = rng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const startNs = 1714564800_000000000n; // 2024-05-01T12:00:00Z
  const clients4 = ['10.0.0.11', '10.0.0.12', '10.0.0.13', '10.0.1.20', '192.168.7.5'];
  const clients6 = ['2001:db8::11', '2001:db8::12'];
  const servers = [
    { ip: '93.184.216.34', port: 80, app: 'http' },
    { ip: '93.184.216.35', port: 443, app: 'tls' },
    { ip: '2001:db8:0:1::443', port: 443, app: 'tls' },
    { ip: '10.0.0.53', port: 53, app: 'dns' },
    { ip: '198.51.100.7', port: 8080, app: null },
  ];
  const macOf = (ip: string) =>
    `02:00:00:00:${(ip.length % 200).toString(16).padStart(2, '0')}:${ip.split(/[.:]/).pop()!.slice(-2).padStart(2, '0')}`;
  const flows: FlowRow[] = [];
  const packets: PacketIndexInput[] = [];
  const dns: DnsRow[] = [];
  const http: HttpRow[] = [];
  const tls: TlsRow[] = [];
  let t = startNs;
  const pending: { ts: bigint; len: number; flow: number; proto: string }[] = [];
  for (let id = 1; id <= nFlows; id++) {
    t += BigInt(Math.floor(rand() * 2_000_000_000)); // up to 2 s between flow starts
    const kind = rand();
    let f: FlowRow;
    const base = {
      id,
      vlan: rand() < 0.1 ? 42 : null,
      app_source: null as string | null,
      tcp_flags: null as string | null,
      tcp_state: null as string | null,
      community_id: null as string | null,
      tunnel_depth: 0,
    };
    if (kind < 0.05) {
      // ARP: non-IP, addresses are MACs
      const a = pick(clients4);
      f = {
        ...base,
        proto: 'arp',
        ip_version: 0,
        ip_proto: 0x0806,
        src_ip: macOf(a),
        src_port: null,
        dst_ip: 'ff:ff:ff:ff:ff:ff',
        dst_port: null,
        src_mac: macOf(a),
        dst_mac: 'ff:ff:ff:ff:ff:ff',
        app: null,
      } as FlowRow;
    } else if (kind < 0.12) {
      const a = pick(clients4);
      f = {
        ...base,
        proto: 'udp',
        ip_version: 4,
        ip_proto: 17,
        src_ip: a,
        src_port: 5353,
        dst_ip: '224.0.0.251',
        dst_port: 5353,
        src_mac: macOf(a),
        dst_mac: '01:00:5e:00:00:fb',
        app: 'mdns',
      } as FlowRow;
    } else {
      const s = pick(servers);
      const six = s.ip.includes(':');
      const c = six ? pick(clients6) : pick(clients4);
      const udp = s.app === 'dns';
      f = {
        ...base,
        proto: udp ? 'udp' : 'tcp',
        ip_version: six ? 6 : 4,
        ip_proto: udp ? 17 : 6,
        src_ip: c,
        src_port: 40000 + Math.floor(rand() * 20000),
        dst_ip: s.ip,
        dst_port: s.port,
        src_mac: macOf(c),
        dst_mac: six ? null : '02:00:00:00:00:01',
        app: rand() < 0.03 ? pick(INJECTIONS) : s.app,
        app_source: s.app ? 'port' : null,
        tcp_flags: udp ? null : 'SAF',
        tcp_state: udp ? null : pick(['closed', 'established', 'reset']),
      } as FlowRow;
    }
    const nf = 1 + Math.floor(rand() * 12);
    const nr = f.proto === 'arp' || f.dst_ip === '224.0.0.251' ? 0 : Math.floor(rand() * 12);
    let bf = 0;
    let br = 0;
    let pt = t;
    for (let k = 0; k < nf + nr; k++) {
      const len = 60 + Math.floor(rand() * 1400);
      if (k < nf) bf += len;
      else br += len;
      pt += BigInt(Math.floor(rand() * 300_000_000));
      pending.push({ ts: pt, len, flow: id, proto: f.app && !INJECTIONS.includes(f.app) ? f.app : f.proto });
    }
    const last = pt;
    f.packets_fwd = nf;
    f.bytes_fwd = bf;
    f.packets_rev = nr;
    f.bytes_rev = br;
    f.first_ts = nsToIso(t);
    f.last_ts = nsToIso(last);
    f.duration = Number(last - t) / 1e9;
    flows.push(shapeFlow(f));
    const head = {
      flow_id: id,
      ts: f.first_ts,
      packet: 0,
      client_ip: f.src_ip,
      client_port: f.src_port,
      server_ip: f.dst_ip,
      server_port: f.dst_port,
    };
    if (f.app === 'dns') {
      dns.push({
        ...head,
        proto: 'dns',
        transport: 'udp',
        trans_id: Math.floor(rand() * 65536),
        query_name:
          rand() < 0.1
            ? pick(INJECTIONS)
            : pick(['example.com', 'evil.example.net', 'corp.local', 'ntp.org']),
        query_type: pick(['A', 'AAAA', 'TXT']),
        query_class: 'IN',
        rcode: rand() < 0.2 ? 'NXDOMAIN' : 'NOERROR',
        has_query: true,
        has_response: rand() < 0.9,
        questions: ['example.com A'],
        answers: rand() < 0.5 ? ['A 93.184.216.34'] : [],
        ttl: rand() < 0.5 ? 300 : null,
        rtt: 0.012,
        flags: 'RD RA',
      });
    } else if (f.app === 'http') {
      http.push({
        ...head,
        method: pick(['GET', 'POST']),
        host: rand() < 0.1 ? pick(INJECTIONS) : pick(['example.com', 'update.vendor.test']),
        uri: '/index.html',
        version: 'HTTP/1.1',
        user_agent: 'curl/8.0',
        referer: null,
        status: pick([200, 404, 301]),
        reason: 'OK',
        request_content_type: null,
        response_content_type: 'text/html',
        request_body_len: null,
        response_body_len: 1234,
        server: 'nginx',
        has_cookie: rand() < 0.5,
        has_set_cookie: false,
        auth_user: null,
      });
    } else if (f.app === 'tls') {
      tls.push({
        ...head,
        carrier: 'tls',
        client_version: 'TLS 1.3',
        version: 'TLS 1.3',
        server_name: pick(['example.com', 'cdn.example.com', null]),
        alpn: pick([['h2', 'http/1.1'], ['http/1.1'], []]),
        cipher: '0x1301',
        ja3: 'e7d705a3286e19ea42f587b344ee6865',
        ja3_string: null,
        ja3s: null,
        ja3s_string: null,
        ja4: null,
        cert_subject: null,
        cert_issuer: null,
        cert_serial: null,
        cert_not_before: null,
        cert_not_after: '9999-12-31T23:59:59.000000Z',
        cert_san: [],
        cert_self_signed: null,
        cert_sha256: null,
        cert_chain_len: 0,
      });
    }
  }
  pending.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.flow - b.flow));
  let offset = 24;
  pending.forEach((p, i) => {
    packets.push({
      n: i + 1,
      ts: nsToIso(p.ts),
      file_index: 0,
      file_offset: offset,
      caplen: Math.min(p.len, 1500),
      len: p.len,
      flow_id: p.flow,
      protocol: p.proto,
    });
    offset += 16 + Math.min(p.len, 1500);
  });
  return { flows, packets, hosts: hostsOf(flows), dns, http, tls, startNs };
}

/** A fresh object in FlowRow order, as the engine builds rows: V8 keeps such objects fast, unlike ones grown field by field. */
function shapeFlow(f: FlowRow): FlowRow {
  return {
    id: f.id,
    proto: f.proto,
    ip_version: f.ip_version,
    ip_proto: f.ip_proto,
    src_ip: f.src_ip,
    src_port: f.src_port,
    dst_ip: f.dst_ip,
    dst_port: f.dst_port,
    src_mac: f.src_mac,
    dst_mac: f.dst_mac,
    vlan: f.vlan,
    packets_fwd: f.packets_fwd,
    bytes_fwd: f.bytes_fwd,
    packets_rev: f.packets_rev,
    bytes_rev: f.bytes_rev,
    first_ts: f.first_ts,
    last_ts: f.last_ts,
    duration: f.duration,
    app: f.app,
    app_source: f.app_source,
    tcp_flags: f.tcp_flags,
    tcp_state: f.tcp_state,
    community_id: f.community_id,
    tunnel_depth: f.tunnel_depth,
  };
}

function hostsOf(flows: FlowRow[]): StoredHostRow[] {
  const m = new Map<string, StoredHostRow & { peerSet: Set<string> }>();
  const get = (ip: string, ts: string) => {
    let h = m.get(ip);
    if (!h) {
      const kind = ipKey(ip) === null ? 'mac' : ip.includes(':') ? 'ipv6' : 'ipv4';
      h = {
        ip,
        kind,
        macs: [],
        names: ip === '93.184.216.34' ? [{ name: 'example.com', source: 'dns' }] : [],
        packets_sent: 0,
        bytes_sent: 0,
        packets_recv: 0,
        bytes_recv: 0,
        peers: 0,
        server_ports: [],
        first_ts: ts,
        last_ts: ts,
        country: ip.startsWith('93.') ? 'US' : null,
        is_private: ip.startsWith('10.') || ip.startsWith('192.168.'),
        peerSet: new Set(),
      };
      m.set(ip, h);
    }
    return h;
  };
  for (const f of flows) {
    const s = get(f.src_ip, f.first_ts);
    const d = get(f.dst_ip, f.first_ts);
    s.packets_sent += f.packets_fwd;
    s.bytes_sent += f.bytes_fwd;
    s.packets_recv += f.packets_rev;
    s.bytes_recv += f.bytes_rev;
    d.packets_sent += f.packets_rev;
    d.bytes_sent += f.bytes_rev;
    d.packets_recv += f.packets_fwd;
    d.bytes_recv += f.bytes_fwd;
    s.peerSet.add(f.dst_ip);
    d.peerSet.add(f.src_ip);
    if (f.src_mac && !s.macs.includes(f.src_mac)) s.macs.push(f.src_mac);
    if (f.dst_port !== null && f.packets_rev > 0 && !d.server_ports.includes(f.dst_port))
      d.server_ports.push(f.dst_port);
    for (const h of [s, d]) {
      if (f.first_ts < h.first_ts) h.first_ts = f.first_ts;
      if (f.last_ts > h.last_ts) h.last_ts = f.last_ts;
    }
  }
  return [...m.values()].map(({ peerSet, ...h }) => ({ ...h, peers: peerSet.size }));
}
