/**
 * Traffic over time as a histogram. Flow rows carry only first/last times, so each flow's packets and bytes
 * are spread evenly over its lifetime (the result is marked `approximate`); a flow with zero duration lands
 * in one bin. Optional host filter: only flows with that address (IP or MAC) on either end.
 */
import type { FlowRow } from '../shared/rows.js';
import { humanBytes, num } from './format.js';
import { svgOpen, svgText } from './svg.js';
import { xmlEscape } from './escape.js';

export interface TimelineData {
  /** epoch seconds of the first bin's start */
  start: number;
  /** bin width in seconds */
  step: number;
  bytes: number[];
  packets: number[];
  host: string | null;
  flows: number;
  approximate: boolean;
}

const STEPS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
  3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
];
const MAX_BINS_CAP = 2000;

/** Epoch seconds from an ISO-8601 UTC string, keeping sub-millisecond digits; NaN when unparsable. */
export function isoSeconds(s: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(s);
  if (!m) return NaN;
  const whole = Date.parse(m[1]! + 'Z') / 1000;
  return whole + (m[2] ? Number('0.' + m[2]) : 0);
}

export function niceStep(duration: number, maxBins: number): number {
  const want = duration / Math.max(1, maxBins);
  for (const s of STEPS) if (s >= want) return s;
  return Math.ceil(want / 604800) * 604800;
}

export function timelineFromFlows(
  flows: readonly FlowRow[],
  opts: { host?: string | null; maxBins?: number } = {},
): TimelineData {
  const host = opts.host ?? null;
  const maxBins = Math.min(MAX_BINS_CAP, Math.max(1, opts.maxBins ?? 120));
  const chosen = flows.filter(
    (f) =>
      host === null || f.src_ip === host || f.dst_ip === host || f.src_mac === host || f.dst_mac === host,
  );
  const spans = chosen
    .map((f) => ({ f, a: isoSeconds(f.first_ts), b: isoSeconds(f.last_ts) }))
    .filter((s) => Number.isFinite(s.a) && Number.isFinite(s.b));
  if (spans.length === 0)
    return { start: 0, step: 1, bytes: [], packets: [], host, flows: 0, approximate: true };
  const t0 = Math.min(...spans.map((s) => s.a));
  const t1 = Math.max(...spans.map((s) => Math.max(s.a, s.b)));
  const step = niceStep(Math.max(t1 - t0, 0.001), maxBins);
  const start = Math.floor(t0 / step) * step;
  const nbins = Math.min(MAX_BINS_CAP, Math.max(1, Math.floor((t1 - start) / step) + 1));
  const bytes = new Array<number>(nbins).fill(0);
  const packets = new Array<number>(nbins).fill(0);
  const binOf = (t: number): number => Math.min(nbins - 1, Math.max(0, Math.floor((t - start) / step)));
  for (const { f, a, b } of spans) {
    const totalB = f.bytes_fwd + f.bytes_rev;
    const totalP = f.packets_fwd + f.packets_rev;
    const end = Math.max(a, b);
    const i0 = binOf(a);
    const i1 = binOf(end);
    if (i0 === i1 || end === a) {
      bytes[i0]! += totalB;
      packets[i0]! += totalP;
      continue;
    }
    for (let i = i0; i <= i1; i++) {
      const lo = Math.max(a, start + i * step);
      const hi = Math.min(end, start + (i + 1) * step);
      const share = Math.max(0, hi - lo) / (end - a);
      bytes[i]! += totalB * share;
      packets[i]! += totalP * share;
    }
  }
  return { start, step, bytes, packets, host, flows: spans.length, approximate: true };
}

function clock(t: number, step: number): string {
  const iso = new Date(t * 1000).toISOString();
  if (step >= 86400) return iso.slice(0, 10);
  if (step >= 60) return iso.slice(11, 16);
  if (step >= 1) return iso.slice(11, 19);
  return iso.slice(11, 23);
}

export function timelineSvg(
  d: TimelineData,
  width: number,
  height: number,
  metric: 'bytes' | 'packets' = 'bytes',
): string {
  const title =
    `${metric === 'bytes' ? 'Bytes' : 'Packets'} over time` +
    (d.host ? ` for ${d.host}` : '') +
    ` (${d.step} s bins${d.approximate ? ', flows spread evenly over their duration' : ''})`;
  const values = metric === 'bytes' ? d.bytes : d.packets;
  const left = 70;
  const right = 15;
  const top = 30;
  const bottom = 40;
  const plotW = Math.max(10, width - left - right);
  const plotH = Math.max(10, height - top - bottom);
  const parts: string[] = [
    svgOpen(width, height, title),
    svgText(left, 18, title, { 'font-weight': 'bold' }),
  ];
  if (values.length === 0) {
    parts.push(svgText(width / 2, height / 2, 'no traffic to show', { 'text-anchor': 'middle' }));
    return parts.join('') + '</svg>\n';
  }
  const max = Math.max(...values, 1e-9);
  const bw = plotW / values.length;
  parts.push(`<g fill="#4e79a7">`);
  values.forEach((v, i) => {
    if (v <= 0) return;
    const h = (v / max) * plotH;
    const t = d.start + i * d.step;
    const tip = `${new Date(t * 1000).toISOString()} +${d.step}s: ${metric === 'bytes' ? humanBytes(Math.round(v)) : Math.round(v) + ' packets'}`;
    parts.push(
      `<rect x="${num(left + i * bw)}" y="${num(top + plotH - h)}" width="${num(Math.max(0.5, bw - 0.5))}" height="${num(h)}">` +
        `<title>${xmlEscape(tip)}</title></rect>`,
    );
  });
  parts.push('</g>');
  parts.push(
    `<path d="M${left} ${top}V${num(top + plotH)}H${num(left + plotW)}" fill="none" stroke="#333333" stroke-width="1"/>`,
  );
  for (const f of [0, 0.5, 1]) {
    const y = top + plotH - f * plotH;
    const v = max * f;
    parts.push(
      svgText(left - 5, y, metric === 'bytes' ? humanBytes(Math.round(v)) : String(Math.round(v)), {
        'text-anchor': 'end',
        'dominant-baseline': 'middle',
        'font-size': 9,
      }),
    );
  }
  const ticks = Math.min(6, values.length);
  for (let k = 0; k <= ticks; k++) {
    const i = Math.round((k / ticks) * values.length);
    const x = left + i * bw;
    parts.push(
      svgText(x, top + plotH + 14, clock(d.start + i * d.step, d.step), {
        'text-anchor': 'middle',
        'font-size': 9,
      }),
    );
  }
  parts.push(
    svgText(left, height - 6, `UTC, starting ${new Date(d.start * 1000).toISOString()}`, { 'font-size': 9 }),
  );
  return parts.join('') + '</svg>\n';
}
