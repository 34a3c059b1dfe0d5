/**
 * Port scans (one source, many ports on one host) and host sweeps (one source, many hosts on one port), counted
 * over probes only: TCP attempts that carried no data and were refused (RST) or never answered, UDP datagrams that
 * got no reply, and ICMP echo to many hosts. Browsing opens many connections too, but they carry data.
 */
import type { FlowRow } from '../../shared/rows.js';
import { classifyAddress } from '../../enrich/address-class.js';
import { clamp01, flowIds, isoSeconds, minMaxTs, plural, round, type AlertDraft } from '../alert.js';
import type { AnalysisConfig } from '../config.js';
import { groupMac } from './beaconing.js';

/** True for a flow that looks like a probe rather than a conversation. */
export function isProbe(f: FlowRow): boolean {
  if (f.proto === 'tcp') {
    const flags = f.tcp_flags;
    if (flags === null) return f.packets_rev === 0;
    if (flags.includes('P')) return false;
    return f.packets_rev === 0 || flags.includes('R');
  }
  if (f.proto === 'udp') return f.packets_rev === 0;
  return false;
}

function unicastTarget(f: FlowRow): boolean {
  const c = classifyAddress(f.dst_ip).class;
  return (
    c !== 'multicast' && c !== 'broadcast' && c !== 'unspecified' && c !== 'invalid' && !groupMac(f.dst_mac)
  );
}

interface Attempt {
  t: number;
  value: string | number;
  flow: FlowRow;
}

/** Largest number of distinct values inside any window of `w` seconds; attempts sorted by time. */
export function maxDistinctInWindow(
  attempts: readonly Attempt[],
  w: number,
): { max: number; from: number; to: number } {
  const counts = new Map<string | number, number>();
  let best = { max: 0, from: 0, to: 0 };
  let left = 0;
  for (let right = 0; right < attempts.length; right++) {
    const a = attempts[right]!;
    counts.set(a.value, (counts.get(a.value) ?? 0) + 1);
    while (a.t - attempts[left]!.t > w) {
      const v = attempts[left]!.value;
      const n = counts.get(v)! - 1;
      if (n === 0) counts.delete(v);
      else counts.set(v, n);
      left++;
    }
    if (counts.size > best.max) best = { max: counts.size, from: left, to: right };
  }
  return best;
}

function group<K>(flows: readonly FlowRow[], keyOf: (f: FlowRow) => K | null): Map<K, FlowRow[]> {
  const m = new Map<K, FlowRow[]>();
  for (const f of flows) {
    const k = keyOf(f);
    if (k === null) continue;
    let g = m.get(k);
    if (!g) m.set(k, (g = []));
    g.push(f);
  }
  return m;
}

function attemptsOf(flows: FlowRow[], value: (f: FlowRow) => string | number): Attempt[] {
  return flows
    .map((f) => ({ t: isoSeconds(f.first_ts), value: value(f), flow: f }))
    .sort((a, b) => a.t - b.t || a.flow.id - b.flow.id);
}

function scoreFor(count: number, threshold: number): number {
  return round(clamp01(0.5 + (0.5 * (count - threshold)) / threshold));
}

