/**
 * `flows --format json` on two threads as a pipeline: the reading thread saves each finished flow as numbers
 * (FlowState.saveTo) into a ring of batches shared with a worker thread (flow-json-pipe-worker.ts), which writes
 * their JSON (flow-state-json.ts) to the process's standard output itself, or sends the text back to be written
 * by the stream. The reading thread no longer builds rows or text: measured on the 1 GiB bench capture, that was
 * about a fifth of its time. Rows, their order and the bytes written are those of RowStream.add.
 */
import { Worker } from 'node:worker_threads';
import { FLOW_WORDS, SavedNames, type FlowState } from '../../flow/flow-state.js';
import { ByteSink } from './byte-sink.js';
import { writeFlowBatchJson } from './flow-state-json.js';
import { passTurn, waitFor, waitTurn, writeAll } from './write-all.js';
import type { RowStream } from './row-stream.js';
import { workerEntry } from '../../engine/parallel/worker-thread.js';

/** flows per batch */
const BATCH = 2048;
/** batches sent and not yet handled by the worker at most, before the reading thread waits (send) */
const MAX_PENDING = 8;
/** a wait for the other thread longer than this means it is stuck or gone: the waiting one stops waiting */
export const STUCK_MS = 60_000;

export interface PipeRequest {
  /** the ring slot holding the batch (PipeWorkerData.ring, BATCH * FLOW_WORDS numbers a slot) */
  slot: number;
  /** the batch's own copy instead of a ring slot (the end of the input, FlowJsonPipe.tail) */
  words?: Float64Array;
  /** the batch's place in the output: batches are written in this order */
  seq: number;
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
  /** done[0]: batches the worker has handled (shared: the reading thread waits on it without its event loop) */
  done: Int32Array;
  /** RING_SLOTS batches of flows as numbers, shared: a batch is written once, in place, and read in place */
  ring: Float64Array;
  /** turn[0]: batches written to fd so far (the next batch to write), shared by the two writing threads */
  turn: Int32Array;
}

/** numbers per ring slot */
export const SLOT_WORDS = BATCH * FLOW_WORDS;
/** one slot more than batches may wait: the slot written next is always one the worker is done with */
const RING_SLOTS = MAX_PENDING + 1;

const here = import.meta.url;

export class FlowJsonPipe {
  private readonly worker: Worker;
  private readonly ring = new Float64Array(new SharedArrayBuffer(RING_SLOTS * SLOT_WORDS * 8));
  /** where the batch being filled starts in the ring */
  private base = 0;
  private n = 0;
  private readonly saved = new SavedNames();
  private readonly names = this.saved.list;
  private pending = 0;
  private sent = 0;
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private readonly turn = new Int32Array(new SharedArrayBuffer(4));
  /** the next batch's place in the output */
  private seq = 0;
  /**
   * Past the end of the input (onEndOfInput), when the worker writes to fd itself: every live flow is handed
   * over at once and the worker's writing of them was the run's last ~45 ms on the bench capture, with this
   * thread idle. So every other batch is kept here and written by this thread in end(), in its turn.
   */
  private tail = false;
  private readonly kept: { words: Float64Array; n: number; seq: number }[] = [];
  private wake: (() => void) | null = null;
  private failed: Error | null = null;

