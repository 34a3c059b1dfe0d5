/**
 * Timestamps travel as (seconds, nanoseconds) pairs of integers so nanosecond captures keep their precision
 * (a float64 of epoch nanoseconds would not). JSON carries ISO-8601 UTC strings.
 */

/** ISO-8601 with 6 fractional digits, or 9 when the nanoseconds are not a whole number of microseconds. */
export function isoTime(sec: number, nsec: number): string {
  const ms = sec * 1000;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '1970-01-01T00:00:00.000000Z';
  const base = d.toISOString().slice(0, 19); // YYYY-MM-DDTHH:MM:SS
  const frac = nsec % 1000 === 0 ? String(Math.floor(nsec / 1000)).padStart(6, '0') : String(nsec).padStart(9, '0');
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
