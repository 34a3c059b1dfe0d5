import { PcaplensError } from '../shared/errors.js';
import type { CheckedFilter } from '../shared/filter/ast.js';
import { TABLES, rowColumns, type TableName } from '../shared/filter/tables.js';
import { isoToNs } from '../shared/filter/time-bound.js';
import { filterToSql, type SqlDialect } from '../shared/filter/to-sql.js';
import type {
  ConversationQuery,
  GraphQuery,
  HistogramQuery,
  PageQuery,
  Scope,
  TopTalkersQuery,
} from './store.js';

/**
 * The SQL of the typed queries, shared by the adapters: both dialects speak it, with the few differences
 * behind StoreDialect. Values are always bound parameters; names come only from tables.ts and fixed lists.
 */
export interface StoreDialect extends SqlDialect {
  /** integer division of two integer expressions */
  intDiv(a: string, b: string): string;
}

export interface Sql {
  sql: string;
  params: unknown[];
}

export const MAX_LIMIT = 100_000;

class Params {
  readonly list: unknown[] = [];
  constructor(private readonly d: StoreDialect) {}
  add(v: unknown): string {
    this.list.push(v);
    return this.d.param(this.list.length);
  }
}

function checkTable(f: CheckedFilter | undefined, table: TableName): void {
  if (f && f.table !== table) {
    throw new PcaplensError('E_FILTER', `filter was checked for table ${f.table}, used on ${table}`);
  }
}

function timeNs(s: string, what: string): bigint {
  const ns = isoToNs(s);
  if (ns === null) throw new PcaplensError('E_USAGE', `bad ${what} time ${JSON.stringify(s)}`);
  return ns;
}

/** WHERE clause (without the word) for a scope on a table, optionally with a column alias. */
function where(d: StoreDialect, p: Params, table: TableName, q: Scope, alias = ''): string {
  checkTable(q.filter, table);
  const a = alias ? `${alias}.` : '';
  const parts = [`${a}capture_id = ${p.add(q.captureId)}`];
  const span = TABLES[table].timeSpan;
  if (span && q.from !== undefined)
    parts.push(`${a}${span[1]} >= ${p.add(d.bigint(timeNs(q.from, 'from')))}`);
  if (span && q.to !== undefined) parts.push(`${a}${span[0]} <= ${p.add(d.bigint(timeNs(q.to, 'to')))}`);
  if (q.filter) parts.push(filterToSql(q.filter, d, p.list, alias || undefined, q.captureId));
  return parts.join(' AND ');
}

function limitOf(n: number | undefined, dflt: number): number {
  const v = n ?? dflt;
  if (!Number.isInteger(v) || v < 0 || v > MAX_LIMIT)
    throw new PcaplensError('E_USAGE', `limit must be 0..${MAX_LIMIT}`);
  return v;
}
function offsetOf(n: number | undefined): number {
  const v = n ?? 0;
  if (!Number.isInteger(v) || v < 0)
    throw new PcaplensError('E_USAGE', 'offset must be a non-negative integer');
  return v;
}

/** Sort expressions of a column: addresses by their key (numeric order) then text, everything else as stored. */
function sortColumns(table: TableName, column: string): string[] {
  const cols = TABLES[table].columns;
  const c = cols.find((x) => x.name === column);
  if (!c || c.type === 'json' || c.type === 'text[]' || c.type === 'int[]') {
    const names = cols
      .filter((x) => !x.derive || x.name === 'packets' || x.name === 'bytes')
      .map((x) => x.name);
    throw new PcaplensError('E_USAGE', `cannot sort ${table} by ${column}; columns: ${names.join(', ')}`);
  }
  const key = cols.find((x) => x.name === `${column}_key` && x.filterAs === 'ipkey');
  return key ? [key.name, c.name] : [c.name];
}

/**
 * A page's SQL. `columns` (names of the table's row columns) reads only those: the same rows in the same
 * order, narrower (what a caller that needs a few fields of every row asks, e.g. the graph's host facts).
 */
