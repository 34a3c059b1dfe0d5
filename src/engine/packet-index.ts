/**
 * The packet index row of each frame, built from the analyzeFiles hooks: frame number over the merged run,
 * time, where the bytes are (file_index, file_offset of the first data byte), lengths, the innermost
 * conversation and the top decoded protocol. Shared by the store import and the direct (file) runs, so a
 * stored capture and a direct run index frames identically.
 */
import type { PacketIndexInput } from '../shared/store-rows.js';
import { isoTime } from '../shared/time.js';
import { PROTO_NAMES } from '../dissect/proto-ids.js';
import { PacketBatch } from '../store/packet-batch.js';
import type { AnalyzeOptions } from './analyze-files.js';
import type { PacketRecord } from '../wire/record.js';

/**
 * The analyzeFiles hooks that name each record for the index: `emit` gets it with its frame number over the
 * run, its innermost conversation (null for none) and its top decoded protocol (a PROTO_NAMES index, -1 for
 * none). The two index builders below share it.
 */
function frameHooks(
  emit: (rec: PacketRecord, n: number, flowId: number | null, topProto: number) => void,
): Required<Pick<AnalyzeOptions, 'onPacket' | 'onRecord'>> {
  let n = 0;
  let flowId: number | null = null;
  let topProto = -1;
  return {
    onPacket: (pkt, flow) => {
      // called outer to inner: the innermost conversation names the packet
      if (flow) flowId = flow.id;
      if (pkt.protoCount > 0) topProto = pkt.protoList[pkt.protoCount - 1]!;
    },
    onRecord: (rec) => {
      emit(rec, ++n, flowId, topProto);
      flowId = null;
      topProto = -1;
    },
  };
}

/** The index row of a record: frame number `n`, innermost conversation and top protocol (-1: none). */
export function packetIndexRow(
  rec: PacketRecord,
  n: number,
  flowId: number | null,
  topProto: number,
): PacketIndexInput {
  return {
    n,
    ts: isoTime(rec.tsSec, rec.tsNsec),
    file_index: rec.fileIndex,
    file_offset: rec.dataOffset,
    caplen: rec.caplen,
    len: rec.len,
    flow_id: flowId,
    protocol: topProto >= 0 ? (PROTO_NAMES[topProto] ?? null) : null,
  };
}

/** The index as row objects (direct runs). */
export function packetIndexHooks(
  emit: (row: PacketIndexInput) => void,
): Required<Pick<AnalyzeOptions, 'onPacket' | 'onRecord'>> {
  return frameHooks((rec, n, flowId, topProto) => emit(packetIndexRow(rec, n, flowId, topProto)));
}

/**
 * The same index as columns, for the import: rows go into a PacketBatch of `rows` rows; a full one is handed
 * to `onFull`, which returns the batch to fill next (a spare one, or the same one once its columns are copied).
 * `current` is the partial batch at the end of a run.
 */
export class PacketIndexBatches {
  current: PacketBatch;
  readonly hooks: Required<Pick<AnalyzeOptions, 'onPacket' | 'onRecord'>>;

  constructor(rows: number, onFull: (full: PacketBatch) => PacketBatch) {
    this.current = new PacketBatch(rows, PROTO_NAMES);
    this.hooks = frameHooks((rec, n, flowId, topProto) => {
      if (this.current.full) this.current = onFull(this.current);
      this.current.push(
        n,
        rec.tsSec,
        rec.tsNsec,
        rec.fileIndex,
        rec.dataOffset,
        rec.caplen,
        rec.len,
        flowId,
        topProto,
      );
    });
  }
}
