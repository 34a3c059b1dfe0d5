/**
 * Worker thread of an import decoding off the main thread (ingest-decode.ts): runs analyzeFiles over the
 * capture files, exactly as the one-thread import does, and posts what the store needs chunk by chunk (packet
 * index columns, finished flows as their FlowState words, application rows), then the summary, hosts and pcapng
 * names. At most
 * DECODE_CREDITS chunks are in flight: the main thread acknowledges a chunk once it has written it, so a
 * decoder running ahead of the database waits instead of piling rows up in memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FLOW_WORDS, type FlowState } from '../../flow/flow-state.js';
import type { PacketColumns } from '../../store/packet-batch.js';
import { analyzeFiles, type AnalyzeFilesResult } from '../analyze-files.js';
import type { AppRowSink, AppTable } from '../app-tables.js';
import { PacketIndexBatches } from '../packet-index.js';
import type { Progress } from '../progress.js';
import { settleWorker, type WorkerError } from './worker-thread.js';

export interface DecodeWorkerData {
  paths: string[];
  /** packet index rows per batch */
  batchRows: number;
}

/** What the main thread writes for one chunk of input, in the order the one-thread import writes it. */
/** Finished flows as FlowState.saveTo wrote them: the receiver builds their rows (flowRow after loadFrom). */
export interface FlowWords {
  words: Float64Array;
  n: number;
  /** the strings the words' app indices name */
  names: string[];
}

export interface DecodeChunk {
  packets: PacketColumns[];
  flows: FlowWords;
  /** application rows by table, each table's rows in the order they were found */
  app: Partial<Record<AppTable, unknown[]>>;
  appRows: number;
}

export type DecodeMessage =
  | { t: 'chunk'; chunk: DecodeChunk }
  | { t: 'progress'; progress: Progress }
  | { t: 'done'; result: Pick<AnalyzeFilesResult, 'summary' | 'hosts' | 'names'> }
  | WorkerError;

/**
 * chunks posted and not yet acknowledged at most: enough for the decoder to go on while the main thread writes
 * a batch of 20 000 packets (3 left it waiting there: 18 s against 15-16 s on the 1 GiB bench capture)
 */
export const DECODE_CREDITS = 16;

const port = parentPort!;
const d = workerData as DecodeWorkerData;
let credits = DECODE_CREDITS;
let wake: (() => void) | null = null;
port.on('message', (m: { t: string }) => {
  if (m.t === 'ack') {
    credits++;
    wake?.();
    wake = null;
  }
});

// finished flows of the chunk being gathered, saved as numbers: cloning FlowState words costs a fraction of
// building FlowRow objects here and cloning them, and the writing thread has the time to build the rows
const names: string[] = [];
const nameIndex = new Map<string, number>();
const nameOf = (s: string | null): number => {
  if (s === null) return -1;
  let i = nameIndex.get(s);
  if (i === undefined) {
    i = names.length;
    names.push(s);
    nameIndex.set(s, i);
  }
  return i;
};
let flowWords = new Float64Array(FLOW_WORDS * 4096);
let flows = 0;

const fresh = (): DecodeChunk => ({
  packets: [],
  flows: { words: flowWords, n: 0, names },
  app: {},
  appRows: 0,
});
let cur = fresh();

function saveFlow(f: FlowState): void {
  if ((flows + 1) * FLOW_WORDS > flowWords.length) {
    const more = new Float64Array(flowWords.length * 2);
    more.set(flowWords);
    flowWords = more;
  }
  f.saveTo(flowWords, flows * FLOW_WORDS, nameOf);
  flows++;
}

/** Copies of the used part of a batch's columns: the batch itself is filled again at once. */
function copyColumns(c: PacketColumns): PacketColumns {
  const k = c.length;
  return {
    length: k,
    n: c.n.slice(0, k),
    tsSec: c.tsSec.slice(0, k),
    tsNsec: c.tsNsec.slice(0, k),
    fileIndex: c.fileIndex.slice(0, k),
    fileOffset: c.fileOffset.slice(0, k),
    caplen: c.caplen.slice(0, k),
    len: c.len.slice(0, k),
    flowId: c.flowId.slice(0, k),
    protoId: c.protoId.slice(0, k),
  };
}

async function post(): Promise<void> {
  const chunk = cur;
  if (chunk.packets.length === 0 && flows === 0 && chunk.appRows === 0) return;
  // copies: the flow buffer is filled again at once
  chunk.flows = { words: flowWords.slice(0, flows * FLOW_WORDS), n: flows, names: names.slice() };
  flows = 0;
  cur = fresh();
  while (credits <= 0) await new Promise<void>((r) => (wake = r));
  credits--;
  port.postMessage({ t: 'chunk', chunk } satisfies DecodeMessage);
}

async function run(): Promise<void> {
  const index = new PacketIndexBatches(d.batchRows, (full) => {
    cur.packets.push(copyColumns(full));
    full.clear();
    return full;
  });
  const onRow: AppRowSink = (table, row) => {
    const rows = cur.app[table];
    if (rows) rows.push(row);
    else cur.app[table] = [row];
    cur.appRows++;
  };
  const r = await analyzeFiles(d.paths, {
    ...index.hooks,
    onFlowState: saveFlow,
    onRow,
    afterChunk: post,
    onProgress: (progress) => port.postMessage({ t: 'progress', progress } satisfies DecodeMessage),
  });
  if (index.current.length) cur.packets.push(copyColumns(index.current));
  await post();
  const result = { summary: r.summary, hosts: r.hosts, names: r.names };
  port.postMessage({ t: 'done', result } satisfies DecodeMessage);
}

settleWorker(port, run());
