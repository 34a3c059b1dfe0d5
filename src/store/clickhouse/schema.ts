import {
  TABLES,
  TABLE_NAMES,
  type ColumnDef,
  type StorageType,
  type TableName,
} from '../../shared/filter/tables.js';

/**
 * The ClickHouse schema, derived from the column catalog (shared/filter/tables.ts) so a column added there
 * is added here too (migrate() adds missing columns with ALTER TABLE ... ADD COLUMN).
 *
 * Per shard: `<t>_local` MergeTree PARTITION BY capture_id (delete = DROP PARTITION, synchronous and exact)
 * ORDER BY (capture_id, time); on every node `<t>` Distributed over the cluster by `shard_key`, a hash of the
 * conversation's sorted endpoint pair computed by the writer (shard-key.ts), so one conversation's flows and
 * packets live on one shard and the packets-to-flows join runs shard-local.
 * Staging tables (`stage_<t>`) hold rows of imports not yet finished; metadata (captures, files, jobs, the
 * flow id map) lives on the first shard only.
 */
export const STAGED = ['packets', 'flows', 'hosts'] as const;
export type StagedTable = (typeof STAGED)[number];
export const ARTIFACT_TABLES = TABLE_NAMES.filter((t) => TABLES[t].key[0] === 'seq');

const SCALAR: Record<Exclude<StorageType, 'text[]' | 'int[]'>, string> = {
  text: 'Nullable(String)',
  json: 'Nullable(String)',
  int: 'Nullable(Int32)',
  bigint: 'Nullable(Int64)',
  float: 'Nullable(Float64)',
  bool: 'Nullable(UInt8)',
  time: 'Nullable(Int64)',
};

/** Storage columns of one catalog column: arrays cannot be NULL in ClickHouse, so they get a `__n` flag. */
export function chColumns(c: ColumnDef): [string, string][] {
  if (c.type === 'text[]')
    return [
      [c.name, 'Array(String)'],
      [`${c.name}__n`, 'UInt8'],
    ];
  if (c.type === 'int[]')
    return [
      [c.name, 'Array(Int32)'],
      [`${c.name}__n`, 'UInt8'],
    ];
  return [[c.name, SCALAR[c.type]]];
}

export function isArtifact(t: TableName): boolean {
  return TABLES[t].key[0] === 'seq';
}

/** Columns of a data table, in insert order. */
export function dataColumns(t: TableName): [string, string][] {
  const out: [string, string][] = [['capture_id', 'Int64']];
  if (isArtifact(t)) out.push(['seq', 'Int64']);
  for (const c of TABLES[t].columns) out.push(...chColumns(c));
  out.push(['shard_key', 'UInt64']);
  return out;
}

/** Extra columns of a staging table (after capture_id). */
export const STAGE_EXTRA: [string, string][] = [
  ['job', 'UInt32'],
  ['attempt', 'String'],
  // flows: frame number and IP layer where the flow started (renumbering across jobs)
  ['first_n', 'Int64'],
  ['first_layer', 'UInt8'],
  // hosts: frame number where each MAC of `macs` was first seen (merging across jobs)
  ['mac_first', 'Array(Int64)'],
  // flows: where the flow ended in a single reader's order (the order flows reach enrichment)
  ['end_key', 'Array(Int64)'],
];

/** Application rows of ingest jobs, as JSON with the key that orders them as a single reader emits them. */
export const STAGE_APP: [string, string][] = [
  ['capture_id', 'Int64'],
  ['job', 'UInt32'],
  ['attempt', 'String'],
  ['tbl', 'String'],
  ['k', 'Array(Int64)'],
  ['row', 'String'],
];

export function stageColumns(t: StagedTable): [string, string][] {
  const [cap, ...rest] = dataColumns(t);
  return [cap!, ...STAGE_EXTRA, ...rest];
}

function orderBy(t: TableName): string {
  if (t === 'packets') return '(capture_id, ifNull(ts, 0), ifNull(n, 0))';
  if (t === 'flows') return '(capture_id, ifNull(first_ts, 0), ifNull(id, 0))';
  if (t === 'hosts') return "(capture_id, ifNull(ip, ''))";
  return '(capture_id, ifNull(ts, 0), seq)';
}

