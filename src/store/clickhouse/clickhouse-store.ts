import { randomInt, randomUUID } from 'node:crypto';
import { PcaplensError } from '../../shared/errors.js';
import { isTableName, type TableName } from '../../shared/filter/tables.js';
import { isoToNs, nsToIso } from '../../shared/filter/time-bound.js';
import { conversationFromRow } from '../codec.js';
import type { CaptureFileRow, CaptureMeta, CaptureRow, CaptureTotals } from '../../shared/store-rows.js';
import { MIGRATIONS } from '../migrations/index.js';
import type { Row } from '../sql-store.js';
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
} from '../store.js';
import * as Q from './ch-queries.js';
import type { ChContext } from './context.js';
import { decodeTableRow } from './decode.js';
import {
  dropCaptureRows,
  dropStaging,
  finalizeCapture,
  type FinishHook,
  type JobAttempt,
} from './finalize.js';
import { ClickHouseHttp } from './http.js';
import { chLiteral, chString } from './literal.js';
import { RowBinary } from './row-binary.js';
import { localName, metaDdl, shardDdl, type TableDdl } from './schema.js';
import { parseClickHouseSpec, type ClickHouseSpec } from './spec.js';
import { StageWriter } from './stage-writer.js';

/**
 * The Store on a ClickHouse cluster (18.16 from Debian and later), over HTTP with plain fetch.
 * Imports write staging tables and end by moving the rows into place, then writing the capture row: a
 * capture is visible (every query checks) only once that row exists, and a failed import drops its
 * partitions on every shard. See schema.ts for the layout and finalize.ts for the finishing step.
 */
const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const iso = (v: unknown) => (v === null || v === undefined ? null : nsToIso(BigInt(String(v))));
const nsOf = (s: string | null | undefined) => (s ? isoToNs(s) : null);

/** A capture id: milliseconds since 2020 times 1000 plus a random part; ids grow with time, fit in 2^53. */
export function newCaptureId(): number {
  return (Date.now() - 1_577_836_800_000) * 1000 + randomInt(1000);
}

/** Captures row version: grows with time so a later write (a delete) wins in ReplacingMergeTree. */
const version = () => BigInt(Date.now()) * 1000n + BigInt(randomInt(1000));

interface CaptureRaw {
  id: string;
  name: string;
  sha256: string;
  size: string;
  format: string;
  link_types: string;
  packets: string;
  bytes: string;
  first_ts: string | null;
  last_ts: string | null;
  status: string;
  errors: string;
  created_at: string;
}

const CAPTURE_SELECT =
  'SELECT id, name, sha256, size, format, link_types, packets, bytes, first_ts, last_ts, status, errors, created_at FROM captures FINAL WHERE deleted = 0';

function captureRow(r: CaptureRaw): CaptureRow {
  return {
    id: n(r.id),
    name: r.name,
    sha256: r.sha256,
    size: n(r.size),
    format: r.format,
    link_types: JSON.parse(r.link_types) as number[],
    packets: n(r.packets),
    bytes: n(r.bytes),
    first_ts: iso(r.first_ts),
    last_ts: iso(r.last_ts),
    status: r.status as CaptureRow['status'],
    errors: JSON.parse(r.errors) as CaptureRow['errors'],
    created_at: iso(r.created_at)!,
  };
}

export class ClickHouseStore implements Store {
  readonly kind = 'clickhouse';
  readonly ctx: ChContext;
  private visible = new Map<number, number>();

  constructor(readonly spec: ClickHouseSpec) {
    const auth = { user: spec.user, password: spec.password };
    const layout = { db: spec.database, cluster: spec.cluster };
    this.ctx = {
      layout,
      query: new ClickHouseHttp(spec.endpoint, spec.database, auth),
      meta: new ClickHouseHttp(spec.shards[0]!, spec.database, auth),
      shards: spec.shards.map((s) => new ClickHouseHttp(s, spec.database, auth)),
    };
  }

  static async open(spec: string | ClickHouseSpec): Promise<ClickHouseStore> {
    return new ClickHouseStore(typeof spec === 'string' ? parseClickHouseSpec(spec) : spec);
  }

  private get db(): string {
    return this.ctx.layout.db;
  }

