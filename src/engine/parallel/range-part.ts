/**
 * The second part of a byte-range split `flows` run (range-split.ts): reads one classic pcap file from the cut
 * to its end with a fresh flow Analysis and writes every finished flow's text, one line each, to a spill file
 * (so memory stays bounded by the live flows, not by the part's flow count). What the first part needs to
 * merge comes back small: per flow its creation position and key, and the counts (Analysis.part, FileStats).
 *
 * The rows cannot be final here: ids follow creation order over the whole file, and the conversations live at
 * the cut belong to the first part until they have been silent past every timeout (Analysis.beginTail), which
 * only the first part knows.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { FlowRow } from '../../shared/rows.js';
import type { Problem } from '../../shared/problem.js';
import { Analysis, type AnalysisPart } from '../../flow/analysis.js';
import type { FlowTimeouts } from '../../flow/flow-timeouts.js';
import { ChunkBuffer, DEFAULT_CHUNK_SIZE } from '../../wire/chunk-buffer.js';
import { HARD_MAX_RECORD } from '../../wire/link-types.js';
import { PcapReader, type PcapHeader } from '../../wire/pcap.js';
import { READ_END, READ_NEED_MORE, READ_RECORD } from '../../wire/reader.js';
import { PacketRecord } from '../../wire/record.js';
import { FileStats, type FileStatsPart } from '../file-stats.js';
import { openFileAt } from '../sources/file-source.js';

/** A flow's creation position: file offset of its first record x 64 + the index of its IP layer. */
export const POS_LAYERS = 64;

export interface RangePartInput {
  path: string;
  /** display name for problems */
  name: string;
  size: number;
  header: PcapHeader;
  /** file offset of the first record of this part */
  cut: number;
  /** where the flow texts go, one line each */
  spillPath: string;
  /** flow row -> one line of text without line breaks; default JSON.stringify */
  encode?: (row: FlowRow) => string;
  timeouts?: Partial<FlowTimeouts>;
  idleTimeoutSec?: number;
  /** called once with the first record's time, as soon as it is read */
  onFirst?: (sec: number, nsec: number) => void;
  /** bytes read so far (file offsets), after each chunk */
  onRead?: (read: number) => void;
}

export interface RangePartResult {
  /** flows finished, in the order of the lines of the spill file */
  flows: number;
  /** per flow (spill line), its id in this part */
  ids: Int32Array;
  /** per id, the creation position (POS_LAYERS) */
  posById: Float64Array;
  /** per id, 5 words of its key (FlowState.keyWords) */
  keyWords: Int32Array;
  /** per id of an IPv6 flow, the other address words of its key */
  keyHi: Map<number, Uint32Array>;
  records: number;
  analysis: AnalysisPart;
  file: FileStatsPart;
  /** the reader's problems, record numbers counted from the cut */
  problems: Problem[];
}

const SPILL_BLOCK = 1 << 20;

/** Writes text lines to a file through one reused block. */
class LineSpill {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(SPILL_BLOCK);
  private used = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w', 0o600);
  }

  line(text: string): void {
    const max = text.length * 3 + 1;
    if (this.used + max > this.buf.length) {
      this.flush();
      if (max > this.buf.length) this.buf = Buffer.allocUnsafe(max);
    }
    this.used += this.buf.write(text, this.used, 'utf8');
    this.buf[this.used++] = 10;
  }

  flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export async function runRangePart(o: RangePartInput): Promise<RangePartResult> {
  const encode = o.encode ?? ((row: FlowRow) => JSON.stringify(row));
  const spill = new LineSpill(o.spillPath);
  const source = await openFileAt(o.path, o.size, o.cut);
  try {
    const cb = new ChunkBuffer(source, DEFAULT_CHUNK_SIZE, HARD_MAX_RECORD);
    cb.base = o.cut;
    const reader = new PcapReader(cb, o.name, o.header);
    // creation position and key per local flow id (ids are dense from 1 in this part)
    let posById = new Float64Array(1 << 16);
    let keyWords = new Int32Array(5 << 16);
    const keyHi = new Map<number, Uint32Array>();
    let ids = new Int32Array(1 << 16);
    let flows = 0;
    const analysis = new Analysis({
      hosts: false,
      fileNames: [o.name],
      timeouts: o.timeouts,
      idleTimeoutSec: o.idleTimeoutSec,
      onFlowStart: (f, rec, layer) => {
        if (f.id >= posById.length) {
          const next = new Float64Array(posById.length * 2);
          next.set(posById);
          posById = next;
          const words = new Int32Array(keyWords.length * 2);
          words.set(keyWords);
          keyWords = words;
        }
        posById[f.id] = rec.fileOffset * POS_LAYERS + layer;
        const hi = f.keyWords(keyWords, f.id * 5);
        if (hi !== null) keyHi.set(f.id, hi);
      },
      onFlow: (row) => {
        if (flows >= ids.length) {
          const next = new Int32Array(ids.length * 2);
          next.set(ids);
          ids = next;
        }
        ids[flows++] = row.id;
        spill.line(encode(row));
      },
    });
    const stats = new FileStats(1);
    const rec = new PacketRecord();
    let records = 0;
    for (;;) {
      const s = reader.read(rec);
      if (s === READ_RECORD) {
        rec.fileIndex = 0;
        if (records++ === 0) o.onFirst?.(rec.tsSec, rec.tsNsec);
        stats.add(rec);
        analysis.addPacket(rec);
      } else if (s === READ_NEED_MORE) {
        await reader.fill();
        o.onRead?.(source.consumed);
      } else if (s === READ_END) break;
    }
    if (records === 0) o.onFirst?.(-1, 0);
    analysis.finish();
    spill.flush();
    return {
      flows,
      ids: ids.slice(0, flows),
      posById,
      keyWords,
      keyHi,
      records,
      analysis: analysis.part(),
      file: stats.part(0),
      problems: reader.problems,
    };
  } finally {
    spill.close();
    await source.close();
  }
}