export interface Layout {
  db: string;
  cluster: string | null;
}

/** Name of the per-shard table behind a logical one. */
export function localName(l: Layout, t: string): string {
  return l.cluster ? `${t}_local` : t;
}

const cols = (list: [string, string][]) => list.map(([n, ty]) => `${n} ${ty}`).join(', ');

/** DDL run on every shard: local tables, then the Distributed tables over them. */
export interface TableDdl {
  table: string;
  sql: string;
  columns: [string, string][];
}

export function shardDdl(l: Layout): TableDdl[] {
  const out: TableDdl[] = [];
  const add = (name: string, columns: [string, string][], engine: string, key: string) => {
    const local = localName(l, name);
    out.push({
      table: local,
      columns,
      sql: `CREATE TABLE IF NOT EXISTS ${l.db}.${local} (${cols(columns)}) ENGINE = ${engine}`,
    });
    if (l.cluster)
      out.push({
        table: name,
        columns,
        sql: `CREATE TABLE IF NOT EXISTS ${l.db}.${name} AS ${l.db}.${local} ENGINE = Distributed(${l.cluster}, ${l.db}, ${local}, ${key})`,
      });
  };
  for (const t of TABLE_NAMES)
    add(t, dataColumns(t), `MergeTree PARTITION BY capture_id ORDER BY ${orderBy(t)}`, 'shard_key');
  for (const t of STAGED)
    add(
      `stage_${t}`,
      stageColumns(t),
      'MergeTree PARTITION BY capture_id ORDER BY (capture_id, job)',
      'rand()',
    );
  add('stage_app', STAGE_APP, 'MergeTree PARTITION BY capture_id ORDER BY (capture_id, job)', 'rand()');
  return out;
}

/** DDL run on the first shard only: the metadata tables. */
export function metaDdl(l: Layout): TableDdl[] {
  const t = (name: string, body: string, engine: string): TableDdl => ({
    table: name,
    columns: body.split(', ').map((c) => c.split(' ', 2) as [string, string]),
    sql: `CREATE TABLE IF NOT EXISTS ${l.db}.${name} (${body}) ENGINE = ${engine}`,
  });
  return [
    t('schema_version', 'version UInt32, name String, applied_at String', 'MergeTree ORDER BY version'),
    // a capture's row is written once its rows are all in place: it is what makes the capture visible.
    // ReplacingMergeTree by version: a delete writes a newer row with deleted = 1 (read with FINAL)
    t(
      'captures',
      'id Int64, version UInt64, deleted UInt8, name String, sha256 String, size Int64, format String, ' +
        'link_types String, packets Int64, bytes Int64, first_ts Nullable(Int64), last_ts Nullable(Int64), ' +
        'status String, errors String, created_at Int64, summary Nullable(String)',
      'ReplacingMergeTree(version) ORDER BY id',
    ),
    t(
      'capture_files',
      'capture_id Int64, file_index Int32, name String, sha256 String, size Int64, format String, path Nullable(String)',
      'MergeTree PARTITION BY capture_id ORDER BY (capture_id, file_index)',
    ),
    // one row per finished ingest job attempt; the newest row of a job names the attempt whose rows count
    t(
      'ingest_jobs',
      'capture_id Int64, job UInt32, attempt String, version UInt64, totals String',
      'ReplacingMergeTree(version) PARTITION BY capture_id ORDER BY (capture_id, job)',
    ),
    t(
      'flow_map',
      'capture_id Int64, job UInt32, lid Int64, gid Int64, sk UInt64',
      'MergeTree PARTITION BY capture_id ORDER BY (capture_id, job, lid)',
    ),
  ];
}

/** Partitioned tables of a shard that hold rows of one capture (data and staging, local names). */
export function shardPartitioned(l: Layout): string[] {
  return [...TABLE_NAMES, ...STAGED.map((t) => `stage_${t}`), 'stage_app'].map((t) => localName(l, t));
}
