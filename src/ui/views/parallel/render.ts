import * as d3 from 'd3';
import { colourOf } from '../palette.ts';
import type { FlowSample } from './query.ts';

/** Parallel coordinates over sessions: one polyline per flow across numeric axes (log scales), coloured by app. */
const DIMS: { key: keyof FlowSample; label: string; log: boolean }[] = [
  { key: 'src_port', label: 'src port', log: false },
  { key: 'dst_port', label: 'dst port', log: false },
  { key: 'packets', label: 'packets', log: true },
  { key: 'bytes', label: 'bytes', log: true },
  { key: 'duration', label: 'duration (s)', log: true },
];

export function renderParallel(
  svgEl: SVGSVGElement,
  rows: readonly FlowSample[],
  width: number,
  height: number,
): void {
  const svg = d3.select(svgEl);
  svg.selectAll('*').remove();
  svg.attr('width', width).attr('height', height);
  const m = { top: 24, right: 60, bottom: 12, left: 40 };
  const x = d3
    .scalePoint<string>()
    .domain(DIMS.map((d) => d.key))
    .range([m.left, width - m.right]);
  const ys = new Map(
    DIMS.map((d) => {
      const vals = rows.map((r) => Number(r[d.key] ?? 0));
      const max = Math.max(1, d3.max(vals) ?? 1);
      const s = d.log ? d3.scaleSymlog().domain([0, max]) : d3.scaleLinear().domain([0, max]);
      return [d.key, s.range([height - m.bottom, m.top]).nice()] as const;
    }),
  );
  const line = (r: FlowSample) =>
    d3.line()(DIMS.map((d) => [x(d.key)!, ys.get(d.key)!(Number(r[d.key] ?? 0))] as [number, number]));
  svg
    .append('g')
    .attr('class', 'lines')
    .attr('fill', 'none')
    .attr('stroke-width', 1)
    .attr('stroke-opacity', 0.45)
    .selectAll('path')
    .data(rows)
    .join('path')
    .attr('stroke', (r) => colourOf(r.app ?? r.proto))
    .attr('d', (r) => line(r))
    .append('title')
    .text((r) => `${r.src_ip}:${r.src_port ?? ''} → ${r.dst_ip}:${r.dst_port ?? ''} ${r.app ?? r.proto}`);
  for (const d of DIMS) {
    const g = svg.append('g').attr('transform', `translate(${x(d.key)},0)`);
    g.call(d3.axisLeft(ys.get(d.key)!).ticks(6, '~s'));
    g.append('text')
      .attr('y', m.top - 10)
      .attr('text-anchor', 'middle')
      .style('font-weight', '600')
      .text(d.label);
  }
}
