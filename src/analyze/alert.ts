/** Building AlertRows: times from ISO strings, flow id lists, the draft shape analyses return. */
import type { AlertRow, AlertSeverity } from '../shared/alert-rows.js';
import { inSecond } from '../shared/time.js';

export type { AlertRow, AlertSeverity };

/** An alert before runAnalyses numbers it. */
export type AlertDraft = Omit<AlertRow, 'id'>;

// the whole-second part of the last time read: rows of a capture share few seconds, so Date.parse runs once
// per distinct second instead of once per call (sorting alerts and min/max over flows call this a lot)
let lastWhole = '';
let lastWholeSec = 0;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** The digits of iso[from, to) as an integer, or -1 when one is not a digit. */
function digitsAt(iso: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = iso.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Seconds since the epoch from our ISO-8601 UTC form (sub-microsecond digits kept as far as a float allows). */
export function isoSeconds(iso: string): number {
  // fast path for what the engine writes: YYYY-MM-DDTHH:MM:SS.f{1,9}Z, same value as the general path below
  // (an integer of at most 9 digits over its power of ten is the correctly rounded decimal, as Number('0.f'))
  const len = iso.length;
  if (len >= 22 && len <= 30 && iso.charCodeAt(19) === 46 && iso.charCodeAt(len - 1) === 90) {
    const frac = digitsAt(iso, 20, len - 1);
    if (frac >= 0) {
      if (inSecond(iso, lastWhole)) return lastWholeSec + frac / POW10[len - 21]!;
      const whole = iso.slice(0, 19);
      if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(whole)) {
        lastWholeSec = Date.parse(`${whole}Z`) / 1000;
        lastWhole = whole;
        return lastWholeSec + frac / POW10[len - 21]!;
      }
    }
  }
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
