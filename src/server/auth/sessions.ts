import { PcaplensError } from '../../shared/errors.js';

/**
 * Session lifetime in team mode. A session has an idle window (`serve --session-ttl`, default 7 days): each
 * use moves its end forward, so a session in daily use stays logged in while an abandoned one lapses. The
 * move is written at most once an hour (less often than that when the window is short: a quarter of it), so
 * requests do not each cost a write. Whatever the use, a session ends at the absolute cap counted from login
 * (`serve --session-max`, default 30 days): then the password is asked again.
 */
export interface SessionPolicy {
  /** idle window, ms */
  idleMs: number;
  /** absolute cap from login, ms */
  maxMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 7 * 86_400_000, maxMs: 30 * 86_400_000 };
export const EXTEND_EVERY_MS = 3_600_000;

/** Expiry of a session logged in at `now`. */
export function firstExpiry(now: number, p: SessionPolicy): number {
  return now + Math.min(p.idleMs, p.maxMs);
}

/** Is the session past its absolute cap (a policy shortened since login included)? */
export function pastCap(s: { created_at: number }, now: number, p: SessionPolicy): boolean {
  return now >= s.created_at + p.maxMs;
}

/** The expiry to write for a session used at `now`, or null when no write is due yet. */
export function slideTo(
  s: { created_at: number; expires_at: number },
  now: number,
  p: SessionPolicy,
): number | null {
  const target = Math.min(now + p.idleMs, s.created_at + p.maxMs);
  const step = Math.min(EXTEND_EVERY_MS, Math.max(1, Math.floor(p.idleMs / 4)));
  return target - s.expires_at >= step ? target : null;
}

const UNIT: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `30m`, `12h`, `7d`, `2w` to ms (at least a minute, at most 10 years). */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNIT[m[2]!]! : NaN;
  if (!(ms >= 60_000 && ms <= 3650 * 86_400_000))
    throw new PcaplensError(
      'E_USAGE',
      `${what}: bad duration ${JSON.stringify(text.slice(0, 40))} (a number and s, m, h, d or w, e.g. 12h or 7d; at least 1m)`,
    );
  return ms;
}
