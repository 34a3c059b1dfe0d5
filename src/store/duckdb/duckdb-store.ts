import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DuckDBDataChunk,
  DuckDBInstance,
  listValue,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { PcaplensError } from '../../shared/errors.js';
import type { ColumnDef } from '../../shared/filter/tables.js';
import { DUCKDB_DIALECT } from '../../shared/filter/to-sql.js';
import type { Encoded } from '../codec.js';
import type { StoreDialect } from '../queries.js';
import { Serial } from '../serial.js';
import type { PacketBatch } from '../packet-batch.js';
import { SqlStore, type AppendColumn, type Row, type Tx } from '../sql-store.js';
import { CHUNK_ROWS, ChunkWriter, type ChunkColumn } from './chunk-writer.js';

/**
 * The embedded default: one DuckDB file in the data directory. Imports go through the appender in
 * columnar chunks inside one transaction on a writer connection; reads use their own connection and see
 * only committed captures.
 */
export const DUCKDB_FILE = 'pcaplens.duckdb';

const DIALECT: StoreDialect = { ...DUCKDB_DIALECT, intDiv: (a, b) => `(${a} // ${b})` };

/**
 * DuckDB's answer to every statement once a fatal error (an internal error, a failed checkpoint) has invalidated
 * the database in this process: it has to be opened again, and then holds what was committed.
 */
const INVALIDATED = /database has been invalidated/i;

function invalidated(e: unknown): boolean {
  return INVALIDATED.test(e instanceof Error ? e.message : String(e));
}

