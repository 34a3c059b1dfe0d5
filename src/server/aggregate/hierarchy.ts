import type { GraphEdge } from '../../store/store.js';

/**
 * Treemap hierarchy network -> /24 -> host -> service, and the chord matrix of the busiest hosts, both from
 * the store's aggregated edges (bytes of an edge count for both of its hosts, as each host saw them).
 */
export interface TreeNode {
  name: string;
  /** bytes; on inner nodes the sum of the children */
  value: number;
  children?: TreeNode[];
}

function v4Parts(ip: string): number[] | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return m ? m.slice(1).map(Number) : null;
}

/** [network, subnet] labels: IPv4 /16 and /24, IPv6 /32 and /64 (by hextets), MACs under "ethernet". */
export function networkOf(addr: string): [string, string] {
  const p = v4Parts(addr);
  if (p) return [`${p[0]}.${p[1]}.0.0/16`, `${p[0]}.${p[1]}.${p[2]}.0/24`];
  if (addr.includes(':') && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(addr)) {
    const [head = ''] = addr.split('::');
    const h = head.split(':').filter(Boolean);
    while (h.length < 4) h.push('0');
    return [`${h.slice(0, 2).join(':')}::/32`, `${h.slice(0, 4).join(':')}::/64`];
  }
  return ['ethernet', 'ethernet'];
}

export function treemapOf(edges: readonly GraphEdge[]): TreeNode {
  // network -> subnet -> host -> service -> bytes
  const tree = new Map<string, Map<string, Map<string, Map<string, number>>>>();
  const add = (host: string, service: string, bytes: number) => {
    const [net, sub] = networkOf(host);
    const subs = tree.get(net) ?? tree.set(net, new Map()).get(net)!;
    const hosts = subs.get(sub) ?? subs.set(sub, new Map()).get(sub)!;
    const svc = hosts.get(host) ?? hosts.set(host, new Map()).get(host)!;
    svc.set(service, (svc.get(service) ?? 0) + bytes);
  };
  for (const e of edges) {
    const service = e.proto === null ? 'other' : e.port === null ? e.proto : `${e.proto}/${e.port}`;
    add(e.src, service, e.bytes);
    if (e.dst !== e.src) add(e.dst, service, e.bytes);
  }
  const sorted = (xs: TreeNode[]) => xs.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : 1));
  const sum = (xs: TreeNode[]) => xs.reduce((s, x) => s + x.value, 0);
  const nets = [...tree].map(([net, subs]) => {
    const subNodes = [...subs].map(([sub, hosts]) => {
      const hostNodes = [...hosts].map(([host, svc]) => {
        const leaves = sorted([...svc].map(([name, value]) => ({ name, value })));
        return { name: host, value: sum(leaves), children: leaves };
      });
      return { name: sub, value: sum(hostNodes), children: sorted(hostNodes) };
    });
    return { name: net, value: sum(subNodes), children: sorted(subNodes) };
  });
  return { name: 'all', value: sum(nets), children: sorted(nets) };
}

export interface ChordOut {
  labels: string[];
  /** symmetric: bytes between i and j both ways */
  matrix: number[][];
  /** true when the last label folds every host beyond the top n */
  has_other: boolean;
}

export function chordOf(edges: readonly GraphEdge[], n: number): ChordOut {
  const total = new Map<string, number>();
  for (const e of edges) {
    total.set(e.src, (total.get(e.src) ?? 0) + e.bytes);
    if (e.dst !== e.src) total.set(e.dst, (total.get(e.dst) ?? 0) + e.bytes);
  }
  const ranked = [...total].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([ip]) => ip);
  const top = ranked.slice(0, Math.max(1, n));
  const hasOther = ranked.length > top.length;
  const index = new Map(top.map((ip, i) => [ip, i]));
  const size = top.length + (hasOther ? 1 : 0);
  const matrix = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const e of edges) {
    const i = index.get(e.src) ?? top.length;
    const j = index.get(e.dst) ?? top.length;
    matrix[i]![j]! += e.bytes;
    if (i !== j) matrix[j]![i]! += e.bytes;
  }
  const labels = [...top];
  if (hasOther) labels.push(`other (${ranked.length - top.length})`);
  return { labels, matrix, has_other: hasOther };
}
