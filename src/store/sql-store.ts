import { PcaplensError } from '../shared/errors.js';
import { TABLES, isTableName, rowColumns, type ColumnDef, type TableName } from '../shared/filter/tables.js';
import { nsToIso } from '../shared/filter/time-bound.js';
import type { CaptureFileRow, CaptureMeta, CaptureRow, CaptureTotals } from '../shared/store-rows.js';
import {
  conversationFromRow,
  decodeRow,
  decodeValue,
  encodeColumn,
  encodeValue,
  type Encoded,
} from './codec.js';
import type { CaptureSummary } from '../shared/rows.js';
import type { PacketBatch } from './packet-batch.js';
import type { AuthStore } from './auth-store.js';
import type { Dialect } from './migrations/ddl.js';
import { MIGRATIONS } from './migrations/index.js';
import { SqlAuthStore } from './sql-auth.js';
import {
  conversationsSql,
  countSql,
  graphSql,
  histogramSql,
  pageSql,
  topTalkersSql,
  type StoreDialect,
} from './queries.js';
import type {
  CaptureWriter,
  Conversation,
  ConversationQuery,
  GraphEdge,
  GraphQuery,
  HistogramBucket,
  HistogramQuery,
  Page,
  PageQuery,
  Scope,
  Store,
  TableRows,
  Talker,
  TopTalkersQuery,
} from './store.js';
import { FLOW_ROW_TABLES } from '../shared/filter/bindings.js';

/**
 * What the SQL adapters share: migrations, the import transaction, row encoding and the typed queries.
 * An adapter supplies reads, a transaction with its bulk appender, and its dialect.
 */
export type Row = Record<string, unknown>;

/** A column written by an append, with its storage type. */
export interface AppendColumn {
  name: string;
  type: ColumnDef['type'];
}

export interface Tx {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  /** appends rows given column-major: data[i] holds the values of columns[i] */
  append(table: string, columns: AppendColumn[], data: Encoded[][]): Promise<void>;
  /**
   * optional faster path for the import's batches: the rows' columns (defs) encoded by the adapter itself,
   * after capture_id and, when seqStart is given, seq = seqStart + row index + 1; same values as append
   */
  appendRows?(
    table: string,
    captureId: number,
    seqStart: number | null,
    defs: readonly ColumnDef[],
    rows: readonly Row[],
  ): Promise<void>;
  /** optional columnar path for packet index batches (same values as append of batch.rows()) */
  appendPackets?(captureId: number, batch: PacketBatch): Promise<void>;
}

const CAPTURE_COLUMNS: ColumnDef[] = [
  { name: 'id', type: 'bigint', doc: '' },
  { name: 'name', type: 'text', doc: '' },
  { name: 'sha256', type: 'text', doc: '' },
  { name: 'size', type: 'bigint', doc: '' },
  { name: 'format', type: 'text', doc: '' },
  { name: 'link_types', type: 'int[]', doc: '' },
  { name: 'packets', type: 'bigint', doc: '' },
  { name: 'bytes', type: 'bigint', doc: '' },
  { name: 'first_ts', type: 'time', doc: '' },
  { name: 'last_ts', type: 'time', doc: '' },
  { name: 'status', type: 'text', doc: '' },
  { name: 'errors', type: 'json', doc: '' },
  { name: 'created_at', type: 'time', doc: '' },
];
const FILE_COLUMNS: ColumnDef[] = [
  { name: 'file_index', type: 'int', doc: '' },
  { name: 'name', type: 'text', doc: '' },
  { name: 'sha256', type: 'text', doc: '' },
  { name: 'size', type: 'bigint', doc: '' },
  { name: 'format', type: 'text', doc: '' },
  { name: 'path', type: 'text', doc: '' },
];

const SUMMARY_COLUMN: ColumnDef = { name: 'summary', type: 'json', doc: '' };
const CAPTURE_SELECT = `SELECT ${CAPTURE_COLUMNS.map((c) => c.name).join(', ')} FROM captures`;