  /** Creates the database, the tables on every shard and the metadata tables; adds missing columns. */
  async migrate(): Promise<void> {
    const { db, cluster } = this.ctx.layout;
    const auth = { user: this.spec.user, password: this.spec.password };
    if (cluster) {
      const sys = new ClickHouseHttp(this.spec.endpoint, null, auth);
      const [c] = await sys.rows<{ n: string }>(
        `SELECT count(DISTINCT shard_num) AS n FROM system.clusters WHERE cluster = ${chString(cluster)}`,
      );
      if (n(c?.n) !== this.spec.shards.length)
        throw new PcaplensError(
          'E_STORE',
          `clickhouse cluster ${cluster} has ${n(c?.n)} shards, the URL lists ${this.spec.shards.length}`,
        );
    }
    const ensure = async (http: ClickHouseHttp, ddl: TableDdl[]) => {
      await new ClickHouseHttp(http.endpoint, null, auth).exec(`CREATE DATABASE IF NOT EXISTS ${db}`);
      for (const t of ddl) await http.exec(t.sql);
      const have = await http.rows<{ table: string; name: string }>(
        `SELECT table, name FROM system.columns WHERE database = ${chString(db)}`,
      );
      const seen = new Set(have.map((h) => `${h.table}.${h.name}`));
      for (const t of ddl)
        for (const [name, type] of t.columns)
          if (!seen.has(`${t.table}.${name}`))
            await http.exec(`ALTER TABLE ${db}.${t.table} ADD COLUMN ${name} ${type}`);
    };
    for (const s of this.ctx.shards) await ensure(s, shardDdl(this.ctx.layout));
    await ensure(this.ctx.meta, metaDdl(this.ctx.layout));
    const done = new Set((await this.schemaVersions()).map(Number));
    for (const m of MIGRATIONS)
      if (!done.has(m.version))
        await this.ctx.meta.exec(
          `INSERT INTO ${db}.schema_version VALUES (${m.version}, ${chString(m.name)}, ${chString(new Date().toISOString())})`,
        );
  }

  /** migrate() unless every migration is recorded already (saves the DDL round trips per import). */
  async ensureSchema(): Promise<void> {
    const have = await this.schemaVersions().catch(() => [] as number[]);
    if (!MIGRATIONS.every((m) => have.includes(m.version))) await this.migrate();
  }

  async schemaVersions(): Promise<number[]> {
    const rows = await this.ctx.meta.rows<{ version: number }>(
      'SELECT DISTINCT version FROM schema_version ORDER BY version',
    );
    return rows.map((r) => n(r.version));
  }

  async importCapture(
    meta: CaptureMeta,
    fill: (w: CaptureWriter) => Promise<CaptureTotals>,
  ): Promise<CaptureRow> {
    const id = newCaptureId();
    const attempt = randomUUID();
    const stage = new StageWriter(this.ctx, id, 0, attempt);
    let chain: Promise<void> = Promise.resolve();
    const writer: CaptureWriter = {
      captureId: id,
      // queued so a caller that does not await each write still writes in order, one at a time
      write: (table, rows) => {
        const p = chain.then(() => stage.write(table, rows as unknown as Row[]));
        chain = p.catch(() => {});
        return p;
      },
    };
    try {
      let totals: CaptureTotals;
      try {
        totals = await fill(writer);
        await chain;
      } finally {
        stage.seal();
      }
      await stage.flushAll();
      return await this.finish(id, meta, totals, [{ job: 0, attempt }], false);
    } catch (e) {
      stage.abandon();
      await dropCaptureRows(this.ctx, id).catch(() => {});
      throw e;
    }
  }

