/**
 * Per-input-file counters updated for every packet of a run (packets, bytes, first/last time) and turned into
 * the `files` entries of the CaptureSummary at the end. Dense arrays indexed by PacketRecord.fileIndex: no
 * allocation per packet.
 */
import type { Problem } from '../shared/problem.js';
import type { CaptureFileSummary } from '../shared/rows.js';
import { compareTime, isoTime } from '../shared/time.js';
import type { PacketRecord } from '../wire/record.js';

export interface FileInfo {
  name: string;
  /** pcap, pcapng, with "+gzip" when compressed; "unknown" when the file could not be opened */
  format: string;
  linkTypes: number[];
  size: number;
  problems: Problem[];
}

/** One file's counters as plain data (FileStats.part/absorb). */
export interface FileStatsPart {
  packets: number;
  bytes: number;
  bytesCaptured: number;
  first: [number, number];
  last: [number, number];
}

export class FileStats {
  readonly packets: number[];
  readonly bytes: number[];
  readonly bytesCaptured: number[];
  private readonly firstSec: number[];
  private readonly firstNsec: number[];
  private readonly lastSec: number[];
  private readonly lastNsec: number[];

  constructor(readonly count: number) {
    this.packets = new Array<number>(count).fill(0);
    this.bytes = new Array<number>(count).fill(0);
    this.bytesCaptured = new Array<number>(count).fill(0);
    this.firstSec = new Array<number>(count).fill(0);
    this.firstNsec = new Array<number>(count).fill(0);
    this.lastSec = new Array<number>(count).fill(0);
    this.lastNsec = new Array<number>(count).fill(0);
  }

  add(rec: PacketRecord): void {
    const i = rec.fileIndex;
    if (i < 0 || i >= this.count) return;
    const n = this.packets[i]!;
    this.packets[i] = n + 1;
    this.bytes[i]! += rec.len;
    this.bytesCaptured[i]! += rec.caplen;
    // earliest and latest, not first and last in file order: captures are not always in time order
    if (n === 0 || compareTime(rec.tsSec, rec.tsNsec, this.firstSec[i]!, this.firstNsec[i]!) < 0) {
      this.firstSec[i] = rec.tsSec;
      this.firstNsec[i] = rec.tsNsec;
    }
    if (n === 0 || compareTime(rec.tsSec, rec.tsNsec, this.lastSec[i]!, this.lastNsec[i]!) > 0) {
      this.lastSec[i] = rec.tsSec;
      this.lastNsec[i] = rec.tsNsec;
    }
  }

  /** File i's counters as plain data (the later part of a byte-range split hands them over). */
  part(i: number): FileStatsPart {
    return {
      packets: this.packets[i]!,
      bytes: this.bytes[i]!,
      bytesCaptured: this.bytesCaptured[i]!,
      first: [this.firstSec[i]!, this.firstNsec[i]!],
      last: [this.lastSec[i]!, this.lastNsec[i]!],
    };
  }

  /** Adds another run's counters of the same file i (the later part of a byte-range split). */
  absorb(i: number, o: FileStatsPart): void {
    if (o.packets === 0) return;
    const n = this.packets[i]!;
    this.packets[i] = n + o.packets;
    this.bytes[i]! += o.bytes;
    this.bytesCaptured[i]! += o.bytesCaptured;
    if (n === 0 || compareTime(o.first[0], o.first[1], this.firstSec[i]!, this.firstNsec[i]!) < 0) {
      this.firstSec[i] = o.first[0];
      this.firstNsec[i] = o.first[1];
    }
    if (n === 0 || compareTime(o.last[0], o.last[1], this.lastSec[i]!, this.lastNsec[i]!) > 0) {
      this.lastSec[i] = o.last[0];
      this.lastNsec[i] = o.last[1];
    }
  }

  get totalPackets(): number {
    let s = 0;
    for (const n of this.packets) s += n;
    return s;
  }

  fileSummary(i: number, info: FileInfo): CaptureFileSummary {
    const has = this.packets[i]! > 0;
    return {
      name: info.name,
      format: info.format,
      link_types: info.linkTypes,
      packets: this.packets[i]!,
      bytes: this.bytes[i]!,
      size: info.size,
      first_ts: has ? isoTime(this.firstSec[i]!, this.firstNsec[i]!) : null,
      last_ts: has ? isoTime(this.lastSec[i]!, this.lastNsec[i]!) : null,
      problems: info.problems,
    };
  }

  /** Earliest and latest timestamps over all files, as [sec, nsec] pairs, or null without packets. */
  span(): { first: [number, number]; last: [number, number] } | null {
    let first: [number, number] | null = null;
    let last: [number, number] | null = null;
    for (let i = 0; i < this.count; i++) {
      if (this.packets[i] === 0) continue;
      if (!first || compareTime(this.firstSec[i]!, this.firstNsec[i]!, first[0], first[1]) < 0) {
        first = [this.firstSec[i]!, this.firstNsec[i]!];
      }
      if (!last || compareTime(this.lastSec[i]!, this.lastNsec[i]!, last[0], last[1]) > 0) {
        last = [this.lastSec[i]!, this.lastNsec[i]!];
      }
    }
    return first && last ? { first, last } : null;
  }
}
