/**
 * Merges the batches of the shards of a split `flows` run (flow-split-shard.ts) into the rows a single reader
 * gives: the same rows with the same ids. Ids are handed out in order of creation over all shards (record
 * number, then IP layer index within the record, as a single reader creates them); a shard's creations up to
 * record n are known once its batch for n arrived, so everything created at or before the smallest such n
 * over all shards (the watermark) can be numbered. A row goes out as soon as its flow has its id.
 *
 * Rows come out in the order they are numbered and finished, which can differ from a single reader's order of
 * finishing between shards; sorted by id the output is the same.
 */
import type { FlowRow } from '../../shared/rows.js';
import type { FlowShardBatch } from './flow-split-shard.js';

export class FlowSplitMerge<R extends { id: number } = FlowRow> {
  /** per shard: creations not yet numbered, flattened triples (local id, record, layer), read from `head` */
  private readonly starts: number[][];
  private readonly heads: number[];
  /** per shard: record number up to which its creations are all in */
  private readonly done: number[];
  /** per shard: local id -> global id (0 = not yet numbered) */
  private readonly gids: Int32Array[];
  /** per shard: finished rows whose flow has no global id yet */
  private readonly waiting: R[][];
  private nextGid = 1;
  private pendingRows = 0;

  constructor(
    readonly shards: number,
    private readonly out: (row: R) => void,
  ) {
    const each = <T>(f: () => T) => Array.from({ length: shards }, f);
    this.starts = each(() => [] as number[]);
    this.heads = each(() => 0);
    this.done = each(() => 0);
    this.gids = each(() => new Int32Array(1024));
    this.waiting = each(() => [] as R[]);
  }

  /** flows numbered so far */
  get flows(): number {
    return this.nextGid - 1;
  }

  /** records every shard is done with */
  get watermark(): number {
    return Math.min(...this.done);
  }

  /** rows and creations still waiting (none once every shard sent its last batch) */
  get pending(): number {
    let k = this.pendingRows;
    for (let s = 0; s < this.shards; s++) k += (this.starts[s]!.length - this.heads[s]!) / 3;
    return k;
  }

  add(shard: number, b: FlowShardBatch<R>): void {
    const q = this.starts[shard]!;
    for (let i = 0; i < b.starts.length; i++) q.push(b.starts[i]!);
    this.done[shard] = Math.max(this.done[shard]!, b.n);
    this.number();
    for (const row of b.rows) {
      if (!this.emit(shard, row)) {
        this.waiting[shard]!.push(row);
        this.pendingRows++;
      }
    }
    this.release();
  }

  private gid(shard: number, lid: number): number {
    const g = this.gids[shard]!;
    return lid < g.length ? g[lid]! : 0;
  }

  private setGid(shard: number, lid: number, gid: number): void {
    let g = this.gids[shard]!;
    if (lid >= g.length) {
      const bigger = new Int32Array(Math.max(lid + 1, g.length * 2));
      bigger.set(g);
      this.gids[shard] = g = bigger;
    }
    g[lid] = gid;
  }

  private emit(shard: number, row: R): boolean {
    const gid = this.gid(shard, row.id);
    if (gid === 0) return false;
    row.id = gid;
    this.out(row);
    return true;
  }

  /** Numbers every creation at or before the watermark, smallest (record, layer) first. */
  private number(): void {
    const w = this.watermark;
    for (;;) {
      let best = -1;
      let bn = 0;
      let bl = 0;
      for (let s = 0; s < this.shards; s++) {
        const q = this.starts[s]!;
        const h = this.heads[s]!;
        if (h >= q.length) continue;
        const n = q[h + 1]!;
        const l = q[h + 2]!;
        if (n > w) continue;
        if (best < 0 || n < bn || (n === bn && l < bl)) {
          best = s;
          bn = n;
          bl = l;
        }
      }
      if (best < 0) break;
      const q = this.starts[best]!;
      const h = this.heads[best]!;
      this.setGid(best, q[h]!, this.nextGid++);
      this.heads[best] = h + 3;
      if (h + 3 > 30000 && (h + 3) * 2 > q.length) {
        this.starts[best] = q.slice(h + 3);
        this.heads[best] = 0;
      }
    }
  }

  /** Hands out the waiting rows that have their ids now. */
  private release(): void {
    if (this.pendingRows === 0) return;
    for (let s = 0; s < this.shards; s++) {
      const w = this.waiting[s]!;
      if (w.length === 0) continue;
      const keep: R[] = [];
      for (const row of w) if (!this.emit(s, row)) keep.push(row);
      this.pendingRows -= w.length - keep.length;
      this.waiting[s] = keep;
    }
  }
}
