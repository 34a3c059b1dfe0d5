/**
 * Live reverse DNS, only when the user asks (--resolve). Cached per address, each query time-bounded, a bounded
 * number in flight. The resolver is injected so tests never touch the network; reverse-dns-node.ts supplies
 * node's resolver.
 */

export type ReverseResolverFn = (ip: string) => Promise<string[]>;

export interface ReverseDnsOptions {
  /** per query, milliseconds (default 2000) */
  timeoutMs?: number;
  /** queries in flight at once (default 8) */
  concurrency?: number;
  /** cached answers kept (default 10000) */
  maxEntries?: number;
}

export interface ReverseAnswer {
  ip: string;
  names: string[];
  /** "ok", "timeout", "error" */
  status: 'ok' | 'timeout' | 'error';
}

export class ReverseDns {
  private readonly cache = new Map<string, Promise<ReverseAnswer>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly maxEntries: number;

  constructor(
    private readonly resolve: ReverseResolverFn,
    opts: ReverseDnsOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.concurrency = Math.max(1, opts.concurrency ?? 8);
    this.maxEntries = opts.maxEntries ?? 10_000;
  }

  lookup(ip: string): Promise<ReverseAnswer> {
    const hit = this.cache.get(ip);
    if (hit) return hit;
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    const p = this.run(ip);
    this.cache.set(ip, p);
    return p;
  }

  /** Resolves many addresses; the answer keeps the input order. */
  lookupAll(ips: readonly string[]): Promise<ReverseAnswer[]> {
    return Promise.all(ips.map((ip) => this.lookup(ip)));
  }

  private async slot(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  private async run(ip: string): Promise<ReverseAnswer> {
    await this.slot();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<'timeout'>((r) => {
        timer = setTimeout(() => r('timeout'), this.timeoutMs);
      });
      const res = await Promise.race([this.resolve(ip), timeout]);
      if (res === 'timeout') return { ip, names: [], status: 'timeout' };
      const names = [
        ...new Set(res.filter((n) => typeof n === 'string' && n.length <= 253).map((n) => n.toLowerCase())),
      ];
      return { ip, names: names.slice(0, 16), status: 'ok' };
    } catch {
      return { ip, names: [], status: 'error' };
    } finally {
      clearTimeout(timer);
      this.release();
    }
  }
}
