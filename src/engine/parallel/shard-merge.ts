/**
 * Merges the streams of rows of shards that each read the whole capture but account only their own
 * conversations (distributed/range-analyze.ts), into the rows and the order of a single reader, while the
 * shards are still reading:
 *  - flow ids: renumbered in order of first packet over all shards (frame, IP layer), as a single reader
 *    numbers them (the same rule as the ClickHouse finish step, store/clickhouse/finalize.ts);
 *  - packet index rows: each frame comes from the one shard owning its innermost conversation, in frame order;
 *  - flows in the order they ended, application rows in the order they were found (by their keys).
 * A shard's chunk says "frames 1..n done": everything keyed at or before the smallest such n over all shards
 * (the watermark) is final and handed out; the rest waits.
 */
import type { FlowRow } from '../../shared/rows.js';
import type { PacketIndexInput } from '../../shared/store-rows.js';
import type { AppTable } from '../app-tables.js';

/** What one shard hands over for frames up to n. */
export interface ShardChunk {
  n: number;
  /** flows started: local id, frame, IP layer */
  started: { ids: number[]; n: number[]; layer: number[] };
  packets: PacketIndexInput[];
  flows: { rows: FlowRow[]; keys: number[][] };
  app: { table: AppTable; rows: unknown[]; keys: number[][] }[];
}

export interface MergeOutput {
  packet(row: PacketIndexInput): void;
  flow(row: FlowRow): void;
  app(table: AppTable, row: unknown): void;
}

/** A FIFO of one shard's items: an array read from `head`, compacted now and then. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  push(x: T): void {
    this.items.push(x);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  take(): T {
    const x = this.items[this.head++]!;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  get length(): number {
    return this.items.length - this.head;
  }
}

export function compareKeys(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

interface Start {
  lid: number;
  n: number;
  layer: number;
}
interface Keyed<T> {
  key: number[];
  item: T;
}

export class ShardMerge {
  private readonly done: number[];
  private readonly starts: Fifo<Start>[];
  private readonly packets: Fifo<PacketIndexInput>[];
  private readonly ends: Fifo<Keyed<FlowRow>>[];
  /** per table, per shard: only the order within a table is kept (each table numbers its own rows) */
  private readonly apps = new Map<AppTable, Fifo<Keyed<unknown>>[]>();
  /** per shard: local flow id -> global id (local ids are dense from 1) */
  private readonly gids: number[][];
  private nextGid = 1;
  private mark = 0;

  constructor(
    readonly shards: number,
    private readonly out: MergeOutput,
  ) {
    const each = <T>(f: () => T) => Array.from({ length: shards }, f);
    this.done = each(() => 0);
    this.starts = each(() => new Fifo<Start>());
    this.packets = each(() => new Fifo<PacketIndexInput>());
    this.ends = each(() => new Fifo<Keyed<FlowRow>>());
    this.gids = each(() => [] as number[]);
  }

  /** flows numbered so far */
  get flows(): number {
    return this.nextGid - 1;
  }

  /** frames every shard is done with: rows keyed up to here have been handed out */
  get watermark(): number {
    return this.mark;
  }

  add(shard: number, c: ShardChunk): void {
    const s = c.started;
    for (let i = 0; i < s.ids.length; i++)
      this.starts[shard]!.push({ lid: s.ids[i]!, n: s.n[i]!, layer: s.layer[i]! });
    for (const p of c.packets) this.packets[shard]!.push(p);
    c.flows.rows.forEach((row, i) => this.ends[shard]!.push({ key: c.flows.keys[i]!, item: row }));
    for (const a of c.app) {
      let qs = this.apps.get(a.table);
      if (!qs)
        this.apps.set(a.table, (qs = Array.from({ length: this.shards }, () => new Fifo<Keyed<unknown>>())));
      const q = qs[shard]!;
      a.rows.forEach((row, i) => q.push({ key: a.keys[i]!, item: row }));
    }
    this.done[shard] = Math.max(this.done[shard]!, c.n);
    this.release();
  }

  private gid(shard: number, lid: number | null): number | null {
    if (lid === null) return null;
    return this.gids[shard]![lid] ?? null;
  }

  /** The shard whose head comes first among those at or before the watermark, or -1. */
  private first<T>(qs: Fifo<T>[], frame: (x: T) => number, cmp: (a: T, b: T) => number, w: number): number {
    let best = -1;
    for (let s = 0; s < qs.length; s++) {
      const h = qs[s]!.peek();
      if (h === undefined || frame(h) > w) continue;
      if (best < 0 || cmp(h, qs[best]!.peek()!) < 0) best = s;
    }
    return best;
  }

  private release(): void {
    const w = Math.min(...this.done);
    if (w <= this.mark && w !== Number.MAX_SAFE_INTEGER) return;
    this.mark = w;
    for (;;) {
      const s = this.first(
        this.starts,
        (x) => x.n,
        (a, b) => a.n - b.n || a.layer - b.layer,
        w,
      );
      if (s < 0) break;
      this.gids[s]![this.starts[s]!.take().lid] = this.nextGid++;
    }
    for (;;) {
      const s = this.first(
        this.packets,
        (x) => x.n,
        (a, b) => a.n - b.n,
        w,
      );
      if (s < 0) break;
      const p = this.packets[s]!.take();
      p.flow_id = this.gid(s, p.flow_id);
      this.out.packet(p);
    }
    const byKey = (a: Keyed<unknown>, b: Keyed<unknown>) => compareKeys(a.key, b.key);
    const frame = (x: Keyed<unknown>) => x.key[0] ?? 0;
    for (;;) {
      const s = this.first(this.ends, frame, byKey, w);
      if (s < 0) break;
      const f = this.ends[s]!.take().item;
      f.id = this.gid(s, f.id) ?? f.id;
      this.out.flow(f);
    }
    for (const [table, qs] of this.apps) {
      for (;;) {
        const s = this.first(qs, frame, byKey, w);
        if (s < 0) break;
        const row = qs[s]!.take().item as { flow_id?: number | null };
        if (typeof row.flow_id === 'number') row.flow_id = this.gid(s, row.flow_id);
        this.out.app(table, row);
      }
    }
  }

  /** Rows still waiting for a shard (none once every shard said it is done). */
  get pending(): number {
    let k = 0;
    for (let s = 0; s < this.shards; s++)
      k += this.starts[s]!.length + this.packets[s]!.length + this.ends[s]!.length;
    for (const qs of this.apps.values()) for (const q of qs) k += q.length;
    return k;
  }
}
