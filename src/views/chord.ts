/**
 * Chord diagram of the busiest hosts: one arc per host (length = its bytes with the other shown hosts), one
 * ribbon per host pair (width at each end = bytes between the pair). Hosts beyond the top N are folded into
 * one "other" arc so the picture accounts for all traffic. Computed here without d3.
 */
import type { GraphModel } from './graph-types.js';
import { xmlEscape } from './escape.js';
import { humanBytes, num } from './format.js';
import { PALETTE, shorten, svgOpen, svgText } from './svg.js';

export interface ChordData {
  labels: string[];
  /** symmetric: bytes exchanged between i and j (both directions); [i][i] is traffic inside a group */
  matrix: number[][];
  /** true when the last label is the "other" bucket */
  hasOther: boolean;
}

/** Top `n` nodes by bytes (n >= 1), plus "other" when more exist. */
export function chordData(m: GraphModel, n: number): ChordData {
  const ranked = [...m.nodes].sort(
    (x, y) => y.bytes_in + y.bytes_out - (x.bytes_in + x.bytes_out) || (x.id < y.id ? -1 : 1),
  );
  const top = ranked.slice(0, Math.max(1, n));
  const hasOther = ranked.length > top.length;
  const index = new Map<string, number>(top.map((node, i) => [node.id, i]));
  const size = top.length + (hasOther ? 1 : 0);
  const matrix = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const e of m.edges) {
    const i = index.get(e.a) ?? top.length;
    const j = index.get(e.b) ?? top.length;
    const bytes = e.bytes_ab + e.bytes_ba;
    matrix[i]![j]! += bytes;
    if (i !== j) matrix[j]![i]! += bytes;
  }
  const labels = top.map((node) => (node.names[0] ? `${node.label} (${node.names[0]})` : node.label));
  if (hasOther) labels.push(`other (${ranked.length - top.length} nodes)`);
  return { labels, matrix, hasOther };
}

interface Arc {
  start: number;
  end: number;
}

function point(r: number, a: number, c: number): string {
  return `${num(c + r * Math.sin(a))} ${num(c - r * Math.cos(a))}`;
}

function arcPath(r0: number, r1: number, a: Arc, c: number): string {
  const large = a.end - a.start > Math.PI ? 1 : 0;
  return (
    `M${point(r1, a.start, c)}A${num(r1)} ${num(r1)} 0 ${large} 1 ${point(r1, a.end, c)}` +
    `L${point(r0, a.end, c)}A${num(r0)} ${num(r0)} 0 ${large} 0 ${point(r0, a.start, c)}Z`
  );
}

function ribbonPath(r: number, s: Arc, t: Arc, c: number): string {
  const l1 = s.end - s.start > Math.PI ? 1 : 0;
  const l2 = t.end - t.start > Math.PI ? 1 : 0;
  const ctr = `${num(c)} ${num(c)}`;
  return (
    `M${point(r, s.start, c)}A${num(r)} ${num(r)} 0 ${l1} 1 ${point(r, s.end, c)}` +
    `Q${ctr} ${point(r, t.start, c)}A${num(r)} ${num(r)} 0 ${l2} 1 ${point(r, t.end, c)}` +
    `Q${ctr} ${point(r, s.start, c)}Z`
  );
}

export function chordSvg(d: ChordData, size: number, title = 'Traffic between the busiest hosts'): string {
  const n = d.labels.length;
  const c = size / 2;
  const outer = size / 2 - Math.max(90, size * 0.2);
  const inner = outer - 14;
  const totals = d.matrix.map((row) => row.reduce((s, v) => s + v, 0));
  const grand = totals.reduce((s, v) => s + v, 0);
  const parts: string[] = [svgOpen(size, size, title)];
  parts.push(svgText(c, 18, title, { 'text-anchor': 'middle', 'font-size': 13, 'font-weight': 'bold' }));
  if (grand === 0) {
    parts.push(svgText(c, c, 'no traffic to show', { 'text-anchor': 'middle' }));
    return parts.join('') + '</svg>\n';
  }
  const pad = n > 1 ? Math.min(0.04, (Math.PI * 2 * 0.2) / n) : 0;
  const k = (Math.PI * 2 - pad * n) / grand;
  const groups: Arc[] = [];
  const sub: Arc[][] = [];
  let a = 0;
  for (let i = 0; i < n; i++) {
    const g: Arc = { start: a, end: a };
    const row: Arc[] = [];
    for (let j = 0; j < n; j++) {
      const w = (d.matrix[i]![j] ?? 0) * k;
      row.push({ start: a, end: a + w });
      a += w;
    }
    g.end = a;
    groups.push(g);
    sub.push(row);
    a += pad;
  }
  parts.push('<g fill-opacity="0.6" stroke="#333333" stroke-width="0.3">');
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = d.matrix[i]![j] ?? 0;
      if (v <= 0) continue;
      const colour = PALETTE[i % PALETTE.length]!;
      parts.push(
        `<path d="${ribbonPath(inner, sub[i]![j]!, sub[j]![i]!, c)}" fill="${colour}">` +
          `<title>${xmlEscape(`${d.labels[i]} - ${d.labels[j]}: ${humanBytes(v)}`)}</title></path>`,
      );
    }
  }
  parts.push('</g>');
  for (let i = 0; i < n; i++) {
    const g = groups[i]!;
    const colour = PALETTE[i % PALETTE.length]!;
    parts.push(
      `<path d="${arcPath(inner + 2, outer, g, c)}" fill="${colour}" stroke="#333333" stroke-width="0.3">` +
        `<title>${xmlEscape(`${d.labels[i]}: ${humanBytes(totals[i]!)}`)}</title></path>`,
    );
    const mid = (g.start + g.end) / 2;
    const deg = (mid * 180) / Math.PI - 90;
    const flip = mid > Math.PI;
    const x = c + (outer + 6) * Math.sin(mid);
    const y = c - (outer + 6) * Math.cos(mid);
    parts.push(
      svgText(x, y, shorten(d.labels[i]!, 34), {
        transform: `rotate(${num(flip ? deg + 180 : deg)} ${num(x)} ${num(y)})`,
        'text-anchor': flip ? 'end' : 'start',
        'dominant-baseline': 'middle',
        'font-size': 10,
      }),
    );
  }
  return parts.join('') + '</svg>\n';
}
