/**
 * Worker thread of flow-json-pipe.ts: flows as numbers in, their rows' JSON out, batch by batch in order. With
 * an `fd` (the process's standard output) it writes the bytes itself and answers with the row count only;
 * otherwise the text goes back to be written by the main thread.
 */
import { writeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { FLOW_WORDS, FlowState } from '../../flow/flow-state.js';
import { FlowKey } from '../../flow/flow-key.js';
import { ByteSink } from './byte-sink.js';
import { writeFlowStateJson } from './flow-state-json.js';
import { SLOT_WORDS, type PipeReply, type PipeRequest, type PipeWorkerData } from './flow-json-pipe.js';

// This thread keeps nothing alive but a few buffers, yet V8 grew its young generation to the 16 MB semi-spaces
// on a long run: 24 MB more peak RSS on the 1 GiB bench capture (159 -> 135 MB with the flag, +28 % -> +12 %
// over the 512 MiB one) and no speed. resourceLimits.maxYoungGenerationSizeMb did not have that effect.
setFlagsFromString('--semi-space-growth-factor=1');

const ROW_NEXT = Buffer.from(',\n');
const OPEN = 0x5b; // '[': the stream's first row starts with "[\n" where the others have ",\n"
const port = parentPort!;
const { fd, done, ring } = workerData as PipeWorkerData;
const flow = new FlowState(0, new FlowKey());
const sink = new ByteSink(1 << 20);
const pause = new Int32Array(new SharedArrayBuffer(4));
let rows = 0;

/**
 * All of buf[0, n) to fd, waiting out a full pipe (EAGAIN on a non-blocking descriptor); false when the reader
 * has gone away (EPIPE: `pcaplens flows x.pcap | head`).
 */
function writeAll(out: number, buf: Buffer, n: number): boolean {
  let off = 0;
  while (off < n) {
    try {
      off += writeSync(out, buf, off, n - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return false;
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
  return true;
}

port.on('message', (m: PipeRequest) => {
  const start = sink.pos;
  const base = m.slot * SLOT_WORDS;
  for (let i = 0; i < m.n; i++) {
    sink.bytes(ROW_NEXT, false);
    writeFlowStateJson(sink, flow.loadFrom(ring, base + i * FLOW_WORDS, m.names));
  }
  if (fd === null) {
    port.postMessage({ text: sink.take(), rows: m.n } satisfies PipeReply);
    batchDone();
    return;
  }
  if (rows === 0 && m.n > 0) sink.buf[start] = OPEN;
  rows += m.n;
  const written = writeAll(fd, sink.buf, sink.pos);
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