const ARTIFACT = new Set<TableName>([...FLOW_ROW_TABLES, 'alerts']);
const ALL_TABLES: TableName[] = Object.keys(TABLES) as TableName[];

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const iso = (v: unknown) => (v === null || v === undefined ? null : nsToIso(BigInt(String(v))));

export abstract class SqlStore implements Store {
  abstract readonly kind: string;
  protected abstract readonly dialect: StoreDialect;
  protected abstract readonly dialectName: Dialect;
  /** a read outside any import */
  protected abstract read(sql: string, params?: unknown[]): Promise<Row[]>;
  /** runs fn in one transaction: commit when it resolves, rollback when it throws */
  protected abstract transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** taken inside the migration transaction so two processes never migrate at once (PostgreSQL) */
  protected async lockMigrations(_tx: Tx): Promise<void> {}
  abstract close(): Promise<void>;

  /** Team mode's users, API tokens, sessions and capture ownership (migration 6). */
  readonly auth: AuthStore = new SqlAuthStore({
    read: (sql, params) => this.read(sql, params),
    write: (fn) => this.transaction((tx) => fn((sql, params) => tx.all(sql, params))),
  });

  async migrate(): Promise<void> {
    await this.transaction(async (tx) => {
      await tx.all(
        'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)',
      );
    });
    for (const m of MIGRATIONS) {
      await this.transaction(async (tx) => {
        await this.lockMigrations(tx);
        const done = await tx.all('SELECT version FROM schema_version WHERE version = $1', [m.version]);
        if (done.length) return;
        for (const stmt of m.up(this.dialectName)) await tx.all(stmt);
        await tx.all('INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
      });
    }
  }

  /** Versions applied, in order (for tests and `pcaplens doctor`). */
  async schemaVersions(): Promise<number[]> {
    const rows = await this.read('SELECT version FROM schema_version ORDER BY version');
    return rows.map((r) => n(r.version));
  }

  async importCapture(
    meta: CaptureMeta,
    fill: (w: CaptureWriter) => Promise<CaptureTotals>,
  ): Promise<CaptureRow> {
    return this.transaction(async (tx) => {
      const [idRow] = await tx.all("SELECT nextval('capture_id_seq') AS id");
      const captureId = n(idRow?.id);
      const seq = new Map<TableName, number>();
      let open = true;
      let chain: Promise<void> = Promise.resolve();
      const writeNow = async (table: TableName, rows: readonly Row[]) => {
        if (!open) throw new PcaplensError('E_STORE', 'write after the import finished');
        if (!isTableName(table)) throw new PcaplensError('E_STORE', `no table ${String(table)}`);
        if (rows.length === 0) return;
        const defs = TABLES[table].columns;
        let seqStart: number | null = null;
        if (ARTIFACT.has(table)) {
          seqStart = seq.get(table) ?? 0;
          seq.set(table, seqStart + rows.length);
        }
        if (tx.appendRows) return tx.appendRows(table, captureId, seqStart, defs, rows);
        const columns: AppendColumn[] = [{ name: 'capture_id', type: 'bigint' }];
        const data: Encoded[][] = [rows.map(() => captureId)];
        if (seqStart !== null) {
          const start = seqStart;
          columns.push({ name: 'seq', type: 'bigint' });
          data.push(rows.map((_, i) => start + i + 1));
        }
        for (const c of defs) {
          columns.push({ name: c.name, type: c.type });
          data.push(rows.map((r) => encodeColumn(c, r)));
        }
        await tx.append(table, columns, data);
      };
      const writer: CaptureWriter = {
        captureId,
        // writes are queued so a caller that does not await each one still writes in order, one at a time
        write: (table, rows) => {
          const p = chain.then(() => writeNow(table, rows as unknown as Row[]));
          chain = p.catch(() => {});
          return p;
        },
        writePackets: (batch) => {
          const p = chain.then(async () => {
            if (!open) throw new PcaplensError('E_STORE', 'write after the import finished');
            if (batch.length === 0) return;
            if (tx.appendPackets) await tx.appendPackets(captureId, batch);
            else await writeNow('packets', batch.rows() as unknown as Row[]);
          });
          chain = p.catch(() => {});
          return p;
        },
      };
      let totals: CaptureTotals;
      try {
        totals = await fill(writer);
        await chain;
      } finally {
        open = false;
      }
      const { files = [], ...rest } = meta;
      if (files.length) {
        await tx.append(
          'capture_files',
          [
            { name: 'capture_id', type: 'bigint' },
            ...FILE_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
          ],
          [
            files.map(() => captureId),
            ...FILE_COLUMNS.map((c) => files.map((f) => encodeColumn(c, f as unknown as Row))),
          ],
        );
      }
      const row: Row = {
        id: captureId,
        ...rest,
        packets: totals.packets,
        bytes: totals.bytes,
        first_ts: totals.first_ts,
        last_ts: totals.last_ts,
        link_types: totals.link_types ?? meta.link_types,
        status: totals.status ?? ((totals.errors ?? []).length ? 'partial' : 'complete'),
        errors: totals.errors ?? [],
        created_at: new Date().toISOString(),
      };
      // the summary (migration 2) is written with the row but read only by captureSummary()
      const written = [...CAPTURE_COLUMNS, SUMMARY_COLUMN];
      row.summary = totals.summary ?? null;
      await tx.append(
        'captures',
        written.map((c) => ({ name: c.name, type: c.type })),
        written.map((c) => [encodeValue(c.type, row[c.name])]),
      );
      return decodeRow<CaptureRow>(
        CAPTURE_COLUMNS,
        Object.fromEntries(CAPTURE_COLUMNS.map((c) => [c.name, encodeValue(c.type, row[c.name])])),
      );
    });
  }

  async findCaptureBySha256(sha256: string): Promise<CaptureRow | null> {
    const rows = await this.read(`${CAPTURE_SELECT} WHERE sha256 = $1 ORDER BY id DESC LIMIT 1`, [
      sha256.toLowerCase(),
    ]);
    return rows[0] ? decodeRow<CaptureRow>(CAPTURE_COLUMNS, rows[0]) : null;
  }

  async listCaptures(): Promise<CaptureRow[]> {
    const rows = await this.read(`${CAPTURE_SELECT} ORDER BY id DESC`);
    return rows.map((r) => decodeRow<CaptureRow>(CAPTURE_COLUMNS, r));
  }

  async getCapture(id: number): Promise<CaptureRow | null> {
    const rows = await this.read(`${CAPTURE_SELECT} WHERE id = $1`, [id]);
    return rows[0] ? decodeRow<CaptureRow>(CAPTURE_COLUMNS, rows[0]) : null;
  }

  async captureSummary(id: number): Promise<CaptureSummary | null> {
    const rows = await this.read('SELECT summary FROM captures WHERE id = $1', [id]);
    const v = rows[0]?.summary;
    return v === null || v === undefined ? null : (decodeValue('json', v) as CaptureSummary);
  }

  async captureFiles(id: number): Promise<CaptureFileRow[]> {
    const cols = FILE_COLUMNS.map((c) => c.name).join(', ');
    const rows = await this.read(
      `SELECT ${cols} FROM capture_files WHERE capture_id = $1 ORDER BY file_index`,
      [id],
    );
    return rows.map((r) => decodeRow<CaptureFileRow>(FILE_COLUMNS, r));
  }

  async deleteCapture(id: number): Promise<boolean> {
    return this.transaction(async (tx) => {
      const found = await tx.all('SELECT id FROM captures WHERE id = $1', [id]);
      if (!found.length) return false;
      for (const t of ['capture_files', ...ALL_TABLES])
        await tx.all(`DELETE FROM ${t} WHERE capture_id = $1`, [id]);
      await tx.all('DELETE FROM captures WHERE id = $1', [id]);
      // team mode: who owned it and whom it was shared with
      await tx.all('DELETE FROM capture_shares WHERE capture_id = $1', [id]);
      await tx.all('DELETE FROM capture_owners WHERE capture_id = $1', [id]);
      return true;
    });
  }

  async page<T extends TableName>(table: T, q: PageQuery): Promise<Page<TableRows[T]>> {
    if (!isTableName(table)) throw new PcaplensError('E_USAGE', `no table ${String(table)}`);
    const { sql, params } = pageSql(this.dialect, table, q);
    const cols = rowColumns(table);
    const all =
      table === 'packets' ? [{ name: 'capture_id', type: 'bigint', doc: '' } as ColumnDef, ...cols] : cols;
    const [rows, total] = await Promise.all([this.read(sql, params), this.countRows(table, q)]);
    return { rows: rows.map((r) => decodeRow<TableRows[T]>(all, r)), total };
  }

  /**
   * The rows of a page with only the named columns (no total): what page() returns, narrower. Reading and
   * decoding a few columns of every host costs a fraction of whole rows.
   */
  async pageColumns(table: TableName, q: PageQuery, columns: readonly string[]): Promise<Row[]> {
    if (!isTableName(table)) throw new PcaplensError('E_USAGE', `no table ${String(table)}`);
    const { sql, params } = pageSql(this.dialect, table, q, columns);
    const defs = rowColumns(table).filter((c) => columns.includes(c.name));
    return (await this.read(sql, params)).map((r) => decodeRow<Row>(defs, r));
  }

  async countRows(table: TableName, q: Scope): Promise<number> {
    if (!isTableName(table)) throw new PcaplensError('E_USAGE', `no table ${String(table)}`);
    const { sql, params } = countSql(this.dialect, table, q);
    const rows = await this.read(sql, params);
    return n(rows[0]?.n);
  }

  async topTalkers(q: TopTalkersQuery): Promise<Talker[]> {
    const { sql, params } = topTalkersSql(this.dialect, q);
    return (await this.read(sql, params)).map((r) => ({
      ip: String(r.ip),
      packets_sent: n(r.packets_sent),
      bytes_sent: n(r.bytes_sent),
      packets_recv: n(r.packets_recv),
      bytes_recv: n(r.bytes_recv),
      peers: n(r.peers),
      flows: n(r.flows),
    }));
  }

  async timeHistogram(q: HistogramQuery): Promise<HistogramBucket[]> {
    const { sql, params } = histogramSql(this.dialect, q);
    const w = BigInt(Math.round(q.bucketSec * 1e9));
    return (await this.read(sql, params)).map((r) => ({
      ts: nsToIso(BigInt(String(r.b)) * w),
      group: r.g === null || r.g === undefined ? null : String(r.g),
      packets: n(r.packets),
      bytes: n(r.bytes),
    }));
  }

  async graphEdges(q: GraphQuery): Promise<GraphEdge[]> {
    const { sql, params } = graphSql(this.dialect, q);
    return (await this.read(sql, params)).map((r) => ({
      src: String(r.src),
      dst: String(r.dst),
      proto: r.proto === null || r.proto === undefined ? null : String(r.proto),
      port: r.port === null || r.port === undefined ? null : n(r.port),
      flows: n(r.flows),
      packets: n(r.packets),
      bytes: n(r.bytes),
      first_ts: iso(r.first_ts) ?? '',
      last_ts: iso(r.last_ts) ?? '',
    }));
  }

  async conversations(q: ConversationQuery): Promise<Page<Conversation>> {
    const { page, count } = conversationsSql(this.dialect, q);
    const [rows, total] = await Promise.all([
      this.read(page.sql, page.params),
      this.read(count.sql, count.params),
    ]);
    return {
      rows: rows.map((r) => conversationFromRow(r)),
      total: n(total[0]?.n),
    };
  }
}
