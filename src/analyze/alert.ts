/** Building AlertRows: times from ISO strings, flow id lists, the draft shape analyses return. */
import type { AlertRow, AlertSeverity } from '../shared/alert-rows.js';

export type { AlertRow, AlertSeverity };

/** An alert before runAnalyses numbers it. */
export type AlertDraft = Omit<AlertRow, 'id'>;

/** Seconds since the epoch from our ISO-8601 UTC form (sub-microsecond digits kept as far as a float allows). */
export function isoSeconds(iso: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!m) {
    const t = Date.parse(iso);
    return Number.isNaN(t) ? 0 : t / 1000;
  }
  const whole = Date.parse(`${m[1]}Z`) / 1000;
  const frac = m[2] ? Number(`0.${m[2]}`) : 0;
  return whole + frac;
}

export function minMaxTs(items: readonly { first_ts: string; last_ts: string }[]): {
  first_ts: string;
  last_ts: string;
} {
  let first = items[0]?.first_ts ?? '';
  let last = items[0]?.last_ts ?? '';
  let fs = first ? isoSeconds(first) : Infinity;
  let ls = last ? isoSeconds(last) : -Infinity;
  for (const it of items) {
    const a = isoSeconds(it.first_ts);
    const b = isoSeconds(it.last_ts);
    if (a < fs) {
      fs = a;
      first = it.first_ts;
    }
    if (b > ls) {
      ls = b;
      last = it.last_ts;
    }
  }
  return { first_ts: first, last_ts: last };
}

/** Sorted unique ids, capped. */
export function flowIds(ids: Iterable<number>, cap: number): { flow_ids: number[]; flow_count: number } {
  const all = [...new Set(ids)].sort((a, b) => a - b);
  return { flow_ids: all.slice(0, cap), flow_count: all.length };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { high: 0, medium: 1, low: 2, info: 3 };

export function severityRank(s: AlertSeverity): number {
  return SEVERITY_RANK[s];
}

/** Plural helper for explanations. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
