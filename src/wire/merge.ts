import type { Problem } from '../shared/problem.js';
import { READ_END, READ_NEED_MORE, READ_RECORD } from './reader.js';
import type { CaptureReader, InterfaceInfo, ReadStatus, ResolvedName } from './reader.js';
import { PacketRecord } from './record.js';

/**
 * Several captures read as one, in timestamp order (like mergecap): a k-way merge over one look-ahead record
 * per input. Ties go to the lower input index; each input's own order is kept. `rec.fileIndex` is the input's
 * index and `rec.interfaceId` stays relative to that input (see `readers[rec.fileIndex].interfaces`).
 * Records without a timestamp (pcapng SPB) carry their predecessor's, so they stay behind it.
 */
export class MergedReader implements CaptureReader {
  readonly format: 'pcap' | 'pcapng';
  private readonly heads: PacketRecord[];
  private readonly has: boolean[];
  private readonly ended: boolean[];
  private readonly hungry: boolean[];

  /** records handed out so far: the next one's frame number over the merge */
  private count = 0;

  constructor(readonly readers: readonly CaptureReader[]) {
    this.format = readers.some((r) => r.format === 'pcapng') ? 'pcapng' : 'pcap';
    this.heads = readers.map(() => new PacketRecord());
    this.has = readers.map(() => false);
    this.ended = readers.map(() => false);
    this.hungry = readers.map(() => false);
  }

  get compressed(): boolean {
    return this.readers.some((r) => r.compressed);
  }
  /** Every input's interfaces, input after input (a record's own are `readers[rec.fileIndex].interfaces`). */
  get interfaces(): readonly InterfaceInfo[] {
    return this.readers.flatMap((r) => r.interfaces);
  }
  get names(): readonly ResolvedName[] {
    return this.readers.flatMap((r) => r.names);
  }
  get comments(): readonly string[] {
    return this.readers.flatMap((r) => r.comments);
  }
  get problems(): readonly Problem[] {
    return this.readers.flatMap((r) => r.problems);
  }

  read(rec: PacketRecord): ReadStatus {
    const n = this.readers.length;
    let need = false;
    let best = -1;
    let bSec = 0;
    let bNsec = 0;
    for (let i = 0; i < n; i++) {
      if (!this.has[i]) {
        if (this.ended[i]) continue;
        const s = this.readers[i]!.read(this.heads[i]!);
        if (s === READ_NEED_MORE) {
          this.hungry[i] = true;
          need = true;
          continue;
        }
        if (s === READ_END) {
          this.ended[i] = true;
          continue;
        }
        this.has[i] = true;
      }
      const h = this.heads[i]!;
      // Strictly earlier only: on a tie the lower index, already chosen, wins.
      if (best < 0 || h.tsSec < bSec || (h.tsSec === bSec && h.tsNsec < bNsec)) {
        best = i;
        bSec = h.tsSec;
        bNsec = h.tsNsec;
      }
    }
    if (need) return READ_NEED_MORE;
    if (best < 0) return READ_END;
    rec.copyFrom(this.heads[best]!);
    rec.fileIndex = best;
    rec.frame = ++this.count;
    this.has[best] = false;
    return READ_RECORD;
  }

  async fill(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (let i = 0; i < this.readers.length; i++) {
      if (!this.hungry[i]) continue;
      this.hungry[i] = false;
      waits.push(this.readers[i]!.fill());
    }
    await Promise.all(waits);
  }

  async close(): Promise<void> {
    await Promise.all(this.readers.map((r) => r.close()));
  }
}

export function mergeReaders(readers: CaptureReader[]): CaptureReader {
  return new MergedReader(readers);
}