function storeError(e: unknown): PcaplensError {
  if (e instanceof PcaplensError) return e;
  return new PcaplensError('E_STORE', `duckdb: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

function toDuck(type: AppendColumn['type'], v: Encoded): DuckDBValue {
  if (v === null) return null;
  switch (type) {
    case 'bigint':
    case 'time':
      return typeof v === 'bigint' ? v : BigInt(v as number);
    case 'text[]':
    case 'int[]':
      return listValue(v as (string | number)[]);
    default:
      return v as DuckDBValue;
  }
}

/** A read connection: one statement at a time on it, `pending` reads queued or running. */
interface Reader {
  conn: DuckDBConnection;
  lock: Serial;
  pending: number;
}

/**
 * Read connections: DuckDB runs statements of different connections at once, so concurrent clients of the
 * web app are not served one statement at a time. Each connection's statement occupies a libuv worker
 * thread (4 by default, shared with file I/O and the writer): 2 leaves room for those.
 * PCAPLENS_DUCKDB_READERS overrides (1..16).
 */
function readerCount(): number {
  const n = Number(process.env.PCAPLENS_DUCKDB_READERS);
  return Number.isInteger(n) && n >= 1 && n <= 16 ? n : 2;
}

export class DuckDbStore extends SqlStore {
  readonly kind = 'duckdb';
  protected readonly dialect = DIALECT;
  protected readonly dialectName = 'duckdb' as const;
  private readonly writeLock = new Serial();
  /** actual column order per table, which the appender follows */
  private readonly layout = new Map<string, string[]>();
  /** the import batches' column buffers, reused (one write at a time: writeLock) */
  private readonly chunks = new ChunkWriter();

  /** counts the openings of the database: a failure seen on an older one does not open it again */
  private generation = 0;
  private reopening: Promise<void> | null = null;

  private constructor(
    private readonly path: string,
    private instance: DuckDBInstance,
    private writer: DuckDBConnection,
    private readers: Reader[],
  ) {
    super();
  }

  private static async connectAll(
    path: string,
  ): Promise<{ instance: DuckDBInstance; writer: DuckDBConnection; readers: Reader[] }> {
    const instance = await DuckDBInstance.create(path);
    const readers: Reader[] = [];
    for (let i = 0; i < readerCount(); i++)
      readers.push({ conn: await instance.connect(), lock: new Serial(), pending: 0 });
    return { instance, writer: await instance.connect(), readers };
  }

  /** Opens (creating when needed) the database in dataDir, or in memory for ':memory:'. Call migrate() next. */
  static async open(dataDir: string): Promise<DuckDbStore> {
    try {
      let path = ':memory:';
      if (dataDir !== ':memory:') {
        await mkdir(dataDir, { recursive: true });
        path = join(dataDir, DUCKDB_FILE);
      }
      const c = await DuckDbStore.connectAll(path);
      return new DuckDbStore(path, c.instance, c.writer, c.readers);
    } catch (e) {
      throw storeError(e);
    }
  }

  /**
   * Runs fn, and once more on a database opened again when DuckDB says a fatal error invalidated it (a disk that
   * filled up during a commit has been seen to leave it so): a long-running server goes on with what was
   * committed instead of failing every request until restarted. Only for work that may run twice: a read, or a
   * transaction's first statement. A database in memory is not opened again (nothing would be left).
   */
  private async healing<T>(fn: () => Promise<T>): Promise<T> {
    const generation = this.generation;
    try {
      return await fn();
    } catch (e) {
      if (this.path === ':memory:' || !invalidated(e)) throw e;
      await this.reopen(generation);
      return fn();
    }
  }

  /** Opens the database again, once for every caller that saw the same opening fail. */
  private reopen(failed: number): Promise<void> {
    if (failed !== this.generation) return this.reopening ?? Promise.resolve();
    this.reopening ??= (async () => {
      const close = (x: { closeSync(): void }): void => {
        try {
          x.closeSync();
        } catch {
          // an invalidated database may refuse to close cleanly: it is dropped either way
        }
      };
      for (const r of this.readers) close(r.conn);
      close(this.writer);
      close(this.instance);
      try {
        const c = await DuckDbStore.connectAll(this.path);
        this.instance = c.instance;
        this.writer = c.writer;
        this.readers = c.readers;
        this.layout.clear();
        this.generation++;
      } catch (e) {
        throw storeError(e);
      }
    })().finally(() => (this.reopening = null));
    return this.reopening;
  }

  private static async all(conn: DuckDBConnection, sql: string, params?: unknown[]): Promise<Row[]> {
    try {
      const r = await conn.runAndReadAll(sql, params as DuckDBValue[] | undefined);
      return r.getRowObjectsJS() as Row[];
    } catch (e) {
      throw storeError(e);
    }
  }

  /** On the reader with the fewest reads waiting, so a quick read does not queue behind a slow one. */
  protected read(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.healing(async () => {
      let r = this.readers[0]!;
      for (const o of this.readers) if (o.pending < r.pending) r = o;
      r.pending++;
      try {
        return await r.lock.run(() => DuckDbStore.all(r.conn, sql, params));
      } finally {
        r.pending--;
      }
    });
  }

  private async columnsOf(table: string): Promise<string[]> {
    let cols = this.layout.get(table);
    if (!cols) {
      const rows = await DuckDbStore.all(
        this.writer,
        'SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema() ORDER BY ordinal_position',
        [table],
      );
      cols = rows.map((r) => String(r.column_name));
      this.layout.set(table, cols);
    }
    return cols;
  }

  private async append(table: string, columns: AppendColumn[], data: Encoded[][]): Promise<void> {
    const order = await this.columnsOf(table);
    const byName = new Map(columns.map((c, i) => [c.name, i]));
    let appender;
    try {
      appender = await this.writer.createAppender(table);
    } catch (e) {
      throw storeError(e);
    }
    try {
      const types: DuckDBType[] = order.map((_, i) => appender.columnType(i));
      const rowCount = data[0]?.length ?? 0;
      for (let start = 0; start < rowCount; start += CHUNK_ROWS) {
        const end = Math.min(rowCount, start + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create(types, end - start);
        order.forEach((name, ci) => {
          const idx = byName.get(name);
          const values: DuckDBValue[] = new Array(end - start);
          if (idx === undefined) values.fill(null);
          else {
            const src = data[idx]!;
            const type = columns[idx]!.type;
            for (let r = start; r < end; r++) values[r - start] = toDuck(type, src[r] ?? null);
          }
          chunk.setColumnValues(ci, values);
        });
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } catch (e) {
      throw storeError(e);
    } finally {
      appender.closeSync();
    }
  }

  /** An import batch: rows encoded straight into data chunks (chunk-writer.ts). */
  private async appendRows(
    table: string,
    captureId: number,
    seqStart: number | null,
    defs: readonly ColumnDef[],
    rows: readonly Row[],
  ): Promise<void> {
    const order = await this.columnsOf(table);
    const byName = new Map(defs.map((d) => [d.name, d]));
    const columns: ChunkColumn[] = order.map((name): ChunkColumn => {
      if (name === 'capture_id') return { def: null, constant: captureId };
      if (name === 'seq' && seqStart !== null) return { def: null, counterStart: seqStart };
      return { def: byName.get(name) ?? null };
    });
    let appender;
    try {
      appender = await this.writer.createAppender(table);
    } catch (e) {
      throw storeError(e);
    }
    try {
      const types: DuckDBType[] = order.map((_, i) => appender.columnType(i));
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        const end = Math.min(rows.length, start + CHUNK_ROWS);
        appender.appendDataChunk(this.chunks.chunk(types, columns, rows, start, end));
      }
      appender.flushSync();
    } catch (e) {
      throw storeError(e);
    } finally {
      appender.closeSync();
    }
  }

  /** A packet index batch, columns straight into data chunks. */
  private async appendPackets(captureId: number, batch: PacketBatch): Promise<void> {
    const order = await this.columnsOf('packets');
    let appender;
    try {
      appender = await this.writer.createAppender('packets');
    } catch (e) {
      throw storeError(e);
    }
    try {
      const types: DuckDBType[] = order.map((_, i) => appender.columnType(i));
      for (let start = 0; start < batch.length; start += CHUNK_ROWS) {
        const end = Math.min(batch.length, start + CHUNK_ROWS);
        appender.appendDataChunk(this.chunks.packetChunk(types, order, batch, captureId, start, end));
      }
      appender.flushSync();
    } catch (e) {
      throw storeError(e);
    } finally {
      appender.closeSync();
    }
  }

  protected transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.writeLock.run(async () => {
      await this.healing(() => DuckDbStore.all(this.writer, 'BEGIN TRANSACTION'));
      const tx: Tx = {
        all: (sql, params) => DuckDbStore.all(this.writer, sql, params),
        append: (table, columns, data) => this.append(table, columns, data),
        appendRows: (table, captureId, seqStart, defs, rows) =>
          this.appendRows(table, captureId, seqStart, defs, rows),
        appendPackets: (captureId, batch) => this.appendPackets(captureId, batch),
      };
      try {
        const out = await fn(tx);
        await DuckDbStore.all(this.writer, 'COMMIT');
        return out;
      } catch (e) {
        await DuckDbStore.all(this.writer, 'ROLLBACK').catch(() => {});
        // a rolled-back DDL may have changed nothing we cached, but start clean
        this.layout.clear();
        throw e;
      }
    });
  }

  override async migrate(): Promise<void> {
    await super.migrate();
    this.layout.clear();
  }

  async close(): Promise<void> {
    await this.writeLock.run(async () => {
      await Promise.all(this.readers.map((r) => r.lock.run(async () => undefined)));
      this.writer.closeSync();
      for (const r of this.readers) r.conn.closeSync();
      this.instance.closeSync();
    });
  }
}
