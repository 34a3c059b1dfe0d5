/** Drains a CaptureReader and tallies what the oracle files count. Test support only. */
import { READ_NEED_MORE, READ_RECORD } from '../reader.js';
import type { CaptureReader } from '../reader.js';
import { PacketRecord } from '../record.js';

export interface Tally {
  packets: number;
  bytesOnWire: number;
  bytesCaptured: number;
  snaplenTruncated: number;
  withoutTs: number;
  /** "sec.nnnnnnnnn" of the first/last packet that has a timestamp, or "-" */
  firstTs: string;
  lastTs: string;
  packetComments: number;
  /** frame numbers were 1, 2, 3, ... */
  numbered: boolean;
  /** every packet's bytes lay inside its buffer */
  inBounds: boolean;
  /** fileOffset strictly increased and dataOffset - fileOffset matched the record header size */
  offsetsOk: boolean;
}

export function tsText(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

export async function readAll(r: CaptureReader, onRecord?: (rec: PacketRecord) => void): Promise<Tally> {
  const rec = new PacketRecord();
  const t: Tally = {
    packets: 0,
    bytesOnWire: 0,
    bytesCaptured: 0,
    snaplenTruncated: 0,
    withoutTs: 0,
    firstTs: '-',
    lastTs: '-',
    packetComments: 0,
    numbered: true,
    inBounds: true,
    offsetsOk: true,
  };
  let lastOffset = -1;
  for (let guard = 0; guard < 100_000_000; guard++) {
    const s = r.read(rec);
    if (s === READ_NEED_MORE) {
      await r.fill();
      continue;
    }
    if (s !== READ_RECORD) break;
    t.packets++;
    if (rec.n !== t.packets) t.numbered = false;
    if (rec.off < 0 || rec.off + rec.caplen > rec.buf.length) t.inBounds = false;
    if (rec.fileOffset <= lastOffset || rec.dataOffset <= rec.fileOffset) t.offsetsOk = false;
    lastOffset = rec.fileOffset;
    t.bytesOnWire += rec.len;
    t.bytesCaptured += rec.caplen;
    if (rec.caplen < rec.len) t.snaplenTruncated++;
    if (rec.comment !== null) t.packetComments++;
    if (rec.hasTs) {
      const ts = tsText(rec.tsSec, rec.tsNsec);
      if (t.firstTs === '-') t.firstTs = ts;
      t.lastTs = ts;
    } else t.withoutTs++;
    onRecord?.(rec);
  }
  return t;
}
