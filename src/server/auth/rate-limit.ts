/**
 * Login back-off: after a few wrong passwords for one (client address, user name) pair, and after more for
 * one client address over all names, further attempts are refused for a time that doubles with every
 * failure (1 s, 2 s, 4 s, ... up to 15 min). A right password resets the pair. Memory is bounded: the
 * oldest entries go first beyond maxEntries. Lives in memory: a restart forgets it, which only helps an
 * attacker by one more small batch of guesses.
 */
export interface LimiterOptions {
  /** failures allowed per (ip, user) before back-off; default 5 */
  freePerUser?: number;
  /** failures allowed per ip over all users before back-off; default 20 */
  freePerIp?: number;
  maxDelayMs?: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  until: number;
}

export class LoginLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly freePerUser: number;
  private readonly freePerIp: number;
  private readonly maxDelayMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(o: LimiterOptions = {}) {
    this.freePerUser = o.freePerUser ?? 5;
    this.freePerIp = o.freePerIp ?? 20;
    this.maxDelayMs = o.maxDelayMs ?? 15 * 60_000;
    this.maxEntries = o.maxEntries ?? 10_000;
    this.now = o.now ?? Date.now;
  }

  /** Milliseconds to wait before this attempt may be tried, 0 when it may go now. */
  wait(ip: string, user: string): number {
    const t = this.now();
    let w = 0;
    for (const k of [`u ${ip} ${user}`, `i ${ip}`]) {
      const e = this.entries.get(k);
      if (e && e.until > t) w = Math.max(w, e.until - t);
    }
    return w;
  }

  failed(ip: string, user: string): void {
    this.bump(`u ${ip} ${user}`, this.freePerUser);
    this.bump(`i ${ip}`, this.freePerIp);
  }

  succeeded(ip: string, user: string): void {
    this.entries.delete(`u ${ip} ${user}`);
  }

  private bump(key: string, free: number): void {
    const e = this.entries.get(key) ?? { failures: 0, until: 0 };
    this.entries.delete(key); // re-inserted: Map order is least recently failed first
    e.failures++;
    if (e.failures >= free)
      e.until = this.now() + Math.min(this.maxDelayMs, 1000 * 2 ** Math.min(30, e.failures - free));
    this.entries.set(key, e);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
