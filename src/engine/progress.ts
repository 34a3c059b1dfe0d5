/** Progress of a run, as reported to the CLI bar, the server's SSE stream and the UI. */
export interface Progress {
  /** bytes consumed from the input files (compressed bytes for gzip) */
  bytesRead: number;
  /** total size of the input files in bytes (-1 when a size is unknown) */
  bytesTotal: number;
  packets: number;
  /** conversations seen so far */
  flows: number;
  elapsedMs: number;
  /** estimated time left, null until it can be estimated */
  etaMs: number | null;
  /** true on the last event of a run */
  done: boolean;
}

/**
 * Calls `emit` at most once per `intervalMs` (plus always on the final event). `tick` is cheap enough to call
 * every few thousand packets; the clock is injectable for tests.
 */
export class ProgressThrottle {
  private readonly start: number;
  private last = -Infinity;

  constructor(
    private readonly emit: (p: Progress) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.start = now();
  }

  tick(bytesRead: number, bytesTotal: number, packets: number, flows: number, done = false): void {
    const t = this.now();
    if (!done && t - this.last < this.intervalMs) return;
    this.last = t;
    const elapsedMs = t - this.start;
    let etaMs: number | null = null;
    if (done) etaMs = 0;
    else if (bytesTotal > 0 && bytesRead > 0 && elapsedMs >= 200) {
      etaMs = Math.max(0, (elapsedMs * (bytesTotal - bytesRead)) / bytesRead);
    }
    this.emit({ bytesRead, bytesTotal, packets, flows, elapsedMs, etaMs, done });
  }
}
