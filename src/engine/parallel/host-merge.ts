/**
 * Partial host rows of shards summed into one row per address, listed in the order a single reader's host
 * table lists them (where each host was first seen: frame, IP layer, source before destination). Shards split
 * the capture by conversation (endpoint pair), so the peers a host has in one shard are never its peers in
 * another: peer counts add up. MACs keep the order they were first seen in, at most 16 as the host table keeps.
 */
import type { HostRow } from '../../shared/rows.js';
import { compareKeys } from './shard-merge.js';

export interface ShardHosts {
  rows: HostRow[];
  /** frame where each of a row's macs was first seen */
  macFirst: number[][];
  /** where each row's host was first seen */
  firstKeys: number[][];
}

const MAX_MACS = 16;

function min(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return Math.min(a, b);
}

function max(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return Math.max(a, b);
}

/** ISO-8601 times of one capture have the same shape (isoTime), so they compare as strings. */
const earlier = (a: string, b: string) => (b < a ? b : a);
const later = (a: string, b: string) => (b > a ? b : a);

export function mergeShardHosts(shards: readonly ShardHosts[]): HostRow[] {
  const byIp = new Map<string, { row: HostRow; key: number[]; macs: Map<string, number> }>();
  for (const sh of shards) {
    sh.rows.forEach((h, i) => {
      const key = sh.firstKeys[i] ?? [];
      const firsts = sh.macFirst[i] ?? [];
      const cur = byIp.get(h.ip);
      if (!cur) {
        const macs = new Map<string, number>();
        h.macs.forEach((m, j) => macs.set(m, firsts[j] ?? Number.MAX_SAFE_INTEGER));
        byIp.set(h.ip, { row: { ...h }, key, macs });
        return;
      }
      const r = cur.row;
      if (compareKeys(key, cur.key) < 0) cur.key = key;
      r.packets_sent += h.packets_sent;
      r.bytes_sent += h.bytes_sent;
      r.packets_recv += h.packets_recv;
      r.bytes_recv += h.bytes_recv;
      r.peers += h.peers;
      r.first_ts = earlier(r.first_ts, h.first_ts);
      r.last_ts = later(r.last_ts, h.last_ts);
      h.macs.forEach((m, j) => {
        const at = firsts[j] ?? Number.MAX_SAFE_INTEGER;
        const was = cur.macs.get(m);
        if (was === undefined || at < was) cur.macs.set(m, at);
      });
      if (h.server_ports.length)
        r.server_ports = [...new Set([...r.server_ports, ...h.server_ports])].sort((a, b) => a - b);
      for (const nm of h.names)
        if (!r.names.some((x) => JSON.stringify(x) === JSON.stringify(nm))) r.names.push(nm);
      if ('ttl_min' in h || 'ttl_min' in r) {
        r.ttl_min = min(r.ttl_min, h.ttl_min);
        r.ttl_max = max(r.ttl_max, h.ttl_max);
      }
    });
  }
  const merged = [...byIp.values()].sort((a, b) => compareKeys(a.key, b.key));
  return merged.map(({ row, macs }) => {
    row.macs = [...macs.entries()]
      .sort((a, b) => a[1] - b[1])
      .slice(0, MAX_MACS)
      .map(([m]) => m);
    return row;
  });
}
