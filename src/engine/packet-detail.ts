/**
 * Packet detail: one frame's decoded layers (a tree of fields with byte ranges, dissect/describe/) and its
 * bytes, re-read from the capture file: for a stored capture by the packet index's offset (a positioned
 * read; uncompressed files whose link type is known from the header or the capture), else by reading the
 * file up to that frame. Nothing of the capture is kept in memory.
 */
import { open } from 'node:fs/promises';
import { PcaplensError } from '../shared/errors.js';
import { checkFilter, parseFilter } from '../shared/filter/index.js';
import type { CaptureRow, PacketIndexRow } from '../shared/store-rows.js';
import { describeFrame, type LayerNode } from '../dissect/describe/index.js';
import { decodeFrame } from '../dissect/decode-packet.js';
import { Packet } from '../dissect/dissector.js';
import { PROTO_NAMES } from '../dissect/proto-ids.js';
import { linkTypeName } from '../wire/link-types.js';
import { pcapMagic } from '../wire/pcap.js';
import { READ_END, READ_NEED_MORE, READ_RECORD } from '../wire/reader.js';
import { PacketRecord } from '../wire/record.js';
import { isoTime } from '../shared/time.js';
import { openInputs, resolveCapture, type CaptureSource } from './capture-source.js';

export type { LayerNode, FieldNode } from '../dissect/describe/index.js';

export interface PacketDetail {
  /** frame number, 1-based over the (merged) capture */
  n: number;
  ts: string;
  caplen: number;
  len: number;
  link_type: number;
  link_type_name: string;
  file_index: number;
  /** offset of the frame's first byte in its (decompressed) file */
  file_offset: number;
  /** the frame's conversation (stored captures; null for files given directly) */
  flow_id: number | null;
  /** top protocol the decoders reached (as the packet index's `protocol`) */
  protocol: string | null;
  comment: string | null;
  layers: LayerNode[];
  /** the captured bytes, lower-case hex */
  bytes: string;
}

interface Frame {
  bytes: Uint8Array;
  linkType: number;
  ts: string;
  len: number;
  fileIndex: number;
  fileOffset: number;
  comment: string | null;
}

function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** Reads records until `match` says yes; the frame's bytes are copied out of the reader's buffer. */
async function scan(
  paths: string[],
  match: (rec: PacketRecord, n: number) => boolean,
): Promise<Frame | null> {
  const inputs = await openInputs(paths);
  try {
    const rec = new PacketRecord();
    for (let n = 0; ;) {
      const s = inputs.reader.read(rec);
      if (s === READ_NEED_MORE) {
        await inputs.reader.fill();
        continue;
      }
      if (s === READ_END) return null;
      if (s !== READ_RECORD) continue;
      if (!match(rec, ++n)) continue;
      return {
        bytes: rec.buf.slice(rec.off, rec.off + rec.caplen),
        linkType: rec.linkType,
        ts: isoTime(rec.tsSec, rec.tsNsec),
        len: rec.len,
        fileIndex: rec.fileIndex,
        fileOffset: rec.dataOffset,
        comment: rec.comment,
      };
    }
  } finally {
    await inputs.close();
  }
}

/**
 * The frame at its index offset by a positioned read, when its link type is known without reading the file:
 * a classic pcap states it in the header; a pcapng capture with a single link type states it in the capture
 * row. null when neither holds (gzip, several link types): the caller reads up to the frame instead.
 */
async function readAt(path: string, row: PacketIndexRow, capture: CaptureRow): Promise<Frame | null> {
  const fh = await open(path, 'r');
  try {
    const head = new Uint8Array(24);
    const { bytesRead } = await fh.read(head, 0, 24, 0);
    let linkType: number;
    const magic = bytesRead >= 24 ? pcapMagic(head, 0) : null;
    if (magic) {
      const v = new DataView(head.buffer);
      linkType = v.getUint32(20, magic.littleEndian) & 0xffff;
    } else if (head[0] === 0x0a && head[1] === 0x0d && capture.link_types.length === 1) {
      linkType = capture.link_types[0]!;
    } else return null;
    const bytes = new Uint8Array(row.caplen);
    const got = await fh.read(bytes, 0, row.caplen, row.file_offset);
    if (got.bytesRead !== row.caplen) return null;
    return {
      bytes,
      linkType,
      ts: row.ts,
      len: row.len,
      fileIndex: row.file_index,
      fileOffset: row.file_offset,
      comment: null,
    };
  } finally {
    await fh.close();
  }
}

export async function packetDetail(source: CaptureSource, n: number): Promise<PacketDetail> {
  if (!Number.isSafeInteger(n) || n < 1) throw new PcaplensError('E_USAGE', `bad frame number ${n}`);
  const { paths, capture } = await resolveCapture(source);
  let frame: Frame | null = null;
  let flowId: number | null = null;
  if (capture && 'store' in source) {
    const filter = checkFilter(parseFilter(`frame.number == ${n}`), 'packets', [], '');
    const page = await source.store.page('packets', { captureId: capture.id, filter, limit: 1 });
    const row = page.rows[0];
    if (!row)
      throw new PcaplensError(
        'E_NOT_FOUND',
        `capture ${capture.id} has no frame ${n} (it has ${capture.packets})`,
      );
    flowId = row.flow_id;
    const path = paths[row.file_index];
    if (!path) throw new PcaplensError('E_NOT_FOUND', `capture ${capture.id}: no file ${row.file_index}`);
    frame = await readAt(path, row, capture);
    // the link type is only known by reading: that file up to the record at this offset
    frame ??= await scan([path], (rec) => rec.dataOffset === row.file_offset);
    if (frame) {
      frame.ts = row.ts;
      frame.fileIndex = row.file_index;
    }
  } else {
    frame = await scan(paths, (_rec, k) => k === n);
  }
  if (!frame) throw new PcaplensError('E_NOT_FOUND', `no frame ${n} in the capture`);
  const pkt = new Packet();
  decodeFrame(pkt, frame.linkType, frame.bytes, 0, frame.bytes.length, frame.len);
  const top = pkt.protoCount > 0 ? pkt.protoList[pkt.protoCount - 1]! : -1;
  return {
    n,
    ts: frame.ts,
    caplen: frame.bytes.length,
    len: frame.len,
    link_type: frame.linkType,
    link_type_name: linkTypeName(frame.linkType),
    file_index: frame.fileIndex,
    file_offset: frame.fileOffset,
    flow_id: flowId,
    protocol: top >= 0 ? (PROTO_NAMES[top] ?? null) : null,
    comment: frame.comment,
    layers: describeFrame(frame.linkType, frame.bytes, 0, frame.bytes.length),
    bytes: toHex(frame.bytes),
  };
}
