/**
 * Adjacency matrix of the busiest nodes: cell [row][col] = bytes (or packets) the row node sent to the column
 * node. Nodes beyond the top N are folded into an "other" row/column. Output as CSV and as an SVG heat map.
 */
import type { GraphModel } from './graph-types.js';
import { csvLine, xmlEscape } from './escape.js';
import { humanBytes, num } from './format.js';
import { shorten, svgOpen, svgText } from './svg.js';

export type MatrixMetric = 'bytes' | 'packets';

export interface MatrixData {
  labels: string[];
  metric: MatrixMetric;
  /** directed: cells[i][j] = sent from i to j */
  cells: number[][];
}

export function matrixData(m: GraphModel, n: number, metric: MatrixMetric = 'bytes'): MatrixData {
  const ranked = [...m.nodes].sort(
    (x, y) => y.bytes_in + y.bytes_out - (x.bytes_in + x.bytes_out) || (x.id < y.id ? -1 : 1),
  );
  const top = ranked.slice(0, Math.max(1, n));
  const other = ranked.length > top.length;
  const index = new Map<string, number>(top.map((node, i) => [node.id, i]));
  const size = top.length + (other ? 1 : 0);
  const cells = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (const e of m.edges) {
    const i = index.get(e.a) ?? top.length;
    const j = index.get(e.b) ?? top.length;
    cells[i]![j]! += metric === 'bytes' ? e.bytes_ab : e.packets_ab;
    cells[j]![i]! += metric === 'bytes' ? e.bytes_ba : e.packets_ba;
  }
  const labels = top.map((node) => node.label);
  if (other) labels.push(`other (${ranked.length - top.length})`);
  return { labels, metric, cells };
}

export function matrixCsv(d: MatrixData): string {
  let out = csvLine([`${d.metric} sent (row -> column)`, ...d.labels]);
  d.cells.forEach((row, i) => (out += csvLine([d.labels[i]!, ...row])));
  return out;
}

/** White to dark blue on a log scale, so small flows next to a bulk transfer stay visible. */
function shade(v: number, max: number): string {
  if (v <= 0) return '#ffffff';
  const t = Math.log1p(v) / Math.log1p(max);
  const mix = (lo: number, hi: number): number => Math.round(lo + (hi - lo) * t);
  const hex = (x: number): string => x.toString(16).padStart(2, '0');
  return `#${hex(mix(0xe8, 0x08))}${hex(mix(0xf1, 0x30))}${hex(mix(0xfa, 0x6b))}`;
}

export function matrixSvg(d: MatrixData, width: number, title = 'Who sent to whom'): string {
  const n = d.labels.length;
  const margin = 150;
  const cell = Math.max(4, Math.min(28, (width - margin - 20) / Math.max(1, n)));
  const w = margin + cell * n + 20;
  const h = margin + cell * n + 40;
  const max = Math.max(1, ...d.cells.flat());
  const parts: string[] = [svgOpen(w, h, title)];
  parts.push(svgText(10, 18, `${title} (${d.metric}; rows send to columns)`, { 'font-weight': 'bold' }));
  for (let i = 0; i < n; i++) {
    const label = shorten(d.labels[i]!, 24);
    parts.push(
      svgText(margin - 4, margin + cell * i + cell / 2, label, {
        'text-anchor': 'end',
        'dominant-baseline': 'middle',
        'font-size': 9,
      }),
    );
    const x = margin + cell * i + cell / 2;
    parts.push(
      svgText(x, margin - 4, label, {
        transform: `rotate(-60 ${num(x)} ${num(margin - 4)})`,
        'font-size': 9,
      }),
    );
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = d.cells[i]![j]!;
      const tip = `${d.labels[i]} -> ${d.labels[j]}: ${d.metric === 'bytes' ? humanBytes(v) : `${v} packets`}`;
      parts.push(
        `<rect x="${num(margin + cell * j)}" y="${num(margin + cell * i)}" width="${num(cell)}" height="${num(cell)}" ` +
          `fill="${shade(v, max)}" stroke="#dddddd" stroke-width="0.5"><title>${xmlEscape(tip)}</title></rect>`,
      );
    }
  }
  return parts.join('') + '</svg>\n';
}
