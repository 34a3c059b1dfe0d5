/**
 * Worker thread of an import decoding off the main thread (ingest-decode.ts): runs analyzeFiles over the
 * capture files, exactly as the one-thread import does, and posts what the store needs chunk by chunk (packet
 * index columns, finished flows as their FlowState words, application rows), then the summary, hosts and pcapng
 * names. At most
 * DECODE_CREDITS chunks are in flight: the main thread acknowledges a chunk once it has written it, so a
 * decoder running ahead of the database waits instead of piling rows up in memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FLOW_WORDS, SavedNames, type FlowState } from '../../flow/flow-state.js';
import type { PacketColumns } from '../../store/packet-batch.js';
import { analyzeFiles, type AnalyzeFilesResult } from '../analyze-files.js';
import type { AppRowSink, AppTable } from '../app-tables.js';
import { PacketIndexBatches } from '../packet-index.js';
import type { Progress } from '../progress.js';
import { AckCredits, settleWorker, type WorkerError } from './worker-thread.js';

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
const credits = new AckCredits(port, DECODE_CREDITS);

// finished flows of the chunk being gathered, saved as numbers: cloning FlowState words costs a fraction of
// building FlowRow objects here and cloning them, and the writing thread has the time to build the rows
const names = new SavedNames();
let flowWords = new Float64Array(FLOW_WORDS * 4096);
let flows = 0;

function saveFlow(f: FlowState): void {
  if ((flows + 1) * FLOW_WORDS > flowWords.length) {
    const more = new Float64Array(flowWords.length * 2);
    more.set(flowWords);
    flowWords = more;
  }
  f.saveTo(flowWords, flows * FLOW_WORDS, names.index);
  flows++;
}

// the rest of the chunk being gathered
let packets: PacketColumns[] = [];
let app: DecodeChunk['app'] = {};
let appRows = 0;

async function post(): Promise<void> {
  if (packets.length === 0 && flows === 0 && appRows === 0) return;
  const chunk: DecodeChunk = {
    packets,
    // copies: the flow buffer is filled again at once
    flows: { words: flowWords.slice(0, flows * FLOW_WORDS), n: flows, names: names.list.slice() },
    app,
  };
  packets = [];
  flows = 0;
  app = {};
  appRows = 0;
  await credits.take();
  port.postMessage({ t: 'chunk', chunk } satisfies DecodeMessage);
}

async function run(): Promise<void> {
  const index = new PacketIndexBatches(d.batchRows, (full) => {
    packets.push(full.copyColumns());
    full.clear();
    return full;
  });
  const onRow: AppRowSink = (table, row) => {
    const rows = app[table];
    if (rows) rows.push(row);
    else app[table] = [row];
    appRows++;
  };
  const r = await analyzeFiles(d.paths, {
    ...index.hooks,
    onFlowState: saveFlow,
    onRow,
    afterChunk: post,
    onProgress: (progress) => port.postMessage({ t: 'progress', progress } satisfies DecodeMessage),
  });
  if (index.current.length) packets.push(index.current.copyColumns());
  await post();
  const result = { summary: r.summary, hosts: r.hosts, names: r.names };
  port.postMessage({ t: 'done', result } satisfies DecodeMessage);
}

settleWorker(port, run());
