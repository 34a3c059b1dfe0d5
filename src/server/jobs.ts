import { PcaplensError, isPcaplensError, type ErrorCode } from '../shared/errors.js';
import type { CaptureRow } from '../shared/store-rows.js';
import type { Progress } from '../engine/progress.js';

/**
 * The ingest queue: uploaded files wait here and are ingested one capture at a time in the background.
 * Jobs live in memory (the store holds what finished); each job tells its listeners (the SSE streams) about
 * progress, and about the end: done with the stored capture, failed with a stable code, or cancelled.
 */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobView {
  /** "j<n>", distinct from the numeric ids of stored captures */
  id: string;
  name: string;
  files: string[];
  /** bytes uploaded */
  size: number;
  state: JobState;
  progress: Progress | null;
  capture_id: number | null;
  error: { code: ErrorCode; message: string } | null;
  created_at: string;
}

export type JobEvent =
  | { type: 'progress'; job: JobView }
  | { type: 'done'; job: JobView; capture: CaptureRow }
  | { type: 'failed'; job: JobView }
  | { type: 'cancelled'; job: JobView };

export type JobRunner = (
  job: { name: string; paths: string[] },
  opts: { signal: AbortSignal; onProgress: (p: Progress) => void },
) => Promise<CaptureRow>;

interface Job {
  view: JobView;
  paths: string[];
  abort: AbortController;
  listeners: Set<(e: JobEvent) => void>;
  capture: CaptureRow | null;
  /** called once the job has ended, whatever the outcome (removes uploaded files when asked) */
  cleanup: (state: JobState) => Promise<void>;
}

/** Finished jobs kept for late SSE subscribers and the captures page. */
const KEEP_FINISHED = 200;

export class IngestQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly waiting: Job[] = [];
  private running: Job | null = null;
  private nextId = 1;
  private idle: Promise<void> = Promise.resolve();
  private closed = false;
  /** told of every job's end (done, failed, cancelled), before the job's own listeners */
  private readonly endListeners = new Set<(e: JobEvent) => void>();

  constructor(private readonly runner: JobRunner) {}

  /** Subscribes to the end of every job (the captures list cache, the warmer); returns the unsubscribe function. */
  onJobEnd(fn: (e: JobEvent) => void): () => void {
    this.endListeners.add(fn);
    return () => this.endListeners.delete(fn);
  }

  add(name: string, paths: string[], size: number, cleanup: (state: JobState) => Promise<void>): JobView {
    if (this.closed) throw new PcaplensError('E_USAGE', 'the server is shutting down');
    const job: Job = {
      view: {
        id: `j${this.nextId++}`,
        name,
        files: paths.map((p) => p.slice(p.lastIndexOf('/') + 1)),
        size,
        state: 'queued',
        progress: null,
        capture_id: null,
        error: null,
        created_at: new Date().toISOString(),
      },
      paths,
      abort: new AbortController(),
      listeners: new Set(),
      capture: null,
      cleanup,
    };
    this.jobs.set(job.view.id, job);
    this.waiting.push(job);
    this.prune();
    this.pump();
    return { ...job.view };
  }

  get(id: string): JobView | null {
    const j = this.jobs.get(id);
    return j ? { ...j.view } : null;
  }

  /** Jobs queued or running. */
  active(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  /** Newest first. */
  list(): JobView[] {
    return [...this.jobs.values()].reverse().map((j) => ({ ...j.view }));
  }

  /** The stored capture of a finished job. */
  capture(id: string): CaptureRow | null {
    return this.jobs.get(id)?.capture ?? null;
  }

  /** Cancels a queued or running job; false when it had already ended (or never existed). */
  cancel(id: string): boolean {
    const j = this.jobs.get(id);
    if (!j || (j.view.state !== 'queued' && j.view.state !== 'running')) return false;
    if (j.view.state === 'queued') {
      this.waiting.splice(this.waiting.indexOf(j), 1);
      this.finish(j, 'cancelled');
    } else {
      j.abort.abort();
    }
    return true;
  }

  /** Subscribes to a job's events; returns the unsubscribe function, or null when there is no such job. */
  subscribe(id: string, fn: (e: JobEvent) => void): (() => void) | null {
    const j = this.jobs.get(id);
    if (!j) return null;
    j.listeners.add(fn);
    return () => j.listeners.delete(fn);
  }

  /** Cancels everything and waits for the running job to stop. */
  async close(): Promise<void> {
    this.closed = true;
    for (const j of [...this.waiting]) this.cancel(j.view.id);
    if (this.running) this.running.abort.abort();
    await this.idle;
  }

  /** Resolves when nothing is queued or running (tests). */
  async drained(): Promise<void> {
    while (this.running || this.waiting.length) await this.idle;
  }

  private emit(j: Job, e: JobEvent): void {
    for (const fn of [...j.listeners]) {
      try {
        fn(e);
      } catch {
        j.listeners.delete(fn);
      }
    }
  }

  private finish(j: Job, state: JobState, error?: unknown): void {
    j.view.state = state;
    if (state === 'failed') {
      const code: ErrorCode = isPcaplensError(error) ? error.code : 'E_IO';
      const message = error instanceof Error ? error.message : String(error);
      j.view.error = { code, message };
    }
    const view = { ...j.view };
    let event: JobEvent | null = null;
    if (state === 'done' && j.capture) event = { type: 'done', job: view, capture: j.capture };
    else if (state === 'failed') event = { type: 'failed', job: view };
    else if (state === 'cancelled') event = { type: 'cancelled', job: view };
    if (event) {
      // first the server's own listeners (the captures list forgets itself), so a client told "done" over
      // SSE and asking for the list at once sees the new capture
      for (const fn of [...this.endListeners]) {
        try {
          fn(event);
        } catch {
          // a failing listener must not stop the queue
        }
      }
      this.emit(j, event);
    }
    j.listeners.clear();
  }

  private pump(): void {
    if (this.running || this.waiting.length === 0) return;
    const j = this.waiting.shift()!;
    this.running = j;
    this.idle = this.runOne(j).finally(() => {
      this.running = null;
      this.pump();
    });
  }

  private async runOne(j: Job): Promise<void> {
    j.view.state = 'running';
    this.emit(j, { type: 'progress', job: { ...j.view } });
    let state: JobState = 'done';
    try {
      j.capture = await this.runner(
        { name: j.view.name, paths: j.paths },
        {
          signal: j.abort.signal,
          onProgress: (p) => {
            j.view.progress = { ...p };
            this.emit(j, { type: 'progress', job: { ...j.view } });
          },
        },
      );
      j.view.capture_id = j.capture.id;
    } catch (e) {
      state = j.abort.signal.aborted ? 'cancelled' : 'failed';
      this.finish(j, state, e);
    }
    if (state === 'done') this.finish(j, 'done');
    await j.cleanup(state).catch(() => undefined);
  }

  private prune(): void {
    const ended = [...this.jobs.values()].filter(
      (j) => j.view.state !== 'queued' && j.view.state !== 'running',
    );
    for (const j of ended.slice(0, Math.max(0, ended.length - KEEP_FINISHED))) this.jobs.delete(j.view.id);
  }
}
