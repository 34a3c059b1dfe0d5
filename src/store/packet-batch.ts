import type { PacketIndexInput } from '../shared/store-rows.js';
import { isoTime } from '../shared/time.js';

/**
 * The columns of a PacketBatch as plain data: what a decoding thread posts to the thread that writes the store
 * (typed arrays are copied by postMessage, never transferred: a detached buffer on the decoding thread would
 * deoptimise its decoders).
 */
export interface PacketColumns {
  length: number;
  n: Float64Array;
  /** capture time as (seconds, nanoseconds), as the records carry it */
  tsSec: Float64Array;
  tsNsec: Float64Array;
  fileIndex: Int32Array;
  fileOffset: Float64Array;
  caplen: Float64Array;
  len: Float64Array;
  /** NaN for none */
  flowId: Float64Array;
  /** index into the batch's protocol names; -1 for none */
  protoId: Int16Array;
}

/**
 * Packet index rows as columns: the import fills one per database batch instead of an object and an ISO
 * time string per frame (the packets table is most of a capture's rows). `rows()` gives the same rows as
 * objects for a store without a columnar path; the DuckDB store copies the columns into its data chunks.
 */
export class PacketBatch implements PacketColumns {
  length = 0;
  readonly n: Float64Array;
  readonly tsSec: Float64Array;
  readonly tsNsec: Float64Array;
  readonly fileIndex: Int32Array;
  readonly fileOffset: Float64Array;
  readonly caplen: Float64Array;
  readonly len: Float64Array;
  readonly flowId: Float64Array;
  readonly protoId: Int16Array;

  /** `protoNames`: the protocol column's text by protoId (the decoder's PROTO_NAMES) */
  constructor(
    readonly capacity: number,
    readonly protoNames: readonly string[],
    from?: PacketColumns,
  ) {
    if (from) {
      this.length = from.length;
      this.n = from.n;
      this.tsSec = from.tsSec;
      this.tsNsec = from.tsNsec;
      this.fileIndex = from.fileIndex;
      this.fileOffset = from.fileOffset;
      this.caplen = from.caplen;
      this.len = from.len;
      this.flowId = from.flowId;
      this.protoId = from.protoId;
      return;
    }
    this.n = new Float64Array(capacity);
    this.tsSec = new Float64Array(capacity);
    this.tsNsec = new Float64Array(capacity);
    this.fileIndex = new Int32Array(capacity);
    this.fileOffset = new Float64Array(capacity);
    this.caplen = new Float64Array(capacity);
    this.len = new Float64Array(capacity);
    this.flowId = new Float64Array(capacity);
    this.protoId = new Int16Array(capacity);
  }

  /** A batch over columns received from another thread (no copy). */
  static of(cols: PacketColumns, protoNames: readonly string[]): PacketBatch {
    return new PacketBatch(cols.n.length, protoNames, cols);
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
    protoId: number,
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
    this.protoId[i] = protoId;
  }

  /** The protocol column of row i. */
  protocol(i: number): string | null {
    const id = this.protoId[i]!;
    return id >= 0 ? (this.protoNames[id] ?? null) : null;
  }

  /** A copy of the filled part of the columns as plain data, for postMessage: the batch can be filled again. */
  copyColumns(): PacketColumns {
    const k = this.length;
    return {
      length: k,
      n: this.n.slice(0, k),
      tsSec: this.tsSec.slice(0, k),
      tsNsec: this.tsNsec.slice(0, k),
      fileIndex: this.fileIndex.slice(0, k),
      fileOffset: this.fileOffset.slice(0, k),
      caplen: this.caplen.slice(0, k),
      len: this.len.slice(0, k),
      flowId: this.flowId.slice(0, k),
      protoId: this.protoId.slice(0, k),
    };
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
      protocol: this.protocol(i),
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
