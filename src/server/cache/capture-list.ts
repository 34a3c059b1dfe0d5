import type { CaptureRow } from '../../shared/store-rows.js';
import type { Store } from '../../store/store.js';
import type { ServerContext } from '../context.js';

/**
 * The list of stored captures, read from the store once and kept until something changes it: the server
 * forgets it when an ingest job ends (a capture stored, or a failed one marked) and when a capture is
 * deleted. Writers outside this server (`pcaplens import` or `rm` against a shared PostgreSQL store) are
 * seen after at most `maxAgeMs`. Concurrent readers share one store read; a read that started before a
 * change is answered to its callers but not kept.
 */
export class CaptureListCache {
  private rows: CaptureRow[] | null = null;
  private readAt = 0;
  private pending: Promise<CaptureRow[]> | null = null;
  private generation = 0;
  /** store reads (tests: a hit counter) */
  reads = 0;
  hits = 0;

  constructor(
    private readonly store: Store,
    private readonly maxAgeMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  async list(): Promise<CaptureRow[]> {
    if (this.rows && this.now() - this.readAt <= this.maxAgeMs) {
      this.hits++;
      return this.rows;
    }
    if (this.pending) return this.pending;
    const gen = this.generation;
    this.reads++;
    const p = this.store.listCaptures().then((rows) => {
      if (gen === this.generation) {
        this.rows = rows;
        this.readAt = this.now();
      }
      return rows;
    });
    this.pending = p;
    try {
      return await p;
    } finally {
      if (this.pending === p) this.pending = null;
    }
  }

  /** Something changed the list: the next reader reads the store. */
  invalidate(): void {
    this.generation++;
    this.rows = null;
    this.pending = null;
  }
}

const lists = new WeakMap<ServerContext, CaptureListCache>();

/** The captures list cache of a server, forgotten when an ingest job ends or a capture's facts are forgotten. */
export function captureListOf(ctx: ServerContext): CaptureListCache {
  let c = lists.get(ctx);
  if (!c) {
    const made = new CaptureListCache(ctx.store);
    ctx.queue.onJobEnd(() => made.invalidate());
    ctx.facts.onForget(() => made.invalidate());
    lists.set(ctx, made);
    c = made;
  }
  return c;
}
