/**
 * Beaconing: a host connecting to the same destination again and again at a steady rhythm with steady sizes, as
 * implants checking in do. Each flow is one connection (its first_ts is the start). Scored, not proven: software
 * updaters and push clients beacon too, so the alert says how regular and how often.
 */
import type { FlowRow } from '../../shared/rows.js';
import { classifyAddress } from '../../enrich/address-class.js';
import { clamp01, flowIds, isoSeconds, minMaxTs, round, type AlertDraft } from '../alert.js';
import type { AnalysisConfig } from '../config.js';

/** Value of a hex digit's character code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** I/G bit of the destination MAC: broadcast (also subnet-directed, e.g. 172.17.255.255) and multicast frames. */
export function groupMac(mac: string | null): boolean {
  if (!mac) return false;
  // the usual "xx:..." form: the second hex digit's low bit, without a slice and parseInt per flow
  const d = mac.length >= 2 ? hexDigit(mac.charCodeAt(0)) : -1;
  const e = d >= 0 ? hexDigit(mac.charCodeAt(1)) : -1;
  if (e >= 0) return (e & 1) === 1;
  const b = parseInt(mac.slice(0, 2), 16);
  return Number.isFinite(b) && (b & 1) === 1;
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation around the median. */
export function mad(xs: readonly number[], m = median(xs)): number {
  return median(xs.map((x) => Math.abs(x - m)));
}

export interface BeaconStats {
  connections: number;
  period: number;
  interval_jitter: number;
  size_median: number;
  size_spread: number;
  interval_score: number;
  size_score: number;
  score: number;
}

export function beaconStats(
  starts: readonly number[],
  sizes: readonly number[],
  cfg: AnalysisConfig['beaconing'],
): BeaconStats {
  const intervals: number[] = [];
  for (let i = 1; i < starts.length; i++) intervals.push(starts[i]! - starts[i - 1]!);
  const period = median(intervals);
  const jitter = period > 0 ? mad(intervals, period) / period : Infinity;
  const sm = median(sizes);
  const spread = sm > 0 ? mad(sizes, sm) / sm : 0;
  const intervalScore = clamp01(1 - jitter / cfg.jitterZero);
  const sizeScore = clamp01(1 - spread / cfg.sizeSpreadZero);
  return {
    connections: starts.length,
    period,
    interval_jitter: jitter,
    size_median: sm,
    size_spread: spread,
    interval_score: intervalScore,
    size_score: sizeScore,
    score: cfg.intervalWeight * intervalScore + (1 - cfg.intervalWeight) * sizeScore,
  };
}

export function detectBeaconing(flows: readonly FlowRow[], cfg: AnalysisConfig): AlertDraft[] {
  const c = cfg.beaconing;
  const groups = new Map<string, FlowRow[]>();
  for (const f of flows) {
    if (f.proto !== 'tcp' && f.proto !== 'udp') continue;
    const cls = classifyAddress(f.dst_ip).class;
    if (cls === 'multicast' || cls === 'broadcast' || cls === 'invalid' || groupMac(f.dst_mac)) continue;
    const k = `${f.proto}|${f.src_ip}|${f.dst_ip}|${f.dst_port}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(f);
  }
  const out: AlertDraft[] = [];
  // only groups with enough connections are sorted (most pairs connect once or twice)
  const busy = [...groups].filter(([, group]) => group.length >= c.minConnections);
  for (const [key, group] of busy.sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    // each start time parsed once, not twice per comparison
    const timed = group
      .map((f) => ({ f, t: isoSeconds(f.first_ts) }))
      .sort((a, b) => a.t - b.t || a.f.id - b.f.id);
    const g = timed.map((x) => x.f);
    const st = beaconStats(
      timed.map((x) => x.t),
      g.map((f) => f.bytes_fwd + f.bytes_rev),
      c,
    );
    if (st.period < c.minPeriodSeconds || st.score < c.minScore) continue;
    const f0 = g[0]!;
    out.push({
      key: `beaconing|${key}`,
      kind: 'beaconing',
      severity: st.score >= 0.95 && st.connections >= 2 * c.minConnections ? 'medium' : 'low',
      score: round(st.score),
      heuristic: true,
      ...minMaxTs(g),
      hosts: [f0.src_ip, f0.dst_ip],
      ...flowIds(
        g.map((f) => f.id),
        cfg.maxFlowIdsPerAlert,
      ),
      explanation: `${f0.src_ip} connected to ${f0.dst_ip}:${f0.dst_port}/${f0.proto} ${st.connections} times about every ${round(st.period, 1)} s (interval spread ${round(st.interval_jitter * 100, 1)}%, size spread ${round(st.size_spread * 100, 1)}%).`,
      evidence: {
        connections: st.connections,
        period_seconds: round(st.period, 3),
        interval_jitter: round(st.interval_jitter, 4),
        interval_score: round(st.interval_score),
        size_median_bytes: st.size_median,
        size_spread: round(st.size_spread, 4),
        size_score: round(st.size_score),
      },
      rule: `beaconing: >= ${c.minConnections} connections, median interval >= ${c.minPeriodSeconds} s, score ${c.intervalWeight}*interval + ${round(1 - c.intervalWeight, 2)}*size >= ${c.minScore} (scores reach 0 at ${c.jitterZero * 100}% interval / ${c.sizeSpreadZero * 100}% size spread, MAD/median)`,
    });
  }
  return out;
}