  /**
   * Moves staged rows of the given job attempts into place and writes the capture row (the moment the
   * capture becomes visible). Used by importCapture and by the distributed ingest's last step.
   */
  async finish(
    id: number,
    meta: CaptureMeta,
    totals: CaptureTotals,
    jobs: JobAttempt[],
    renumber: boolean,
    hook?: FinishHook,
  ): Promise<CaptureRow> {
    const { hosts } = await finalizeCapture(this.ctx, id, jobs, renumber, hook);
    // merged across jobs, the host count is known only now
    if (renumber && totals.summary && typeof totals.summary === 'object')
      totals = { ...totals, summary: { ...totals.summary, hosts } };
    await dropStaging(this.ctx, id);
    const { files = [] } = meta;
    if (files.length) await this.writeFiles(id, files);
    const row: CaptureRow = {
      id,
      name: meta.name,
      sha256: meta.sha256.toLowerCase(),
      size: meta.size,
      format: meta.format,
      link_types: totals.link_types ?? meta.link_types,
      packets: totals.packets,
      bytes: totals.bytes,
      first_ts: totals.first_ts,
      last_ts: totals.last_ts,
      status: totals.status ?? ((totals.errors ?? []).length ? 'partial' : 'complete'),
      errors: totals.errors ?? [],
      created_at: nsToIso(BigInt(Date.now()) * 1_000_000n),
    };
    const v = (x: bigint | null) => (x === null ? 'NULL' : x.toString());
    await this.ctx.meta.exec(
      `INSERT INTO ${this.db}.captures (id, version, deleted, name, sha256, size, format, link_types, packets, bytes, first_ts, last_ts, status, errors, created_at, summary) VALUES (${[
        chLiteral(id),
        version().toString(),
        '0',
        chString(row.name),
        chString(row.sha256),
        chLiteral(row.size),
        chString(row.format),
        chString(JSON.stringify(row.link_types)),
        chLiteral(row.packets),
        chLiteral(row.bytes),
        v(nsOf(row.first_ts)),
        v(nsOf(row.last_ts)),
        chString(row.status),
        chString(JSON.stringify(row.errors)),
        v(nsOf(row.created_at)),
        totals.summary === undefined ? 'NULL' : chString(JSON.stringify(totals.summary)),
      ].join(', ')})`,
    );
    return row;
  }

  private async writeFiles(id: number, files: CaptureFileRow[]): Promise<void> {
    const w = new RowBinary();
    for (const f of files) {
      w.i64(id);
      w.i32(f.file_index);
      w.str(f.name);
      w.str(f.sha256);
      w.i64(f.size);
      w.str(f.format);
      if (f.path === null) w.u8(1);
      else {
        w.u8(0);
        w.str(f.path);
      }
    }
    await this.ctx.meta.insert(
      'capture_files',
      ['capture_id', 'file_index', 'name', 'sha256', 'size', 'format', 'path'],
      w.take(),
    );
  }

  async findCaptureBySha256(sha256: string): Promise<CaptureRow | null> {
    const rows = await this.ctx.meta.rows<CaptureRaw>(
      `${CAPTURE_SELECT} AND sha256 = ${chString(sha256.toLowerCase())} ORDER BY id DESC LIMIT 1`,
    );
    return rows[0] ? captureRow(rows[0]) : null;
  }

  async listCaptures(): Promise<CaptureRow[]> {
    return (await this.ctx.meta.rows<CaptureRaw>(`${CAPTURE_SELECT} ORDER BY id DESC`)).map(captureRow);
  }

  async getCapture(id: number): Promise<CaptureRow | null> {
    if (!Number.isSafeInteger(id)) return null;
    const rows = await this.ctx.meta.rows<CaptureRaw>(`${CAPTURE_SELECT} AND id = ${chLiteral(id)}`);
    return rows[0] ? captureRow(rows[0]) : null;
  }

  /** The capture's reading summary as stored at import, or null. */
  async captureSummary(id: number): Promise<unknown> {
    const rows = await this.ctx.meta.rows<{ summary: string | null }>(
      `SELECT summary FROM captures FINAL WHERE deleted = 0 AND id = ${chLiteral(id)}`,
    );
    const s = rows[0]?.summary;
    return s ? JSON.parse(s) : null;
  }

  async captureFiles(id: number): Promise<CaptureFileRow[]> {
    if (!(await this.isVisible(id))) return [];
    const rows = await this.ctx.meta.rows<Record<string, unknown>>(
      `SELECT file_index, name, sha256, size, format, path FROM capture_files WHERE capture_id = ${chLiteral(id)} ORDER BY file_index`,
    );
    return rows.map((r) => ({
      file_index: n(r.file_index),
      name: String(r.name),
      sha256: String(r.sha256),
      size: n(r.size),
      format: String(r.format),
      path: r.path === null ? null : String(r.path),
    }));
  }

