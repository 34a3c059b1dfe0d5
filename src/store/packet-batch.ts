import type { PacketIndexInput } from '../shared/store-rows.js';
import { isoTime } from '../shared/time.js';

/**
 * Packet index rows as columns: the import fills one per database batch instead of an object and an ISO
 * time string per frame (the packets table is most of a capture's rows). `rows()` gives the same rows as
 * objects for a store without a columnar path; the DuckDB store copies the columns into its data chunks.
 */
export class PacketBatch {
  length = 0;
  readonly n: Float64Array;
  /** capture time as (seconds, nanoseconds), as the records carry it */
  readonly tsSec: Float64Array;
  readonly tsNsec: Float64Array;
  readonly fileIndex: Int32Array;
  readonly fileOffset: Float64Array;
  readonly caplen: Float64Array;
  readonly len: Float64Array;
  /** NaN for none */
  readonly flowId: Float64Array;
  readonly protocol: (string | null)[];

  constructor(readonly capacity: number) {
    this.n = new Float64Array(capacity);
    this.tsSec = new Float64Array(capacity);
    this.tsNsec = new Float64Array(capacity);
    this.fileIndex = new Int32Array(capacity);
    this.fileOffset = new Float64Array(capacity);
    this.caplen = new Float64Array(capacity);
    this.len = new Float64Array(capacity);
    this.flowId = new Float64Array(capacity);
    this.protocol = new Array<string | null>(capacity).fill(null);
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  push(
    n: number,
    tsSec: number,
    tsNsec: number,
    fileIndex: number,
    fileOffset: number,
    caplen: number,
    len: number,
    flowId: number | null,
    protocol: string | null,
  ): void {
    const i = this.length++;
    this.n[i] = n;
    this.tsSec[i] = tsSec;
    this.tsNsec[i] = tsNsec;
    this.fileIndex[i] = fileIndex;
    this.fileOffset[i] = fileOffset;
    this.caplen[i] = caplen;
    this.len[i] = len;
    this.flowId[i] = flowId ?? Number.NaN;
    this.protocol[i] = protocol;
  }

  /** Row i as the object the row path writes (same values). */
  row(i: number): PacketIndexInput {
    const f = this.flowId[i]!;
    return {
      n: this.n[i]!,
      ts: isoTime(this.tsSec[i]!, this.tsNsec[i]!),
      file_index: this.fileIndex[i]!,
      file_offset: this.fileOffset[i]!,
      caplen: this.caplen[i]!,
      len: this.len[i]!,
      flow_id: Number.isNaN(f) ? null : f,
      protocol: this.protocol[i]!,
    };
  }

  rows(): PacketIndexInput[] {
    const out: PacketIndexInput[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.row(i));
    return out;
  }

  clear(): void {
    this.length = 0;
  }
}
