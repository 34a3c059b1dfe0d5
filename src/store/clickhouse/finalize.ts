import { TABLES, type TableName } from '../../shared/filter/tables.js';
import { encodeColumn } from '../codec.js';
import { SYNC_INSERT, type ChContext } from './context.js';
import { decodeTableRow } from './decode.js';
import { chLiteral, chString } from './literal.js';
import { RowBinary, writeValue } from './row-binary.js';
import { chColumns, dataColumns, localName, shardPartitioned, STAGED } from './schema.js';
import { hostShardKey } from './shard-key.js';
import { StageWriter } from './stage-writer.js';
import { mergeHostRows, type StagedHost } from './host-merge.js';

/**
 * Moves one capture's staged rows into its tables, once every job of it is done:
 *  1. flow ids: kept (one job) or renumbered in order of first packet over all jobs (frame, IP layer), as a
 *     single reader numbers them; the map (job, local id) -> (id, shard key) goes to flow_map;
 *  2. flows and packets: INSERT ... SELECT joined with that map (GLOBAL: the map lives on the first shard),
 *     through the Distributed tables, so each packet lands on its flow's shard;
 *  3. hosts: partial rows of each job summed (jobs split by conversation, so peers never overlap).
 * It starts by dropping whatever an earlier try left in the final tables, so a retried finish is safe.
 */
export interface JobAttempt {
  job: number;
  attempt: string;
}

export async function dropPartitions(ctx: ChContext, id: number, tables: readonly string[]): Promise<void> {
  const db = ctx.layout.db;
  await Promise.all(
    ctx.shards.map(async (s) => {
      for (const t of tables) await s.exec(`ALTER TABLE ${db}.${t} DROP PARTITION ${chLiteral(id)}`);
    }),
  );
}

/** Local names of the final tables a finish writes. */
const finalTables = (ctx: ChContext) => STAGED.map((t) => localName(ctx.layout, t));

function attemptsIn(jobs: readonly JobAttempt[]): string {
  return `(job, attempt) IN (${jobs.map((j) => `(${chLiteral(j.job)}, ${chString(j.attempt)})`).join(', ')})`;
}

const columnNames = (t: TableName) => TABLES[t].columns.flatMap((c) => chColumns(c).map(([n]) => n));

/** What a finish hook sees: the merged hosts and the flow id map (job, local id) -> id. */
export interface FinishContext {
  hosts: Record<string, unknown>[];
  flowId(job: number, local: number | null): number | null;
}

/**
 * Runs once flows and packets are in place and hosts merged; returns the hosts to store and rows of other
 * tables (written in the given order, which sets their seq). Distributed ingest enriches hosts here.
 */
export type FinishHook = (c: FinishContext) => Promise<{
  hosts: Record<string, unknown>[];
  tables: { table: TableName; rows: Record<string, unknown>[] }[];
}>;

export async function finalizeCapture(
  ctx: ChContext,
  id: number,
  jobs: readonly JobAttempt[],
  renumber: boolean,
  hook?: FinishHook,
): Promise<{ hosts: number }> {
  const db = ctx.layout.db;
  const cap = chLiteral(id);
  const mine = attemptsIn(jobs);
  await dropPartitions(ctx, id, finalTables(ctx));
  await ctx.meta.exec(`ALTER TABLE ${db}.flow_map DROP PARTITION ${cap}`);

  // 1. the flow id map
  const flows = await ctx.query.rows<{
    job: number;
    id: string;
    first_n: string;
    first_layer: number;
    shard_key: string;
  }>(
    `SELECT job, id, first_n, first_layer, shard_key FROM stage_flows WHERE capture_id = ${cap} AND ${mine}`,
  );
  const list = flows.map((f) => ({
    job: Number(f.job),
    lid: Number(f.id),
    n: Number(f.first_n),
    layer: Number(f.first_layer),
    sk: f.shard_key,
  }));
  if (renumber) list.sort((a, b) => a.n - b.n || a.layer - b.layer || a.job - b.job || a.lid - b.lid);
  const w = new RowBinary();
  list.forEach((f, i) => {
    w.i64(id);
    w.i32(f.job);
    w.i64(f.lid);
    w.i64(renumber ? i + 1 : f.lid);
    w.u64(BigInt(f.sk));
  });
  if (list.length) await ctx.meta.insert('flow_map', ['capture_id', 'job', 'lid', 'gid', 'sk'], w.take());
  const gids = new Map<string, number>();
  list.forEach((f, i) => gids.set(`${f.job}:${f.lid}`, renumber ? i + 1 : f.lid));

  // 2. flows and packets, renumbered, through the Distributed tables
  const flowCols = columnNames('flows').filter((c) => c !== 'id');
  await ctx.meta.exec(
    `INSERT INTO ${db}.flows (capture_id, id, ${flowCols.join(', ')}, shard_key)
SELECT capture_id, gid_, ${flowCols.join(', ')}, shard_key FROM ${db}.stage_flows
GLOBAL ANY INNER JOIN (SELECT job, toNullable(lid) AS id, gid AS gid_ FROM ${db}.flow_map WHERE capture_id = ${cap}) USING (job, id)
WHERE capture_id = ${cap} AND ${mine}`,
    SYNC_INSERT,
  );
  const pktCols = columnNames('packets').filter((c) => c !== 'flow_id');
  await ctx.meta.exec(
    `INSERT INTO ${db}.packets (capture_id, ${pktCols.join(', ')}, flow_id, shard_key)
SELECT capture_id, ${pktCols.join(', ')}, gid_, ifNull(sk_, shard_key) FROM ${db}.stage_packets
GLOBAL ANY LEFT JOIN (SELECT job, toNullable(lid) AS flow_id, toNullable(gid) AS gid_, toNullable(sk) AS sk_
  FROM ${db}.flow_map WHERE capture_id = ${cap}) USING (job, flow_id)
WHERE capture_id = ${cap} AND ${mine}`,
    SYNC_INSERT,
  );

  // 3. hosts, merged in JavaScript (a few per conversation at most, far fewer than packets)
  const hostCols = dataColumns('hosts')
    .map(([n]) => n)
    .filter((c) => c !== 'capture_id' && c !== 'shard_key');
  const staged = await ctx.query.rows<Record<string, unknown>>(
    `SELECT job, mac_first, ${hostCols.join(', ')} FROM stage_hosts WHERE capture_id = ${cap} AND ${mine}`,
  );
  const parts: StagedHost[] = staged.map((r) => ({
    job: Number(r.job),
    macFirst: (r.mac_first as unknown[]).map(Number),
    row: decodeTableRow<Record<string, unknown>>('hosts', r),
  }));
  let hosts = jobs.length > 1 ? mergeHostRows(parts) : parts.map((p) => p.row);
  if (hook) {
    const out = await hook({
      hosts,
      flowId: (job, lid) => (lid === null ? null : (gids.get(`${job}:${lid}`) ?? null)),
    });
    hosts = out.hosts;
    const w = new StageWriter(ctx, id, 0, '');
    for (const t of out.tables) await w.write(t.table, t.rows);
    await w.close();
  }
  if (hosts.length) {
    const hw = new RowBinary();
    for (const h of hosts) {
      hw.i64(id);
      for (const c of TABLES.hosts.columns) writeValue(hw, c.type, encodeColumn(c, h));
      hw.i64(hostShardKey(h.ip));
    }
    await ctx.query.insert(
      'hosts',
      dataColumns('hosts').map(([n]) => n),
      hw.take(),
      SYNC_INSERT,
    );
  }
  return { hosts: hosts.length };
}