export function detectPortScans(flows: readonly FlowRow[], cfg: AnalysisConfig): AlertDraft[] {
  const out: AlertDraft[] = [];
  const probes = flows.filter(
    (f) => (f.proto === 'tcp' || f.proto === 'udp') && f.dst_port !== null && isProbe(f) && unicastTarget(f),
  );
  const groups = group(probes, (f) => `${f.proto}|${f.src_ip}|${f.dst_ip}`);
  for (const [key, g] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const proto = g[0]!.proto;
    const threshold = proto === 'udp' ? cfg.portScan.minUdpPorts : cfg.portScan.minPorts;
    // a window holds at most as many distinct ports as the group has probes
    if (g.length < threshold) continue;
    const attempts = attemptsOf(g, (f) => f.dst_port!);
    const win = maxDistinctInWindow(attempts, cfg.portScan.windowSeconds);
    if (win.max < threshold) continue;
    const ports = [...new Set(g.map((f) => f.dst_port!))].sort((a, b) => a - b);
    const unanswered = g.filter((f) => f.packets_rev === 0).length;
    const src = g[0]!.src_ip;
    const dst = g[0]!.dst_ip;
    const windowSpan = attempts[win.to]!.t - attempts[win.from]!.t;
    out.push({
      key: `port_scan|${key}`,
      kind: 'port_scan',
      severity: win.max >= 4 * threshold ? 'high' : 'medium',
      score: scoreFor(win.max, threshold),
      heuristic: true,
      ...minMaxTs(g),
      hosts: [src, dst],
      ...flowIds(
        g.map((f) => f.id),
        cfg.maxFlowIdsPerAlert,
      ),
      explanation: `${src} probed ${plural(ports.length, `${proto.toUpperCase()} port`)} on ${dst} (${win.max} within ${round(windowSpan, 1)} s) without exchanging data.`,
      evidence: {
        proto,
        distinct_ports: ports.length,
        max_ports_in_window: win.max,
        window_seconds: cfg.portScan.windowSeconds,
        probes: g.length,
        unanswered,
        refused_or_reset: g.length - unanswered,
        ports_sample: ports.slice(0, 50),
      },
      rule: `port_scan: >= ${threshold} distinct ${proto.toUpperCase()} ports probed on one host (no data; ${proto === 'tcp' ? 'no answer or reset' : 'no reply'}) within ${cfg.portScan.windowSeconds} s`,
    });
  }
  return out;
}

export function detectHostSweeps(flows: readonly FlowRow[], cfg: AnalysisConfig): AlertDraft[] {
  const out: AlertDraft[] = [];
  // the target's class last: the cheap tests on the flow's own fields turn most flows away first
  const candidates = flows.filter(
    (f) =>
      (f.proto === 'icmp' ||
        f.proto === 'icmpv6' ||
        ((f.proto === 'tcp' || f.proto === 'udp') && f.dst_port !== null && isProbe(f))) &&
      unicastTarget(f),
  );
  const groups = group(candidates, (f) =>
    f.proto === 'icmp' || f.proto === 'icmpv6'
      ? `${f.proto}|${f.src_ip}|echo`
      : `${f.proto}|${f.src_ip}|${f.dst_port}`,
  );
  for (const [key, g] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const proto = g[0]!.proto;
    const icmp = proto === 'icmp' || proto === 'icmpv6';
    const threshold = icmp ? cfg.hostSweep.minIcmpHosts : cfg.hostSweep.minHosts;
    // a window holds at most as many distinct hosts as the group has attempts
    if (g.length < threshold) continue;
    const attempts = attemptsOf(g, (f) => f.dst_ip);
    const win = maxDistinctInWindow(attempts, cfg.hostSweep.windowSeconds);
    if (win.max < threshold) continue;
    const hosts = [...new Set(g.map((f) => f.dst_ip))].sort();
    const src = g[0]!.src_ip;
    const port = icmp ? null : g[0]!.dst_port;
    const what = icmp ? `${proto.toUpperCase()} echo` : `${proto.toUpperCase()} port ${port}`;
    const answered = g.filter((f) => f.packets_rev > 0).length;
    out.push({
      key: `host_sweep|${key}`,
      kind: 'host_sweep',
      severity: win.max >= 4 * threshold ? 'high' : 'medium',
      score: scoreFor(win.max, threshold),
      heuristic: true,
      ...minMaxTs(g),
      hosts: [src, ...hosts.slice(0, 50)],
      ...flowIds(
        g.map((f) => f.id),
        cfg.maxFlowIdsPerAlert,
      ),
      explanation: `${src} tried ${what} on ${plural(hosts.length, 'host')} (${win.max} within ${cfg.hostSweep.windowSeconds} s)${icmp ? '' : ' without exchanging data'}.`,
      evidence: {
        proto,
        port,
        distinct_hosts: hosts.length,
        max_hosts_in_window: win.max,
        window_seconds: cfg.hostSweep.windowSeconds,
        attempts: g.length,
        answered,
      },
      rule: icmp
        ? `host_sweep: >= ${threshold} distinct hosts sent ICMP echo within ${cfg.hostSweep.windowSeconds} s`
        : `host_sweep: >= ${threshold} distinct hosts probed on one port (no data; no answer or reset) within ${cfg.hostSweep.windowSeconds} s`,
    });
  }
  return out;
}
