/** Builders of synthetic rows for the analyses' tests (and the enrichment tests that need flows). */
import type { FlowRow } from '../shared/rows.js';

const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);

/** ISO time `sec` seconds after 2024-01-01T00:00:00Z, microsecond precision. */
export function ts(sec: number): string {
  const ms = Math.floor(sec * 1000);
  const us = Math.round((sec * 1e6) % 1000);
  const d = new Date(T0 + ms).toISOString().slice(0, 23);
  return `${d}${String(us).padStart(3, '0')}Z`;
}

let nextId = 1;

/** A TCP flow answered with data unless overridden. `at` is the start in seconds after T0. */
export function flow(o: Partial<FlowRow> & { at?: number; dur?: number } = {}): FlowRow {
  const at = o.at ?? 0;
  const dur = o.dur ?? 1;
  const { at: _a, dur: _d, ...rest } = o;
  const proto = rest.proto ?? 'tcp';
  return {
    id: nextId++,
    proto,
    ip_version: 4,
    ip_proto: proto === 'udp' ? 17 : proto === 'icmp' ? 1 : 6,
    src_ip: '192.168.1.10',
    src_port: 50000,
    dst_ip: '93.184.216.34',
    dst_port: 443,
    src_mac: '00:11:22:33:44:55',
    dst_mac: '00:00:0c:aa:bb:cc',
    vlan: null,
    packets_fwd: 10,
    bytes_fwd: 1500,
    packets_rev: 10,
    bytes_rev: 9000,
    first_ts: ts(at),
    last_ts: ts(at + dur),
    duration: dur,
    app: null,
    app_source: null,
    tcp_flags: proto === 'tcp' ? 'SAPF' : null,
    tcp_state: proto === 'tcp' ? 'closed' : null,
    community_id: null,
    tunnel_depth: 0,
    ...rest,
  };
}

/** A TCP SYN that got no answer. */
export function synOnly(o: Partial<FlowRow> & { at?: number } = {}): FlowRow {
  return flow({
    packets_fwd: 1,
    bytes_fwd: 60,
    packets_rev: 0,
    bytes_rev: 0,
    tcp_flags: 'S',
    tcp_state: 'syn',
    dur: 0,
    ...o,
  });
}

/** A TCP SYN answered by RST (closed port). */
export function rejected(o: Partial<FlowRow> & { at?: number } = {}): FlowRow {
  return flow({
    packets_fwd: 1,
    bytes_fwd: 60,
    packets_rev: 1,
    bytes_rev: 60,
    tcp_flags: 'SRA',
    tcp_state: 'reset',
    dur: 0,
    ...o,
  });
}