/** Staged application rows of the given attempts, in a single reader's order (job order breaks no ties). */
export async function loadStagedApp(
  ctx: ChContext,
  id: number,
  jobs: readonly JobAttempt[],
): Promise<{ table: string; job: number; row: Record<string, unknown> }[]> {
  const rows = await ctx.query.rows<{ tbl: string; job: number; k: string[]; row: string }>(
    `SELECT tbl, job, k, row FROM stage_app WHERE capture_id = ${chLiteral(id)} AND ${attemptsIn(jobs)}`,
  );
  const keyed = rows.map((r) => ({
    k: r.k.map(Number),
    job: Number(r.job),
    table: r.tbl,
    row: JSON.parse(r.row),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.max(a.k.length, b.k.length); i++) {
      const d = (a.k[i] ?? 0) - (b.k[i] ?? 0);
      if (d) return d;
    }
    return a.job - b.job;
  });
  return keyed.map(({ table, job, row }) => ({ table, job, row }));
}

/** Staged flows of the given attempts with ids mapped, in the order a single reader ends them. */
export async function loadStagedFlows(
  ctx: ChContext,
  id: number,
  jobs: readonly JobAttempt[],
  flowId: (job: number, local: number | null) => number | null,
): Promise<Record<string, unknown>[]> {
  const cols = dataColumns('flows')
    .map(([n]) => n)
    .filter((c) => c !== 'capture_id' && c !== 'shard_key');
  const rows = await ctx.query.rows<Record<string, unknown>>(
    `SELECT job, end_key, ${cols.join(', ')} FROM stage_flows WHERE capture_id = ${chLiteral(id)} AND ${attemptsIn(jobs)}`,
  );
  const keyed = rows.map((r) => {
    const row = decodeTableRow<Record<string, unknown>>('flows', r);
    row.id = flowId(Number(r.job), Number(row.id));
    return { k: (r.end_key as string[]).map(Number), row };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.max(a.k.length, b.k.length); i++) {
      const d = (a.k[i] ?? 0) - (b.k[i] ?? 0);
      if (d) return d;
    }
    return Number(a.row.id) - Number(b.row.id);
  });
  return keyed.map((x) => x.row);
}

/** Removes the staging rows and the flow map of a capture (after a finish, or when it is given up). */
export async function dropStaging(ctx: ChContext, id: number): Promise<void> {
  await dropPartitions(
    ctx,
    id,
    STAGED.map((t) => localName(ctx.layout, `stage_${t}`)),
  );
  await ctx.meta.exec(`ALTER TABLE ${ctx.layout.db}.flow_map DROP PARTITION ${chLiteral(id)}`);
}

/** Removes every row of a capture from every shard (data, staging, files, map). */
export async function dropCaptureRows(ctx: ChContext, id: number): Promise<void> {
  await dropPartitions(ctx, id, shardPartitioned(ctx.layout));
  for (const t of ['flow_map', 'capture_files', 'ingest_jobs'])
    await ctx.meta.exec(`ALTER TABLE ${ctx.layout.db}.${t} DROP PARTITION ${chLiteral(id)}`);
}
