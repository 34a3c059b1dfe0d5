/**
 * Warms the response cache after an ingest: the questions the workspace asks first about a new capture
 * (summary, timeline, graph, treemap, chord, geo, top talkers, first pages of hosts and sessions) under the
 * default filter, asked through the server's own routes (so through the same validation, key and
 * single-flight computation as a user's request), one after another, at the lowest priority: a question
 * waits while users' requests are being answered. One capture is warmed at a time; a deleted capture's
 * remaining questions are dropped.
 */

/** Query strings, in the order the workspace needs them (the UI's own parameters, then the API defaults). */
export const WARM_QUESTIONS: readonly string[] = [
  'summary',
  'histogram?group=proto&bins=300', // the timeline brush above every workspace view
  'graph?layer=3&limit=3000',
  'histogram?group=app&bins=150',
  'top?n=10',
  'treemap',
  'chord?n=12',
  'geo',
  'hosts?sort=-bytes_sent&limit=200&offset=0',
  'flows?limit=200&offset=0',
  'parallel?limit=1000',
  'graph?layer=4&limit=3000',
  'graph?layer=2&limit=3000',
  'graph?layer=3&limit=3000&group=subnet',
  'histogram',
  'chord',
  'hosts?limit=100&sort=-bytes_sent',
  'flows?limit=100',
];

export interface WarmerOptions {
  /** asks one question (GET /api/captures/<id>/<question>); resolves with the HTTP status */
  ask: (captureId: number, question: string) => Promise<number>;
  /** users' requests being answered now */
  busy: () => number;
  questions?: readonly string[];
  /** captures waiting to be warmed at most; the oldest waiting is dropped beyond (default 4) */
  maxWaiting?: number;
  /** a question waits for a quiet moment at most this long, then is asked anyway (default 10 s) */
  maxWaitMs?: number;
  /** how often a waiting question looks again (default 20 ms) */
  pollMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Warmer {
  private readonly waiting: number[] = [];
  private current: number | null = null;
  private cancelled = false;
  private closed = false;
  private running: Promise<void> | null = null;
  /** questions answered (any status), failed (threw or >= 500), and captures warmed to the end */
  asked = 0;
  failed = 0;
  captures = 0;
  private readonly questions: readonly string[];
  private readonly maxWaiting: number;
  private readonly maxWaitMs: number;
  private readonly pollMs: number;

  constructor(private readonly opts: WarmerOptions) {
    this.questions = opts.questions ?? WARM_QUESTIONS;
    this.maxWaiting = opts.maxWaiting ?? 4;
    this.maxWaitMs = opts.maxWaitMs ?? 10_000;
    this.pollMs = opts.pollMs ?? 20;
  }

  /** Queues a stored capture to be warmed. */
  enqueue(captureId: number): void {
    if (this.closed || captureId === this.current || this.waiting.includes(captureId)) return;
    this.waiting.push(captureId);
    while (this.waiting.length > this.maxWaiting) this.waiting.shift();
    this.running ??= this.loop().finally(() => {
      this.running = null;
    });
  }

  /** A capture was deleted: its remaining questions are not asked. */
  cancel(captureId: number): void {
    const i = this.waiting.indexOf(captureId);
    if (i >= 0) this.waiting.splice(i, 1);
    if (this.current === captureId) this.cancelled = true;
  }

  /** Resolves when nothing is being warmed or waits to be (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    this.cancelled = true;
    await this.idle();
  }

  private async quiet(): Promise<void> {
    const until = Date.now() + this.maxWaitMs;
    while (this.opts.busy() > 0 && Date.now() < until && !this.cancelled) await sleep(this.pollMs);
  }

  private async loop(): Promise<void> {
    // the ingest job's listeners (SSE "done") go first
    await sleep(0);
    for (let id = this.waiting.shift(); id !== undefined; id = this.waiting.shift()) {
      this.current = id;
      this.cancelled = false;
      for (const q of this.questions) {
        await this.quiet();
        if (this.cancelled) break;
        try {
          const status = await this.opts.ask(id, q);
          this.asked++;
          if (status >= 500) this.failed++;
          // gone (deleted meanwhile): nothing more to ask about it
          if (status === 404) break;
        } catch {
          this.failed++;
        }
        if (this.cancelled) break;
        if (q === this.questions[this.questions.length - 1]) this.captures++;
      }
      this.current = null;
    }
  }
}
