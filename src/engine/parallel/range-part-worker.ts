/**
 * Worker thread of a byte-range split `flows` run (range-split.ts): runs the part after the cut
 * (range-part.ts) and posts its first record's time as soon as it has it, then its result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FlowRow } from '../../shared/rows.js';
import type { PcapHeader } from '../../wire/pcap.js';
import type { FlowTimeouts } from '../../flow/flow-timeouts.js';
import { runRangePart, type RangePartResult } from './range-part.js';
import { settleWorker } from './worker-thread.js';

export interface RangePartWorkerData {
  path: string;
  size: number;
  header: PcapHeader;
  cut: number;
  spillPath: string;
  /** module URL exporting flowJsonTail(row): the rows are spilled as that text, else as JSON.stringify(row) */
  encoder?: string;
  timeouts?: Partial<FlowTimeouts>;
  idleTimeoutSec?: number;
}

export type RangePartMessage =
  | { t: 'first'; sec: number }
  | { t: 'done'; result: RangePartResult }
  | { t: 'error'; code: string | null; message: string };

const port = parentPort!;
const d = workerData as RangePartWorkerData;

async function run(): Promise<void> {
  let encode: ((row: FlowRow) => string) | undefined;
  if (d.encoder !== undefined)
    encode = ((await import(d.encoder)) as { flowJsonTail: (row: FlowRow) => string }).flowJsonTail;
  const result = await runRangePart({
    path: d.path,
    name: d.path,
    size: d.size,
    header: d.header,
    cut: d.cut,
    spillPath: d.spillPath,
    ...(encode ? { encode } : {}),
    ...(d.timeouts ? { timeouts: d.timeouts } : {}),
    ...(d.idleTimeoutSec !== undefined ? { idleTimeoutSec: d.idleTimeoutSec } : {}),
    onFirst: (sec) => port.postMessage({ t: 'first', sec } satisfies RangePartMessage),
  });
  port.postMessage({ t: 'done', result } satisfies RangePartMessage, [
    result.ids.buffer as ArrayBuffer,
    result.posById.buffer as ArrayBuffer,
    result.keyWords.buffer as ArrayBuffer,
  ]);
}

settleWorker(port, run());
