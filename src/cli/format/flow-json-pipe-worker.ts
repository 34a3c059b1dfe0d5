/**
 * Worker thread of flow-json-pipe.ts: flows as numbers in, their rows' JSON out, batch by batch in order. With
 * an `fd` (the process's standard output) it writes the bytes itself and answers with the row count only;
 * otherwise the text goes back to be written by the main thread.
 */
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { ByteSink } from './byte-sink.js';
import { writeFlowBatchJson } from './flow-state-json.js';
import {
  SLOT_WORDS,
  STUCK_MS,
  type PipeReply,
  type PipeRequest,
  type PipeWorkerData,
} from './flow-json-pipe.js';
import { passTurn, waitTurn, writeAll } from './write-all.js';

// This thread keeps nothing alive but a few buffers, yet V8 grew its young generation to the 16 MB semi-spaces
// on a long run: 24 MB more peak RSS on the 1 GiB bench capture (159 -> 135 MB with the flag, +28 % -> +12 %
// over the 512 MiB one) and no speed. resourceLimits.maxYoungGenerationSizeMb did not have that effect.
setFlagsFromString('--semi-space-growth-factor=1');

const OPEN = 0x5b; // '[': the stream's first row starts with "[\n" where the others have ",\n"
const port = parentPort!;
const { fd, done, ring, turn } = workerData as PipeWorkerData;
const sink = new ByteSink(1 << 20);

port.on('message', (m: PipeRequest) => {
  const start = sink.pos;
  // a batch is either in the shared ring (m.slot) or, at the end of the input, a copy of its own (m.words)
  const words = m.words ?? ring;
  const base = m.words ? 0 : m.slot * SLOT_WORDS;
  writeFlowBatchJson(sink, words, base, m.n, m.names);
  if (fd === null) {
    port.postMessage({ text: sink.take(), rows: m.n } satisfies PipeReply);
    batchDone();
    return;
  }
  if (m.seq === 0) sink.buf[start] = OPEN;
  // batches are written in their order, also when the reading thread writes some of them (FlowJsonPipe.end)
  waitTurn(turn, m.seq, STUCK_MS);
  const written = writeAll(fd, sink.buf, sink.pos);
  passTurn(turn);
  sink.pos = 0;
  sink.take();
  port.postMessage({ text: null, rows: m.n, ...(written ? {} : { closed: true }) } satisfies PipeReply);
  batchDone();
});

/** Counts a batch handled, for the reading thread that may be waiting on it (FlowJsonPipe.send). */
function batchDone(): void {
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
}