  /**
   * `fd`: the descriptor `stream` writes to when it is the process's standard output (then the worker writes
   * there itself, sparing this thread the text), else null.
   */
  constructor(
    private readonly stream: RowStream,
    private readonly fd: number | null,
    private readonly onClosed: () => void = () => undefined,
  ) {
    const entry = workerEntry(here, 'flow-json-pipe-worker');
    this.worker = new Worker(entry.src, {
      eval: entry.eval,
      workerData: { fd, done: this.done, ring: this.ring, turn: this.turn } satisfies PipeWorkerData,
    });
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

  /** What a flows-only run (analyzeFiles) takes to hand its finished flows to this pipe. */
  get analysisOptions(): {
    onFlowState: (f: FlowState) => void;
    afterChunk: () => Promise<void>;
    onEndOfInput: () => void;
  } {
    return {
      onFlowState: this.push,
      afterChunk: this.afterChunk,
      onEndOfInput: () => (this.tail = this.fd !== null),
    };
  }

  /** A finished flow (Analysis onFlowState): copied, so the flow object may be reused at once. */
  readonly push = (f: FlowState): void => {
    f.saveTo(this.ring, this.base + this.n * FLOW_WORDS, this.saved.index);
    if (++this.n === BATCH) this.send();
  };

  private send(): void {
    if (this.n === 0) return;
    const seq = this.seq++;
    if (this.tail) {
      // copies, so that no ring slot is reused while the worker may wait for this thread's turn (end())
      const words = this.ring.slice(this.base, this.base + this.n * FLOW_WORDS);
      if (seq % 2 === 1) this.kept.push({ words, n: this.n, seq });
      else this.post({ slot: -1, words, n: this.n, names: this.names, seq });
      this.n = 0;
      return;
    }
    // The batch stays where it was written, in memory shared with the worker: only the slot number is posted.
    // Transferring a buffer instead would detach it, and the first ArrayBuffer a thread detaches invalidates
    // V8's "never detached" assumption: every optimized function of that thread that reads a typed array (all
    // the decoders) is thrown away and rebuilt with a detached check on each access. On the bench capture that
    // was 42 functions and 13-27 % of this thread's busy time. Copying a batch (480 KB) instead left the worker
    // with copies its garbage collector let pile up (+18 MB peak RSS on the 1 GiB capture over the 512 MiB one).
    this.post({ slot: this.sent % RING_SLOTS, n: this.n, names: this.names, seq });
    this.n = 0;
    this.holdBack();
    this.base = (this.sent % RING_SLOTS) * SLOT_WORDS;
  }

  private post(m: PipeRequest): void {
    this.worker.postMessage(m);
    this.pending++;
    this.sent++;
  }

  /** Writes the batches kept past the end of the input, each in its turn between the worker's. */
  private writeKept(fd: number): void {
    const sink = new ByteSink(1 << 20);
    for (const b of this.kept) {
      writeFlowBatchJson(sink, b.words, 0, b.n, this.names);
      if (!waitTurn(this.turn, b.seq, STUCK_MS)) throw new Error('the flow JSON thread stopped writing');
      const written = writeAll(fd, sink.buf, sink.pos);
      passTurn(this.turn);
      sink.pos = 0;
      this.stream.countRowsWritten(b.n);
      if (!written) this.onClosed();
    }
    this.kept.length = 0;
  }

  /**
   * Waits, blocking this thread, while more than MAX_PENDING batches are not handled yet: the copies queued for
   * the worker stay bounded also where this thread cannot await, as when Analysis.finish() hands over every
   * live flow at once (on the bench capture that burst was 38 batches, 18 MB, without the wait).
   */
  private holdBack(): void {
    waitFor(this.done, (done) => this.sent - done <= MAX_PENDING, STUCK_MS);
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

  /**
   * Runs `analyze` with this pipe's analysis options, then writes the last rows (end()); the worker is stopped
   * whatever happens.
   */
  async run(analyze: (opts: FlowJsonPipe['analysisOptions']) => Promise<unknown>): Promise<void> {
    try {
      await analyze(this.analysisOptions);
      await this.end();
    } finally {
      await this.close();
    }
  }

  /** Stops the worker (after a failed run; end() does it otherwise). */
  close(): Promise<number> {
    return this.worker.terminate();
  }

  /** Sends the last flows and waits until every row is written to the stream. */
  async end(): Promise<void> {
    try {
      this.send();
      if (this.fd !== null && this.kept.length > 0) this.writeKept(this.fd);
      await this.waitBelow(0);
    } finally {
      await this.worker.terminate();
    }
  }
}
