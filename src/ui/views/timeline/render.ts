import * as d3 from 'd3';
import type { Histogram } from '../../lib/types.ts';
import { colourOf } from '../palette.ts';

/**
 * Stacked bars of packets or bytes per time bucket, one colour per group, with an optional brush that
 * reports the chosen time range. Pure: everything it shows comes from its arguments.
 */
export interface TimelineOptions {
  width: number;
  height: number;
  metric: 'packets' | 'bytes';
  /** the x domain; default the buckets' span */
  domain?: [Date, Date] | null;
  /** the current range, drawn as the brush selection */
  range?: [Date, Date] | null;
  onbrush?: (range: [Date, Date] | null) => void;
  legend?: boolean;
}

export function renderTimeline(svgEl: SVGSVGElement, h: Histogram, o: TimelineOptions): void {
  const svg = d3.select(svgEl);
  svg.selectAll('*').remove();
  svg.attr('width', o.width).attr('height', o.height).attr('viewBox', `0 0 ${o.width} ${o.height}`);
  const margin = { top: 8, right: o.legend ? 130 : 12, bottom: 22, left: 56 };
  const w = Math.max(10, o.width - margin.left - margin.right);
  const hgt = Math.max(10, o.height - margin.top - margin.bottom);
  const step = h.bucket * 1000;
  const groups = [...new Set(h.buckets.map((b) => b.group ?? 'unknown'))].sort();
  const byTs = new Map<number, Record<string, number>>();
  for (const b of h.buckets) {
    const t = Date.parse(b.ts);
    const row = byTs.get(t) ?? byTs.set(t, { t }).get(t)!;
    row[b.group ?? 'unknown'] = (row[b.group ?? 'unknown'] ?? 0) + b[o.metric];
  }
  const rows = [...byTs.values()].sort((a, b) => a.t! - b.t!);
  for (const r of rows) for (const g of groups) r[g] ??= 0;
  const first = h.first_ts ? Date.parse(h.first_ts) : (rows[0]?.t ?? 0);
  const last = h.last_ts ? Date.parse(h.last_ts) : (rows.at(-1)?.t ?? 0) + step;
  const domain = o.domain ?? [
    new Date(Math.min(first, rows[0]?.t ?? first)),
    new Date(Math.max(last, (rows.at(-1)?.t ?? last) + step)),
  ];
  const x = d3.scaleUtc().domain(domain).range([0, w]);
  const series = d3.stack<Record<string, number>>().keys(groups)(rows);
  const max = d3.max(series, (s) => d3.max(s, (d) => d[1])) ?? 1;
  const y = d3
    .scaleLinear()
    .domain([0, max || 1])
    .nice()
    .range([hgt, 0]);
  const g = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);
  const bw = (t: number) => Math.max(1, x(new Date(t + step)) - x(new Date(t)) - 0.5);
  g.selectAll('g.series')
    .data(series)
    .join('g')
    .attr('class', 'series')
    .attr('data-group', (s) => s.key)
    .attr('fill', (s) => colourOf(s.key))
    .selectAll('rect')
    .data((s) => s)
    .join('rect')
    .attr('x', (d) => x(new Date(d.data.t!)))
    .attr('width', (d) => bw(d.data.t!))
    .attr('y', (d) => y(d[1]))
    .attr('height', (d) => Math.max(0, y(d[0]) - y(d[1])));
  g.append('g')
    .attr('transform', `translate(0,${hgt})`)
    .call(
      d3
        .axisBottom(x)
        .ticks(Math.max(2, Math.floor(w / 110)))
        .tickFormat((d) => utcTick(d as Date)),
    );
  const fmt = o.metric === 'bytes' ? d3.format('.2~s') : d3.format('~s');
  g.append('g').call(
    d3
      .axisLeft(y)
      .ticks(Math.max(2, Math.floor(hgt / 25)))
      .tickFormat((v) => fmt(v as number)),
  );
  if (o.legend) {
    const lg = svg.append('g').attr('transform', `translate(${margin.left + w + 12},${margin.top})`);
    groups.slice(0, Math.floor(hgt / 15)).forEach((name, i) => {
      const item = lg.append('g').attr('transform', `translate(0,${i * 15})`);
      item.append('rect').attr('width', 10).attr('height', 10).attr('fill', colourOf(name));
      item.append('text').attr('x', 14).attr('y', 9).text(name);
    });
  }
  if (o.onbrush) {
    const onbrush = o.onbrush;
    const brush = d3
      .brushX()
      .extent([
        [0, 0],
        [w, hgt],
      ])
      .on('end', (ev: d3.D3BrushEvent<unknown>) => {
        if (!ev.sourceEvent) return; // moved by code, not by the user
        const sel = ev.selection as [number, number] | null;
        onbrush(sel ? [x.invert(sel[0]), x.invert(sel[1])] : null);
      });
    const bg = g.append('g').attr('class', 'brush').call(brush);
    if (o.range) bg.call(brush.move, [Math.max(0, x(o.range[0])), Math.min(w, x(o.range[1]))]);
  }
}

const utcMs = d3.utcFormat('.%L');
const utcSec = d3.utcFormat(':%S');
const utcHm = d3.utcFormat('%H:%M');
const utcDay = d3.utcFormat('%b %d');
const utcMonth = d3.utcFormat('%b');
const utcYear = d3.utcFormat('%Y');

/** Time ticks in UTC on a 24-hour clock, as every table shows times (d3's default is local, 12-hour). */
function utcTick(d: Date): string {
  if (d3.utcSecond(d) < d) return utcMs(d);
  if (d3.utcMinute(d) < d) return utcSec(d);
  if (d3.utcDay(d) < d) return utcHm(d);
  if (d3.utcMonth(d) < d) return utcDay(d);
  if (d3.utcYear(d) < d) return utcMonth(d);
  return utcYear(d);
}