export function pageSql(d: StoreDialect, table: TableName, q: PageQuery, columns?: readonly string[]): Sql {
  const p = new Params(d);
  const w = where(d, p, table, q);
  const order: string[] = [];
  for (const s of q.sort ?? []) {
    for (const c of sortColumns(table, s.column)) order.push(`${c} ${s.desc ? 'DESC' : 'ASC'} NULLS LAST`);
  }
  for (const k of TABLES[table].key) {
    if (k === 'seq') order.push('seq ASC');
    else for (const c of sortColumns(table, k)) order.push(`${c} ASC NULLS LAST`);
  }
  const all = rowColumns(table).map((c) => c.name);
  const cols = columns ? all.filter((c) => columns.includes(c)) : all;
  if (columns && cols.length !== columns.length)
    throw new PcaplensError(
      'E_USAGE',
      `no such columns in ${table}: ${columns.filter((c) => !all.includes(c)).join(', ')}`,
    );
  if (table === 'packets' && !columns) cols.unshift('capture_id');
  const limit = p.add(limitOf(q.limit, 100));
  const offset = p.add(offsetOf(q.offset));
  return {
    sql: `SELECT ${cols.join(', ')} FROM ${table} WHERE ${w} ORDER BY ${order.join(', ')} LIMIT ${limit} OFFSET ${offset}`,
    params: p.list,
  };
}

export function countSql(d: StoreDialect, table: TableName, q: Scope): Sql {
  const p = new Params(d);
  return { sql: `SELECT count(*) AS n FROM ${table} WHERE ${where(d, p, table, q)}`, params: p.list };
}

export function topTalkersSql(d: StoreDialect, q: TopTalkersQuery): Sql {
  const p = new Params(d);
  const w = where(d, p, 'flows', q);
  const dir = q.direction ?? 'both';
  const metric =
    q.by === 'peers'
      ? 'peers'
      : dir === 'sent'
        ? `${q.by}_sent`
        : dir === 'recv'
          ? `${q.by}_recv`
          : `${q.by}_sent + ${q.by}_recv`;
  const n = p.add(limitOf(q.n, 10));
  const sql = `WITH f AS (SELECT * FROM flows WHERE ${w}),
s AS (
  SELECT src_ip AS ip, src_ip_key AS k, dst_ip AS peer, packets_fwd AS ps, bytes_fwd AS bs, packets_rev AS pr, bytes_rev AS br FROM f
  UNION ALL
  SELECT dst_ip, dst_ip_key, src_ip, packets_rev, bytes_rev, packets_fwd, bytes_fwd FROM f
),
g AS (
  SELECT ip, min(k) AS k, sum(ps) AS packets_sent, sum(bs) AS bytes_sent, sum(pr) AS packets_recv, sum(br) AS bytes_recv,
    count(DISTINCT peer) AS peers, count(*) AS flows
  FROM s GROUP BY ip
)
SELECT * FROM g ORDER BY ${metric} DESC, k ASC NULLS LAST, ip ASC LIMIT ${n}`;
  return { sql, params: p.list };
}

/** Bucket width in nanoseconds, at least 1 microsecond. */
export function bucketNs(bucketSec: number): bigint {
  if (!Number.isFinite(bucketSec) || bucketSec < 1e-6 || bucketSec > 1e9) {
    throw new PcaplensError('E_USAGE', 'bucketSec must be between 0.000001 and 1e9');
  }
  return BigInt(Math.round(bucketSec * 1e9));
}

export function histogramSql(d: StoreDialect, q: HistogramQuery): Sql {
  const p = new Params(d);
  checkTable(q.filter, 'flows');
  const w = bucketNs(q.bucketSec);
  const needFlow = q.filter !== undefined || q.groupBy !== undefined;
  const parts = [`p.capture_id = ${p.add(q.captureId)}`];
  if (q.from !== undefined) parts.push(`p.ts >= CAST(${p.add(d.bigint(timeNs(q.from, 'from')))} AS BIGINT)`);
  if (q.to !== undefined) parts.push(`p.ts <= CAST(${p.add(d.bigint(timeNs(q.to, 'to')))} AS BIGINT)`);
  if (q.filter) parts.push(filterToSql(q.filter, d, p.list, 'f', q.captureId));
  const group = q.groupBy === 'proto' ? 'f.proto' : q.groupBy === 'app' ? 'f.app' : 'NULL';
  const join = needFlow ? ' LEFT JOIN flows f ON f.capture_id = p.capture_id AND f.id = p.flow_id' : '';
  // the cast matters: DuckDB divides by an untyped parameter some 40x slower than by a BIGINT
  const sql = `SELECT ${d.intDiv('p.ts', `CAST(${p.add(d.bigint(w))} AS BIGINT)`)} AS b, ${group} AS g, count(*) AS packets, sum(p.len) AS bytes
FROM packets p${join} WHERE p.ts IS NOT NULL AND ${parts.join(' AND ')} GROUP BY 1, 2 ORDER BY 1, 2 NULLS FIRST`;
  return { sql, params: p.list };
}

