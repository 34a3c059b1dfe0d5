/**
 * `flows --format json` on two threads as a pipeline: the reading thread hands each finished flow over as
 * numbers (FlowState.saveTo, a batch at a time, copied), and a worker thread (flow-json-pipe-worker.ts)
 * builds its row (Community ID, address and time text) and its JSON text, which comes back to be written in
 * order. The reading thread no longer builds rows or text: measured on the 1 GiB bench capture, that was about
 * a fifth of its time. Rows, their order and the bytes written are those of RowStream.add.
 */
import { Worker } from 'node:worker_threads';
import { FLOW_WORDS, type FlowState } from '../../flow/flow-state.js';
import type { RowStream } from './row-stream.js';
import { workerEntry } from '../../engine/parallel/worker-thread.js';

/** flows per batch */
const BATCH = 2048;
/** batches sent and not yet written back at most, before the reading thread waits (afterChunk) */
const MAX_PENDING = 8;

export interface PipeRequest {
  words: Float64Array;
  n: number;
  names: string[];
}

export interface PipeReply {
  /** null when the worker wrote the rows to the file descriptor itself */
  text: string | null;
  rows: number;
  /** the descriptor's reader went away (EPIPE) */
  closed?: true;
}

export interface PipeWorkerData {
  /** the process's standard output, when the stream writes there: the worker writes to it directly */
  fd: number | null;
}

const here = import.meta.url;

export class FlowJsonPipe {
  private readonly worker: Worker;
  private readonly words = new Float64Array(BATCH * FLOW_WORDS);
  private n = 0;
  private readonly names: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  private pending = 0;
  private wake: (() => void) | null = null;
  private failed: Error | null = null;

  /**
   * `fd`: the descriptor `stream` writes to when it is the process's standard output (then the worker writes
   * there itself, sparing this thread the text), else null.
   */
  constructor(
    private readonly stream: RowStream,
    fd: number | null,
    onClosed: () => void = () => undefined,
  ) {
    const entry = workerEntry(here, 'flow-json-pipe-worker');
    this.worker = new Worker(entry.src, { eval: entry.eval, workerData: { fd } satisfies PipeWorkerData });
    this.worker.on('message', (m: PipeReply) => {
      if (m.closed) onClosed();
      if (m.text === null) this.stream.countRowsWritten(m.rows);
      else this.stream.addJsonRowsText(m.text, m.rows);
      this.pending--;
      this.wake?.();
    });
    this.worker.on('error', (e) => {
      this.failed = e;
      this.wake?.();
    });
    this.worker.on('exit', (code) => {
      if (this.pending > 0 && this.failed === null) {
        this.failed = new Error(`the flow JSON thread exited with ${code}`);
        this.wake?.();
      }
    });
  }

  private readonly name = (s: string | null): number => {
    if (s === null) return -1;
    let i = this.nameIndex.get(s);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(s);
      this.nameIndex.set(s, i);
    }
    return i;
  };

  /** What a flows-only run (analyzeFiles) takes to hand its finished flows to this pipe. */
  get analysisOptions(): { onFlowState: (f: FlowState) => void; afterChunk: () => Promise<void> } {
    return { onFlowState: this.push, afterChunk: this.afterChunk };
  }

  /** A finished flow (Analysis onFlowState): copied, so the flow object may be reused at once. */
  readonly push = (f: FlowState): void => {
    f.saveTo(this.words, this.n * FLOW_WORDS, this.name);
    if (++this.n === BATCH) this.send();
  };

  private send(): void {
    if (this.n === 0) return;
    // Copied, not transferred: the first ArrayBuffer a thread detaches invalidates V8's "never detached"
    // assumption, and every optimized function of that thread that reads a typed array (all the decoders) is
    // thrown away and rebuilt with a detached check on each access. On the bench capture that was 42 functions,
    // and copying took 13-27 % off the reading thread's busy time in three paired runs; a batch is 480 KB.
    this.worker.postMessage({ words: this.words, n: this.n, names: this.names } satisfies PipeRequest);
    this.n = 0;
    this.pending++;
  }

  private async waitBelow(max: number): Promise<void> {
    while (this.pending > max && this.failed === null) await new Promise<void>((r) => (this.wake = r));
    this.wake = null;
    if (this.failed) throw this.failed;
  }

  /** Between two chunks of input (AnalyzeOptions.afterChunk): lets the written rows keep up with the reading. */
  readonly afterChunk = async (): Promise<void> => {
    if (this.pending >= MAX_PENDING) await this.waitBelow(MAX_PENDING / 2);
  };

  /** Stops the worker (after a failed run; end() does it otherwise). */
  close(): Promise<number> {
    return this.worker.terminate();
  }

  /** Sends the last flows and waits until every row is written to the stream. */
  async end(): Promise<void> {
    try {
      this.send();
      await this.waitBelow(0);
    } finally {
      await this.worker.terminate();
    }
  }
}
