/**
 * Timestamps travel as (seconds, nanoseconds) pairs of integers so nanosecond captures keep their precision
 * (a float64 of epoch nanoseconds would not). JSON carries ISO-8601 UTC strings.
 */

/** "00".."99" */
const TWO: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);
/** "000".."999": microseconds as two table look-ups cost half a number's conversion to text */
const THREE: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** days 0 .. 2 932 896 are 1970-01-01 .. 9999-12-31: the range where the fast path's text is the same */
const LAST_DAY = 2932896;
// The date part of the latest day formatted: flow and host rows are built by the hundred thousand and
// mostly fall on a few days, so Date is consulted once per day, not per timestamp.
let cachedDay = -1;
let cachedDate = '';
// and "YYYY-MM-DDTHH:MM:SS." of the latest second: rows of one run come in time order, many per second
let cachedSec = -1;
let cachedPrefix = '';

/**
 * "YYYY-MM-DDT" of a day counted from 1970-01-01 (0 .. LAST_DAY), by arithmetic on the proleptic Gregorian
 * calendar in 400-year eras starting on March 1st: Date's first toISOString() costs ~7 ms of set-up per thread,
 * more than a whole run's worth of these.
 */
export function dateText(day: number): string {
  const z = day + 719468; // days since 0000-03-01
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097; // day of the era, 0 .. 146096
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // from March 1st, 0 .. 365
  const mp = Math.floor((5 * doy + 2) / 153); // month from March, 0 .. 11
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return String(y).padStart(4, '0') + '-' + TWO[m]! + '-' + TWO[d]! + 'T';
}

/** ISO-8601 with 6 fractional digits, or 9 when the nanoseconds are not a whole number of microseconds. */
export function isoTime(sec: number, nsec: number): string {
  if (!Number.isInteger(sec) || sec < 0 || !Number.isInteger(nsec) || nsec < 0 || nsec >= 1e9) {
    return isoTimeSlow(sec, nsec);
  }
  if (sec !== cachedSec) {
    const day = Math.floor(sec / 86400);
    if (day > LAST_DAY) return isoTimeSlow(sec, nsec);
    if (day !== cachedDay) {
      cachedDate = dateText(day);
      cachedDay = day;
    }
    const s = sec - day * 86400;
    cachedPrefix =
      cachedDate +
      TWO[Math.floor(s / 3600)]! +
      ':' +
      TWO[Math.floor(s / 60) % 60]! +
      ':' +
      TWO[s % 60]! +
      '.';
    cachedSec = sec;
  }
  if (nsec % 1000 === 0) {
    const us = nsec / 1000;
    const ms = Math.floor(us / 1000);
    return cachedPrefix + THREE[ms]! + THREE[us - ms * 1000]! + 'Z';
  }
  return cachedPrefix + String(1000000000 + nsec).slice(1) + 'Z';
}

// isoTimeInto's own cache: "YYYY-MM-DDT" of the latest day, as bytes (flow rows span a few days at most; the
// time of day is written digit by digit, which costs less than looking a second up)
let bytesDay = -1;
const DAY_PREFIX = new Uint8Array(11);

/**
 * isoTime's text as ASCII bytes at out[at..] (27 or 30 of them), for rows written straight as bytes; answers
 * the count written, or 0 for a time isoTime formats on its slow path (the caller then uses isoTime).
 */
export function isoTimeInto(out: Uint8Array, at: number, sec: number, nsec: number): number {
  if (!Number.isInteger(sec) || sec < 0 || !Number.isInteger(nsec) || nsec < 0 || nsec >= 1e9) return 0;
  const day = Math.floor(sec / 86400);
  if (day !== bytesDay) {
    if (day > LAST_DAY) return 0;
    const prefix = dateText(day);
    for (let i = 0; i < 11; i++) DAY_PREFIX[i] = prefix.charCodeAt(i);
    bytesDay = day;
  }
  for (let i = 0; i < 11; i++) out[at + i] = DAY_PREFIX[i]!;
  const s = sec - day * 86400;
  const h = (s / 3600) | 0;
  const m = ((s / 60) | 0) % 60;
  pair(out, at + 11, h);
  out[at + 13] = 58; // ':'
  pair(out, at + 14, m);
  out[at + 16] = 58;
  pair(out, at + 17, s % 60);
  out[at + 19] = 46; // '.'
  let p = at + 20;
  if (nsec % 1000 === 0) {
    // microseconds: three pairs of digits
    const us = nsec / 1000;
    const hi = (us / 10000) | 0;
    const lo = us - hi * 10000;
    pair(out, p, hi);
    pair(out, p + 2, (lo / 100) | 0);
    pair(out, p + 4, lo % 100);
    p += 6;
  } else {
    // nanoseconds: one digit, then four pairs
    const top = (nsec / 100000000) | 0;
    const rest = nsec - top * 100000000;
    const a = (rest / 10000) | 0;
    const b = rest - a * 10000;
    out[p] = 48 + top;
    pair(out, p + 1, (a / 100) | 0);
    pair(out, p + 3, a % 100);
    pair(out, p + 5, (b / 100) | 0);
    pair(out, p + 7, b % 100);
    p += 9;
  }
  out[p++] = 90; // 'Z'
  return p - at;
}

/** the two ASCII digits of each number 0..99 */
const PAIRS = new Uint8Array(200).map((_, i) => 48 + (i % 2 === 0 ? Math.floor(i / 20) : (i >> 1) % 10));

/** n (0..99) as two digits at out[at], out[at + 1] */
function pair(out: Uint8Array, at: number, n: number): void {
  out[at] = PAIRS[2 * n]!;
  out[at + 1] = PAIRS[2 * n + 1]!;
}

function isoTimeSlow(sec: number, nsec: number): string {
  const ms = sec * 1000;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '1970-01-01T00:00:00.000000Z';
  const base = d.toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
  const frac =
    nsec % 1000 === 0 ? String(Math.floor(nsec / 1000)).padStart(6, '0') : String(nsec).padStart(9, '0');
  return `${base}.${frac}Z`;
}

/** Seconds as a float (for durations, rates, histograms); loses sub-microsecond precision far from 1970. */
export function toSeconds(sec: number, nsec: number): number {
  return sec + nsec / 1e9;
}

/** Compares two (sec, nsec) timestamps: negative, zero or positive. */
export function compareTime(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return aSec !== bSec ? aSec - bSec : aNsec - bNsec;
}

/**
 * Whether `iso` begins with `second`, a 19-character "YYYY-MM-DDTHH:MM:SS" parsed before: compared in place, so
 * the parsers that cache the last second they read (rows of a capture share few) need no slice per value.
 */
export function inSecond(iso: string, second: string): boolean {
  if (second.length !== 19 || iso.length < 19) return false;
  for (let i = 18; i >= 0; i--) if (iso.charCodeAt(i) !== second.charCodeAt(i)) return false;
  return true;
}
