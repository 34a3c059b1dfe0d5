/**
 * The fuzz target: one capture's bytes through everything a capture reaches: reader (and the time-ordered
 * merge), link/IP/transport decoders, defragmentation and flows (Analysis), TCP reassembly and every app-layer
 * parser (AppLayer, wired as the app-layer corpus test wires it), then the rows through JSON, CSV, the
 * terminal table and the views (graph formats, timeline, chord, matrix, HTML report). Any exception escaping is a bug: readers and decoders must turn bad bytes into problems.
 */
import { openCapture } from '../../src/wire/open.js';
import { mergeReaders } from '../../src/wire/merge.js';
import { READ_END, READ_NEED_MORE, READ_RECORD, type CaptureReader } from '../../src/wire/reader.js';
import { PacketRecord } from '../../src/wire/record.js';
import { MemorySource } from '../../src/wire/test-support/memory-source.js';
import { Analysis } from '../../src/flow/analysis.js';
import { AppLayer } from '../../src/flow/reassembly/app/app-layer.js';
import { isPcaplensError } from '../../src/shared/errors.js';
import { csvRows } from '../../src/cli/format/csv.js';
import { renderTable } from '../../src/cli/format/table.js';
import { runViews } from './run-views.js';

/** Ways to run one input; a regression file is replayed with every one of them. */
export const CONFIGS = ['default', 'small-chunks', 'tight-limits', 'merged'] as const;
export type Config = (typeof CONFIGS)[number];

export interface RunStats {
  packets: number;
  flows: number;
  rows: number;
  problems: number;
  /** bytes of transferred files handed over for extraction */
  fileBytes: number;
  /** the open was refused with a PcaplensError (not a capture, truncated header): an expected outcome */
  refused: boolean;
}

/** Reads at most this many records: a duplicated-record mutation can make big inputs, keep each run short. */
const MAX_RECORDS = 200_000;

async function open(bytes: Uint8Array, config: Config, name: string): Promise<CaptureReader> {
  const small = config === 'small-chunks';
  // small chunks and short reads from a source of unknown size: every record boundary crosses a refill
  const src = new MemorySource(bytes, name, small ? 61 : Infinity, !small);
  return openCapture(src, small ? { chunkSize: 512 } : {});
}

export async function runInput(bytes: Uint8Array, config: Config = 'default'): Promise<RunStats> {
  const stats: RunStats = { packets: 0, flows: 0, rows: 0, problems: 0, fileBytes: 0, refused: false };
  let reader: CaptureReader;
  try {
    reader =
      config === 'merged'
        ? mergeReaders([await open(bytes, config, 'a.pcap'), await open(bytes, config, 'b.pcap')])
        : await open(bytes, config, 'fuzz.pcap');
  } catch (e) {
    // refusing a non-capture is the contract; any other exception is a finding
    if (isPcaplensError(e)) {
      stats.refused = true;
      return stats;
    }
    throw e;
  }
  const rows: Record<string, unknown>[] = [];
  const keep = (r: object): void => {
    stats.rows++;
    if (rows.length < 200) rows.push(r as Record<string, unknown>);
  };
  const tight = config === 'tight-limits';
  const app = new AppLayer(
    {
      dns: keep,
      http: keep,
      tls: keep,
      dhcp: keep,
      credential: keep,
      // extraction: the kept bytes come with the row
      file: (r, content) => {
        keep(r);
        if (content) stats.fileBytes += content.length;
      },
      ssh: keep,
      problem: () => stats.problems++,
    },
    tight
      ? {
          limits: { maxHeldBytesPerDir: 4096, maxHeldSegmentsPerDir: 8, maxAheadBytes: 65536 },
          maxHeldBytes: 16384,
          keepFileBytes: 1000,
          maxKeptFileBytes: 3000,
        }
      : { keepFileBytes: 1 << 20 },
  );
  const analysis = new Analysis({
    onPacket: app.onPacket,
    onFlowEnd: app.onFlowEnd,
    fileNames: ['a.pcap', 'b.pcap'],
    ...(tight
      ? {
          maxFlows: 3,
          idleTimeoutSec: 1,
          fragmentLimits: { maxDatagramBytes: 3000, maxTotalBytes: 8192, maxDatagrams: 4, timeoutSec: 1 },
        }
      : {}),
  });
  const rec = new PacketRecord();
  try {
    for (let guard = 0; ; guard++) {
      const s = reader.read(rec);
      if (s === READ_RECORD) {
        analysis.addPacket(rec);
        if (++stats.packets >= MAX_RECORDS) break;
      } else if (s === READ_NEED_MORE) {
        await reader.fill();
      } else if (s === READ_END) break;
      else throw new Error(`reader returned an unknown status ${String(s)}`);
      if (guard > 50 * MAX_RECORDS) throw new Error('reader loops without progress');
    }
  } finally {
    await reader.close();
  }
  const result = analysis.finish();
  stats.flows = result.flows.length;
  stats.problems += result.problems.length + reader.problems.length;
  // outputs: everything must serialise and render
  JSON.stringify(result);
  JSON.stringify(rows);
  const sample = [...result.flows.slice(0, 50), ...result.hosts.slice(0, 50), ...rows] as Record<
    string,
    unknown
  >[];
  const cols = [...new Set(sample.flatMap((r) => Object.keys(r)))];
  for (const _line of csvRows(cols, sample));
  renderTable(cols, sample);
  if (config !== 'small-chunks') runViews(result, rows);
  return stats;
}
