import { isoToNs } from '../../shared/filter/time-bound.js';

/**
 * Host rows of one capture written by several ingest jobs, summed into one row per address. Jobs split the
 * capture by conversation (sorted endpoint pair), so the peers a host has in one job are never its peers in
 * another: peer counts add up. MACs keep the order a single reader finds them in (by the frame where each
 * was first seen), at most 16 as the host table keeps.
 */
export interface StagedHost {
  job: number;
  /** frame number where each of row.macs was first seen, same order */
  macFirst: number[];
  row: Record<string, unknown>;
}

const MAX_MACS = 16;
const SUMS = ['packets_sent', 'bytes_sent', 'packets_recv', 'bytes_recv', 'peers'] as const;

function earlier(a: unknown, b: unknown, min: boolean): unknown {
  if (a === null || a === undefined) return b;
  if (b === null || b === undefined) return a;
  const x = isoToNs(String(a)) ?? 0n;
  const y = isoToNs(String(b)) ?? 0n;
  return (min ? y < x : y > x) ? b : a;
}

function extreme(a: unknown, b: unknown, pick: (x: number, y: number) => number): unknown {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return pick(Number(a), Number(b));
}

export function mergeHostRows(parts: readonly StagedHost[]): Record<string, unknown>[] {
  const byIp = new Map<string, { row: Record<string, unknown>; macs: Map<string, number> }>();
  const sorted = [...parts].sort((a, b) => a.job - b.job);
  for (const p of sorted) {
    const ip = String(p.row.ip);
    const macs = (p.row.macs as string[] | null) ?? [];
    const cur = byIp.get(ip);
    if (!cur) {
      const m = new Map<string, number>();
      macs.forEach((x, i) => m.set(x, p.macFirst[i] ?? Number.MAX_SAFE_INTEGER));
      byIp.set(ip, { row: { ...p.row }, macs: m });
      continue;
    }
    const r = cur.row;
    for (const k of SUMS) r[k] = Number(r[k] ?? 0) + Number(p.row[k] ?? 0);
    r.first_ts = earlier(r.first_ts, p.row.first_ts, true);
    r.last_ts = earlier(r.last_ts, p.row.last_ts, false);
    macs.forEach((x, i) => {
      const n = p.macFirst[i] ?? Number.MAX_SAFE_INTEGER;
      if (!cur.macs.has(x) || n < cur.macs.get(x)!) cur.macs.set(x, n);
    });
    const ports = new Set<number>([
      ...((r.server_ports as number[] | null) ?? []),
      ...((p.row.server_ports as number[] | null) ?? []),
    ]);
    r.server_ports = [...ports].sort((a, b) => a - b);
    const names = [...((r.names as unknown[] | null) ?? [])];
    for (const n of (p.row.names as unknown[] | null) ?? [])
      if (!names.some((x) => JSON.stringify(x) === JSON.stringify(n))) names.push(n);
    r.names = names;
    if (r.tags || p.row.tags)
      r.tags = [...new Set([...((r.tags as string[]) ?? []), ...((p.row.tags as string[]) ?? [])])];
    // each job saw some of the host's packets: the TTL range is the union of theirs
    r.ttl_min = extreme(r.ttl_min, p.row.ttl_min, Math.min);
    r.ttl_max = extreme(r.ttl_max, p.row.ttl_max, Math.max);
    for (const k of ['vendor', 'country', 'city', 'lat', 'lon', 'asn', 'as_org', 'is_private'])
      if (r[k] === null || r[k] === undefined) r[k] = p.row[k] ?? null;
  }
  return [...byIp.values()].map(({ row, macs }) => {
    if (macs.size || Array.isArray(row.macs))
      row.macs = [...macs.entries()]
        .sort((a, b) => a[1] - b[1])
        .slice(0, MAX_MACS)
        .map(([m]) => m);
    return row;
  });
}