  async deleteCapture(id: number): Promise<boolean> {
    const found = await this.getCapture(id);
    if (!found) return false;
    // the tombstone first: the capture disappears at once, then its partitions go from every shard
    await this.ctx.meta.exec(
      `INSERT INTO ${this.db}.captures (id, version, deleted) VALUES (${chLiteral(id)}, ${version().toString()}, 1)`,
    );
    this.visible.delete(id);
    await dropCaptureRows(this.ctx, id);
    return true;
  }

  /** Whether a capture is complete and not deleted (cached for a second). */
  private async isVisible(id: number): Promise<boolean> {
    const until = this.visible.get(id);
    if (until !== undefined && until > Date.now()) return true;
    const ok = (await this.getCapture(id)) !== null;
    if (ok) this.visible.set(id, Date.now() + 1000);
    return ok;
  }

  async page<T extends TableName>(table: T, q: PageQuery): Promise<Page<TableRows[T]>> {
    if (!isTableName(table)) throw new PcaplensError('E_USAGE', `no table ${String(table)}`);
    const sql = Q.pageSql(table, q);
    if (!(await this.isVisible(q.captureId))) return { rows: [], total: 0 };
    const [rows, total] = await Promise.all([this.ctx.query.rows(sql), this.countRows(table, q)]);
    return { rows: rows.map((r) => decodeTableRow<TableRows[T]>(table, r)), total };
  }

  async countRows(table: TableName, q: Scope): Promise<number> {
    if (!isTableName(table)) throw new PcaplensError('E_USAGE', `no table ${String(table)}`);
    const sql = Q.countSql(table, q);
    if (!(await this.isVisible(q.captureId))) return 0;
    const rows = await this.ctx.query.rows<{ n_: string }>(sql);
    return n(rows[0]?.n_);
  }

  async topTalkers(q: TopTalkersQuery): Promise<Talker[]> {
    const sql = Q.topTalkersSql(q);
    if (!(await this.isVisible(q.captureId))) return [];
    return (await this.ctx.query.rows(sql)).map((r) => ({
      ip: String(r.ip_),
      packets_sent: n(r.packets_sent_),
      bytes_sent: n(r.bytes_sent_),
      packets_recv: n(r.packets_recv_),
      bytes_recv: n(r.bytes_recv_),
      peers: n(r.peers_),
      flows: n(r.flows_),
    }));
  }

  async timeHistogram(q: HistogramQuery): Promise<HistogramBucket[]> {
    const sql = Q.histogramSql(q, localName(this.ctx.layout, 'flows'), this.db);
    if (!(await this.isVisible(q.captureId))) return [];
    const w = BigInt(Math.round(q.bucketSec * 1e9));
    return (await this.ctx.query.rows(sql)).map((r) => ({
      ts: nsToIso(BigInt(String(r.b_)) * w),
      group: r.g_ === null || r.g_ === undefined ? null : String(r.g_),
      packets: n(r.packets_),
      bytes: n(r.bytes_),
    }));
  }

  async graphEdges(q: GraphQuery): Promise<GraphEdge[]> {
    const sql = Q.graphSql(q);
    if (!(await this.isVisible(q.captureId))) return [];
    return (await this.ctx.query.rows(sql)).map((r) => ({
      src: String(r.src_),
      dst: String(r.dst_),
      proto: r.proto_ === null || r.proto_ === undefined ? null : String(r.proto_),
      port: r.port_ === null || r.port_ === undefined ? null : n(r.port_),
      flows: n(r.flows_),
      packets: n(r.packets_),
      bytes: n(r.bytes_),
      first_ts: iso(r.first_) ?? '',
      last_ts: iso(r.last_) ?? '',
    }));
  }

  async conversations(q: ConversationQuery): Promise<Page<Conversation>> {
    const { page, count } = Q.conversationsSql(q);
    if (!(await this.isVisible(q.captureId))) return { rows: [], total: 0 };
    const [rows, total] = await Promise.all([this.ctx.query.rows(page), this.ctx.query.rows(count)]);
    return {
      rows: rows.map((r) => conversationFromRow(r, '_')),
      total: n(total[0]?.n_),
    };
  }

  async close(): Promise<void> {}
}
