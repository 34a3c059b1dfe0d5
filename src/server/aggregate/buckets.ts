/** A bucket width (seconds) from a fixed ladder so that `span` fits in at most `maxBins` buckets. */
const STEPS = [
  1e-6, 1e-5, 1e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600,
  900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
];

export function bucketWidth(spanSec: number, maxBins: number): number {
  const want = Math.max(0, spanSec) / Math.max(1, maxBins);
  for (const s of STEPS) if (s >= want) return s;
  return Math.ceil(want / 604800) * 604800;
}

/** Seconds between two ISO-8601 times (0 when either is missing or unparsable). */
export function spanSeconds(from: string | null | undefined, to: string | null | undefined): number {
  if (!from || !to) return 0;
  const a = Date.parse(from);
  const b = Date.parse(to);
  return Number.isFinite(a) && Number.isFinite(b) ? Math.max(0, (b - a) / 1000) : 0;
}