export function graphSql(d: StoreDialect, q: GraphQuery): Sql {
  const p = new Params(d);
  const w = where(d, p, 'flows', q);
  const [src, dst, extra, notNull] =
    q.layer === 2
      ? ['src_mac', 'dst_mac', 'NULL AS proto, NULL AS port', 'src_mac IS NOT NULL AND dst_mac IS NOT NULL']
      : q.layer === 3
        ? ['src_ip', 'dst_ip', 'NULL AS proto, NULL AS port', 'TRUE']
        : ['src_ip', 'dst_ip', 'proto, dst_port AS port', 'TRUE'];
  const groupExtra = q.layer === 4 ? ', proto, dst_port' : '';
  const limit = p.add(limitOf(q.limit, 1000));
  const sql = `SELECT ${src} AS src, ${dst} AS dst, ${extra}, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes,
  min(first_ts) AS first_ts, max(last_ts) AS last_ts
FROM flows WHERE ${w} AND ${notNull} GROUP BY ${src}, ${dst}${groupExtra}
ORDER BY bytes DESC, src, dst${q.layer === 4 ? ', proto, port NULLS FIRST' : ''} LIMIT ${limit}`;
  return { sql, params: p.list };
}

const CONV_SORT: Record<string, string> = {
  bytes: 'bytes_ab + bytes_ba',
  packets: 'packets_ab + packets_ba',
  flows: 'flows',
  first_ts: 'first_ts',
  duration: 'last_ts - first_ts',
};

export function conversationsSql(d: StoreDialect, q: ConversationQuery): { page: Sql; count: Sql } {
  const p = new Params(d);
  const w = where(d, p, 'flows', q);
  const [s, t, sk, tk, notNull] =
    q.layer === 2
      ? ['src_mac', 'dst_mac', 'src_mac', 'dst_mac', 'src_mac IS NOT NULL AND dst_mac IS NOT NULL']
      : ['src_ip', 'dst_ip', 'COALESCE(src_ip_key, src_ip)', 'COALESCE(dst_ip_key, dst_ip)', 'TRUE'];
  const inner = `SELECT CASE WHEN ${sk} <= ${tk} THEN ${s} ELSE ${t} END AS a,
    CASE WHEN ${sk} <= ${tk} THEN ${t} ELSE ${s} END AS b,
    CASE WHEN ${sk} <= ${tk} THEN ${sk} ELSE ${tk} END AS ak,
    CASE WHEN ${sk} <= ${tk} THEN packets_fwd ELSE packets_rev END AS pab,
    CASE WHEN ${sk} <= ${tk} THEN bytes_fwd ELSE bytes_rev END AS bab,
    CASE WHEN ${sk} <= ${tk} THEN packets_rev ELSE packets_fwd END AS pba,
    CASE WHEN ${sk} <= ${tk} THEN bytes_rev ELSE bytes_fwd END AS bba,
    first_ts, last_ts
  FROM flows WHERE ${w} AND ${notNull}`;
  const grouped = `SELECT a, b, min(ak) AS ak, sum(pab) AS packets_ab, sum(bab) AS bytes_ab, sum(pba) AS packets_ba,
    sum(bba) AS bytes_ba, count(*) AS flows, min(first_ts) AS first_ts, max(last_ts) AS last_ts
  FROM (${inner}) x GROUP BY a, b`;
  const countParams = [...p.list];
  const sort = q.sort ?? { column: 'bytes', desc: true };
  const expr = CONV_SORT[sort.column];
  if (!expr) throw new PcaplensError('E_USAGE', `cannot sort conversations by ${sort.column}`);
  const limit = p.add(limitOf(q.limit, 100));
  const offset = p.add(offsetOf(q.offset));
  return {
    page: {
      sql: `SELECT * FROM (${grouped}) c ORDER BY ${expr} ${sort.desc ? 'DESC' : 'ASC'}, ak, a, b LIMIT ${limit} OFFSET ${offset}`,
      params: p.list,
    },
    count: { sql: `SELECT count(*) AS n FROM (${grouped}) c`, params: countParams },
  };
}
