import { PcaplensError } from '../errors.js';

/**
 * Timestamps inside the store and the filter are epoch nanoseconds as bigint (a float64 cannot hold them);
 * rows and users speak ISO-8601. These helpers convert, and resolve the `--from/--to` bounds.
 */

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

// Fast path for the form rows carry (YYYY-MM-DDTHH:MM:SS.ffffff[fff]Z): rows of one capture share the
// same few seconds, so the date part is parsed once per distinct second.
const FAST_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.(\d{6}|\d{9})Z$/;
let lastSecText = '';
let lastSecNs = 0n;

/** Epoch nanoseconds of an ISO-8601 date/time (UTC when no zone is given), or null. */
export function isoToNs(s: string): bigint | null {
  if (s.length >= 27 && FAST_RE.test(s)) {
    const secText = s.slice(0, 19);
    let ok = secText === lastSecText;
    if (!ok) {
      const ms = Date.parse(secText + 'Z');
      // anything Date.parse refuses (a leap second, a bad day) takes the slow path below
      if (!Number.isNaN(ms)) {
        lastSecText = secText;
        lastSecNs = BigInt(ms) * 1_000_000n;
        ok = true;
      }
    }
    if (ok) {
      const frac = s.slice(20, s.length - 1);
      return lastSecNs + BigInt(frac.length === 6 ? Number(frac) * 1000 : Number(frac));
    }
  }
  const m = ISO_RE.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (
    Number.isNaN(ms) ||
    Number(mo) > 12 ||
    Number(d) > 31 ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(sec) > 60
  ) {
    return null;
  }
  let ns = BigInt(ms) * 1_000_000n + BigInt(frac.padEnd(9, '0') || '0');
  if (zone && zone.toUpperCase() !== 'Z') {
    const zm = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const off = BigInt(Number(zm[2]) * 60 + Number(zm[3])) * 60_000_000_000n;
    ns += zm[1] === '+' ? -off : off;
  }
  return ns;
}

/** ISO-8601 UTC with 6 fractional digits, or 9 when the value is not a whole number of microseconds. */
export function nsToIso(ns: bigint): string {
  let sec = ns / 1_000_000_000n;
  let rem = ns % 1_000_000_000n;
  if (rem < 0n) {
    rem += 1_000_000_000n;
    sec -= 1n;
  }
  const base = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  const frac = rem % 1000n === 0n ? String(rem / 1000n).padStart(6, '0') : String(rem).padStart(9, '0');
  return `${base}.${frac}Z`;
}

const UNIT_NS: Record<string, bigint> = {
  h: 3_600_000_000_000n,
  m: 60_000_000_000n,
  s: 1_000_000_000n,
  ms: 1_000_000n,
  us: 1_000n,
  ns: 1n,
};

/** Nanoseconds of a duration like `30s`, `5m`, `1h30m`, `1.5s`, `250ms`, or null. */
export function parseDurationNs(s: string): bigint | null {
  const re = /(\d+(?:\.\d{1,9})?)(h|ms|us|ns|m|s)/y;
  let total = 0n;
  let i = 0;
  if (s.length === 0 || s.length > 64) return null;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return null;
    const [whole, fracPart = ''] = m[1]!.split('.');
    const unit = UNIT_NS[m[2]!]!;
    total += BigInt(whole!) * unit + (BigInt(fracPart.padEnd(9, '0') || '0') * unit) / 1_000_000_000n;
    i = re.lastIndex;
  }
  return total;
}

/**
 * Resolves a `--from`/`--to` bound: an ISO-8601 time, or `+DURATION` after the capture start (`+30s`,
 * `+5m`, `+1h30m`). Returns ISO-8601 UTC. Throws E_USAGE on anything else, or on a relative bound
 * without a capture start.
 */
export function parseTimeBound(s: string, captureStart: string | null | undefined): string {
  const text = s.trim();
  if (text.startsWith('+')) {
    const d = parseDurationNs(text.slice(1));
    if (d === null)
      throw new PcaplensError('E_USAGE', `bad relative time ${JSON.stringify(s)} (try +30s, +5m, +1h30m)`);
    const start = captureStart ? isoToNs(captureStart) : null;
    if (start === null)
      throw new PcaplensError('E_USAGE', `relative time ${s} needs a capture with a start time`);
    return nsToIso(start + d);
  }
  const ns = isoToNs(text);
  if (ns === null) {
    throw new PcaplensError(
      'E_USAGE',
      `bad time ${JSON.stringify(s)} (ISO-8601 like 2024-05-01T12:00:00Z, or +5m)`,
    );
  }
  return nsToIso(ns);
}
