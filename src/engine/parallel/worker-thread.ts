/**
 * What every worker thread of pcaplens shares: where its module is (built .js, or the .ts under tsx in tests),
 * and how it ends (a failure becomes one `error` message the main thread turns back into an error).
 */
import type { MessagePort } from 'node:worker_threads';
import { isPcaplensError } from '../../shared/errors.js';

/**
 * The worker module `name` (no extension) beside the module at `base` (its import.meta.url): the .js when built;
 * under tsx (tests) the .ts, through a small bootstrap that registers tsx in the worker (hooks given by --import
 * do not reach a worker's entry).
 */
export function workerEntry(base: string, name: string): { src: string | URL; eval: boolean } {
  if (!base.endsWith('.ts')) return { src: new URL(`./${name}.js`, base), eval: false };
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, base).href;
  return {
    src: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
    eval: true,
  };
}

/** The message a worker posts when its run fails. */
export interface WorkerError {
  t: 'error';
  code: string | null;
  message: string;
}

/** Closes the worker's port when `run` is over, after posting a WorkerError if it failed. */
export function settleWorker(port: MessagePort, run: Promise<void>): void {
  run.then(
    () => port.close(),
    (e: unknown) => {
      port.postMessage({
        t: 'error',
        code: isPcaplensError(e) ? e.code : null,
        message: e instanceof Error ? e.message : String(e),
      } satisfies WorkerError);
      port.close();
    },
  );
}

/**
 * How a run over worker threads ends, seen from the main thread: `over` resolves on ok(), or rejects on the first
 * fail() or when `signal` aborts; later failures are ignored, the first stays in `failed`. dispose() stops
 * listening to the signal.
 */
export class RunOutcome {
  failed: Error | null = null;
  readonly over: Promise<void>;
  private settle!: { ok: () => void; fail: (e: Error) => void };
  private readonly onAbort = (): void => {
    const reason: unknown = this.signal?.reason;
    this.fail(reason instanceof Error ? reason : new Error('aborted'));
  };

  constructor(private readonly signal?: AbortSignal) {
    this.over = new Promise<void>((ok, fail) => (this.settle = { ok, fail }));
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  ok(): void {
    this.settle.ok();
  }

  readonly fail = (e: Error): void => {
    if (this.failed) return;
    this.failed = e;
    this.settle.fail(e);
  };

  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/**
 * A worker's side of the main thread's acknowledgements: at most `credits` posts wait unacknowledged, so a
 * worker running ahead of the main thread waits (take) instead of piling its rows up in memory.
 */
export class AckCredits {
  private wake: (() => void) | null = null;

  constructor(
    port: MessagePort,
    private credits: number,
  ) {
    port.on('message', (m: { t: string }) => {
      if (m.t !== 'ack') return;
      this.credits++;
      this.wake?.();
      this.wake = null;
    });
  }

  /** Resolves once a post may go out, and counts it. */
  async take(): Promise<void> {
    while (this.credits <= 0) await new Promise<void>((r) => (this.wake = r));
    this.credits--;
  }
}
