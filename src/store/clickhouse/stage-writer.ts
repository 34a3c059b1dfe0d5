import { PcaplensError } from '../../shared/errors.js';
import { TABLES, isTableName, type TableName } from '../../shared/filter/tables.js';
import { encodeColumn } from '../codec.js';
import type { Row } from '../sql-store.js';
import { SYNC_INSERT, type ChContext } from './context.js';
import { RowBinary, writeValue } from './row-binary.js';
import { STAGED, STAGE_APP, dataColumns, isArtifact, stageColumns, type StagedTable } from './schema.js';
import { hostShardKey, pairShardKey } from './shard-key.js';

/** Per-row extras of staged rows written by distributed ingest jobs (renumbering and merging). */
export interface StageExtra {
  first_n?: number;
  first_layer?: number;
  mac_first?: number[];
  end_key?: number[];
}

/** Shard key of a row of a table: its conversation's endpoint pair (hosts: the address). */
export function shardKeyOf(table: TableName, r: Row): number {
  if (table === 'flows') return pairShardKey(r.src_ip, r.dst_ip);
  if (table === 'hosts') return hostShardKey(r.ip);
  if (table === 'packets') return hostShardKey(String(r.n ?? 0));
  return pairShardKey(r.client_ip, r.server_ip);
}

const FLUSH_BYTES = 8 << 20;

/**
 * Writes the rows of one import (one job of one capture): packets, flows and hosts into the staging tables
 * tagged with (job, attempt), application rows straight into their tables (they are only visible once the
 * capture row exists). Rows are encoded as RowBinary and sent in batches of about 8 MB, each insert awaited
 * so the reader is paced by the database.
 */
export class StageWriter {
  private readonly bufs = new Map<string, { w: RowBinary; cols: string[] }>();
  private readonly seq = new Map<TableName, number>();
  private closed = false;
  rows = 0;

  constructor(
    private readonly ctx: ChContext,
    readonly captureId: number,
    readonly job: number,
    readonly attempt: string,
  ) {}

  private buffer(target: string, cols: string[]): RowBinary {
    let b = this.bufs.get(target);
    if (!b) {
      b = { w: new RowBinary(), cols };
      this.bufs.set(target, b);
    }
    return b.w;
  }

  async write(table: TableName, rows: readonly Row[], extra?: (i: number) => StageExtra): Promise<void> {
    if (this.closed) throw new PcaplensError('E_STORE', 'write after the import finished');
    if (!isTableName(table)) throw new PcaplensError('E_STORE', `no table ${String(table)}`);
    if (rows.length === 0) return;
    const defs = TABLES[table].columns;
    const staged = (STAGED as readonly string[]).includes(table);
    const target = staged ? `stage_${table}` : table;
    const cols = (staged ? stageColumns(table as StagedTable) : dataColumns(table)).map(([n]) => n);
    const w = this.buffer(target, cols);
    let seq = this.seq.get(table) ?? 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      w.i64(this.captureId);
      if (staged) {
        const x = extra?.(i) ?? {};
        w.i32(this.job);
        w.str(this.attempt);
        w.i64(x.first_n ?? 0);
        w.u8(x.first_layer ?? 0);
        for (const arr of [x.mac_first ?? [], x.end_key ?? []]) {
          w.varuint(arr.length);
          for (const m of arr) w.i64(m);
        }
      }
      if (isArtifact(table)) w.i64(++seq);
      for (const c of defs) writeValue(w, c.type, encodeColumn(c, r));
      w.i64(shardKeyOf(table, r));
    }
    this.seq.set(table, seq);
    this.rows += rows.length;
    if (w.length >= FLUSH_BYTES) await this.flush(target);
  }

  /** Application rows of an ingest job, kept as JSON with their ordering key until the capture's finish. */
  async writeApp(table: string, rows: readonly unknown[], keys: readonly number[][]): Promise<void> {
    if (this.closed) throw new PcaplensError('E_STORE', 'write after the import finished');
    const w = this.buffer(
      'stage_app',
      STAGE_APP.map(([n]) => n),
    );
    for (let i = 0; i < rows.length; i++) {
      w.i64(this.captureId);
      w.i32(this.job);
      w.str(this.attempt);
      w.str(table);
      const k = keys[i] ?? [];
      w.varuint(k.length);
      for (const x of k) w.i64(x);
      w.str(JSON.stringify(rows[i]));
    }
    this.rows += rows.length;
    if (w.length >= FLUSH_BYTES) await this.flush('stage_app');
  }

  private async flush(target: string): Promise<void> {
    const b = this.bufs.get(target);
    if (!b || b.w.length === 0) return;
    await this.ctx.query.insert(target, b.cols, b.w.take(), SYNC_INSERT);
  }

  /** No write is accepted afterwards; what is buffered stays for flushAll. */
  seal(): void {
    this.closed = true;
  }

  /** Sends what is buffered. */
  async flushAll(): Promise<void> {
    for (const t of this.bufs.keys()) await this.flush(t);
  }

  /** Sends what is buffered; no write is accepted afterwards. */
  async close(): Promise<void> {
    this.seal();
    await this.flushAll();
  }

  /** Refuses further writes without sending anything. */
  abandon(): void {
    this.closed = true;
    this.bufs.clear();
  }
}
