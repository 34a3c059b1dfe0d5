/** Builders of flow and host rows for the view tests (plain data, no capture needed). */
import type { FlowRow, HostRow } from '../shared/rows.js';

let nextId = 1;

export function flowRow(p: Partial<FlowRow> & Pick<FlowRow, 'src_ip' | 'dst_ip'>): FlowRow {
  const v6 = p.src_ip.includes(':') && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(p.src_ip);
  return {
    id: nextId++,
    proto: 'tcp',
    ip_version: v6 ? 6 : 4,
    ip_proto: 6,
    src_port: 40000,
    dst_port: 80,
    src_mac: null,
    dst_mac: null,
    vlan: null,
    packets_fwd: 1,
    bytes_fwd: 100,
    packets_rev: 1,
    bytes_rev: 200,
    first_ts: '2024-01-01T00:00:00.000000Z',
    last_ts: '2024-01-01T00:00:01.000000Z',
    duration: 1,
    app: null,
    app_source: null,
    tcp_flags: null,
    tcp_state: null,
    community_id: null,
    tunnel_depth: 0,
    ...p,
  };
}

export function hostRow(ip: string, names: string[], macs: string[] = []): HostRow {
  return {
    ip,
    kind: ip.includes(':') ? 'ipv6' : 'ipv4',
    macs,
    names: names.map((name) => ({ name, source: 'dns' })),
    packets_sent: 0,
    bytes_sent: 0,
    packets_recv: 0,
    bytes_recv: 0,
    peers: 0,
    server_ports: [],
    first_ts: '2024-01-01T00:00:00.000000Z',
    last_ts: '2024-01-01T00:00:01.000000Z',
  };
}

/** Every kind of hostile text a capture can put into a name. */
export const HOSTILE =
  'q"uo\'te \\back\\slash <script>alert(1)</script> ]]> &amp; a\nb \u001b[31mred\u001b[0m \ud800 --> {x}';
