/**
 * Worker thread of flow-json-pipe.ts: flows as numbers in, their rows' JSON out, batch by batch in order. With
 * an `fd` (the process's standard output) it writes the bytes itself and answers with the row count only;
 * otherwise the text goes back to be written by the main thread.
 */
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { FLOW_WORDS, FlowState } from '../../flow/flow-state.js';
import { FlowKey } from '../../flow/flow-key.js';
import { ByteSink } from './byte-sink.js';
import { writeFlowStateJson } from './flow-state-json.js';
import type { PipeReply, PipeRequest, PipeWorkerData } from './flow-json-pipe.js';

const ROW_NEXT = Buffer.from(',\n');
const OPEN = 0x5b; // '[': the stream's first row starts with "[\n" where the others have ",\n"
const port = parentPort!;
const fd = (workerData as PipeWorkerData).fd;
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
  for (let i = 0; i < m.n; i++) {
    sink.bytes(ROW_NEXT, false);
    writeFlowStateJson(sink, flow.loadFrom(m.words, i * FLOW_WORDS, m.names));
  }
  if (fd === null) {
    port.postMessage({ text: sink.take(), rows: m.n } satisfies PipeReply);
    return;
  }
  if (rows === 0 && m.n > 0) sink.buf[start] = OPEN;
  rows += m.n;
  const written = writeAll(fd, sink.buf, sink.pos);
  sink.pos = 0;
  sink.take();
  port.postMessage({ text: null, rows: m.n, ...(written ? {} : { closed: true }) } satisfies PipeReply);
});
