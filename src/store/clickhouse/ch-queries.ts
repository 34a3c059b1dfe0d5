import { PcaplensError } from '../../shared/errors.js';
import type { CheckedFilter } from '../../shared/filter/ast.js';
import { TABLES, rowColumns, type TableName } from '../../shared/filter/tables.js';
import { isoToNs } from '../../shared/filter/time-bound.js';
import { CLICKHOUSE_DIALECT, filterToSql } from '../../shared/filter/to-sql.js';
import { MAX_LIMIT, bucketNs } from '../queries.js';
import type {
  ConversationQuery,
  GraphQuery,
  HistogramQuery,
  PageQuery,
  Scope,
  TopTalkersQuery,
} from '../store.js';
import { bindParams, chLiteral } from './literal.js';
import { chColumns } from './schema.js';

/**
 * The typed queries in ClickHouse SQL (18.16 and later): the same answers as queries.ts gives DuckDB and
 * PostgreSQL, written for what old servers lack: no WITH subqueries, no positional GROUP BY, no TRUE/FALSE,
 * aliases global to the query (so no alias may reuse a column name it aggregates). Aggregations run on
 * the Distributed tables, so each shard aggregates its part and the first node merges.
 * Values are literals escaped by literal.ts; names come only from tables.ts and fixed lists.
 */
const D = CLICKHOUSE_DIALECT;

function checkTable(f: CheckedFilter | undefined, table: TableName): void {
  if (f && f.table !== table)
    throw new PcaplensError('E_FILTER', `filter was checked for table ${f.table}, used on ${table}`);
}

function timeNs(s: string, what: string): bigint {
  const ns = isoToNs(s);
  if (ns === null) throw new PcaplensError('E_USAGE', `bad ${what} time ${JSON.stringify(s)}`);
  return ns;
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

const int64 = (v: bigint) => `toInt64(${v.toString()})`;

/** WHERE condition for a scope on a table (capture, window, filter). */
export function whereSql(table: TableName, q: Scope): string {
  checkTable(q.filter, table);
  const parts = [`capture_id = ${chLiteral(q.captureId)}`];
  const span = TABLES[table].timeSpan;
  if (span && q.from !== undefined) parts.push(`${span[1]} >= ${int64(timeNs(q.from, 'from'))}`);
  if (span && q.to !== undefined) parts.push(`${span[0]} <= ${int64(timeNs(q.to, 'to'))}`);
  if (q.filter) {
    const params: unknown[] = [];
    parts.push(bindParams(filterToSql(q.filter, D, params, undefined, q.captureId), params));
  }
  return parts.join(' AND ');
}

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

/** Columns read back for a table's rows (arrays with their presence flag). */
export function selectColumns(table: TableName): string[] {
  const out = table === 'packets' ? ['capture_id'] : [];
  for (const c of rowColumns(table)) out.push(...chColumns(c).map(([n]) => n));
  return out;
}

export function pageSql(table: TableName, q: PageQuery): string {
  const w = whereSql(table, q);
  const order: string[] = [];
  for (const s of q.sort ?? [])
    for (const c of sortColumns(table, s.column)) order.push(`${c} ${s.desc ? 'DESC' : 'ASC'} NULLS LAST`);
  for (const k of TABLES[table].key) {
    if (k === 'seq') order.push('seq ASC');
    else for (const c of sortColumns(table, k)) order.push(`${c} ASC NULLS LAST`);
  }
  const limit = limitOf(q.limit, 100);
  const offset = offsetOf(q.offset);
  return `SELECT ${selectColumns(table).join(', ')} FROM ${table} WHERE ${w} ORDER BY ${order.join(', ')} LIMIT ${offset}, ${limit}`;
}

export function countSql(table: TableName, q: Scope): string {
  return `SELECT count() AS n_ FROM ${table} WHERE ${whereSql(table, q)}`;
}

export function topTalkersSql(q: TopTalkersQuery): string {
  const w = whereSql('flows', q);
  const dir = q.direction ?? 'both';
  const metric =
    q.by === 'peers'
      ? 'peers_'
      : dir === 'sent'
        ? `${q.by}_sent_`
        : dir === 'recv'
          ? `${q.by}_recv_`
          : `${q.by}_sent_ + ${q.by}_recv_`;
  const n = limitOf(q.n, 10);
  // each flow counts once for each end: ARRAY JOIN doubles the rows shard-side, so the aggregation is
  // distributed (a conversation and thus a host's peer on it live on one shard)
  const s = (a: string, b: string) => `if(side_ = 0, ${a}, ${b})`;
  return `SELECT ${s('src_ip', 'dst_ip')} AS ip_, min(${s('src_ip_key', 'dst_ip_key')}) AS k_,
  sum(${s('packets_fwd', 'packets_rev')}) AS packets_sent_, sum(${s('bytes_fwd', 'bytes_rev')}) AS bytes_sent_,
  sum(${s('packets_rev', 'packets_fwd')}) AS packets_recv_, sum(${s('bytes_rev', 'bytes_fwd')}) AS bytes_recv_,
  uniqExact(${s('dst_ip', 'src_ip')}) AS peers_, count() AS flows_
FROM flows ARRAY JOIN [0, 1] AS side_ WHERE ${w}
GROUP BY ip_ ORDER BY ${metric} DESC, k_ ASC NULLS LAST, ip_ ASC LIMIT ${n}`;
}

export function histogramSql(q: HistogramQuery, flowsLocal: string, db: string): string {
  checkTable(q.filter, 'flows');
  const w = bucketNs(q.bucketSec);
  const parts = [`capture_id = ${chLiteral(q.captureId)}`, 'ts IS NOT NULL'];
  if (q.from !== undefined) parts.push(`ts >= ${int64(timeNs(q.from, 'from'))}`);
  if (q.to !== undefined) parts.push(`ts <= ${int64(timeNs(q.to, 'to'))}`);
  let join = '';
  if (q.filter !== undefined || q.groupBy !== undefined) {
    // a packet's flow lives on the packet's shard: the join reads the shard's own flows (no GLOBAL)
    // the flow's own id stays under its name too: flow.id and application-field filters test it
    const flowCols = TABLES.flows.columns.flatMap((c) => chColumns(c).map(([n]) => n));
    join = ` ANY LEFT JOIN (SELECT id AS flow_id, ${flowCols.join(', ')} FROM ${db}.${flowsLocal} WHERE capture_id = ${chLiteral(q.captureId)}) USING flow_id`;
    if (q.filter) {
      const params: unknown[] = [];
      parts.push(bindParams(filterToSql(q.filter, D, params, undefined, q.captureId), params));
    }
  }
  const group =
    q.groupBy === 'proto' ? 'proto' : q.groupBy === 'app' ? 'app' : 'CAST(NULL AS Nullable(String))';
  return `SELECT intDiv(ts, ${int64(w)}) AS b_, ${group} AS g_, count() AS packets_, sum(len) AS bytes_
FROM packets${join} WHERE ${parts.join(' AND ')} GROUP BY b_, g_ ORDER BY b_, g_ NULLS FIRST`;
}

export function graphSql(q: GraphQuery): string {
  const w = whereSql('flows', q);
  const [src, dst, notNull] =
    q.layer === 2
      ? ['src_mac', 'dst_mac', 'src_mac IS NOT NULL AND dst_mac IS NOT NULL']
      : ['src_ip', 'dst_ip', '1'];
  const extra = q.layer === 4 ? 'proto AS proto_, dst_port AS port_' : 'NULL AS proto_, NULL AS port_';
  const groupExtra = q.layer === 4 ? ', proto_, port_' : '';
  const limit = limitOf(q.limit, 1000);
  return `SELECT ${src} AS src_, ${dst} AS dst_, ${extra}, count() AS flows_, sum(packets) AS packets_,
  sum(bytes) AS bytes_, min(first_ts) AS first_, max(last_ts) AS last_
FROM flows WHERE ${w} AND ${notNull} GROUP BY src_, dst_${groupExtra}
ORDER BY bytes_ DESC, src_, dst_${q.layer === 4 ? ', proto_, port_ NULLS FIRST' : ''} LIMIT ${limit}`;
}

const CONV_SORT: Record<string, string> = {
  bytes: 'bytes_ab_ + bytes_ba_',
  packets: 'packets_ab_ + packets_ba_',
  flows: 'flows_',
  first_ts: 'first_',
  duration: 'last_ - first_',
};

export function conversationsSql(q: ConversationQuery): { page: string; count: string } {
  const w = whereSql('flows', q);
  const [s, t, sk, tk, notNull] =
    q.layer === 2
      ? ['src_mac', 'dst_mac', 'src_mac', 'dst_mac', 'src_mac IS NOT NULL AND dst_mac IS NOT NULL']
      : ['src_ip', 'dst_ip', 'ifNull(src_ip_key, src_ip)', 'ifNull(dst_ip_key, dst_ip)', '1'];
  const c = `(${sk} <= ${tk})`;
  const grouped = `SELECT if(${c}, ${s}, ${t}) AS a_, if(${c}, ${t}, ${s}) AS b_, min(if(${c}, ${sk}, ${tk})) AS ak_,
    sum(if(${c}, packets_fwd, packets_rev)) AS packets_ab_, sum(if(${c}, bytes_fwd, bytes_rev)) AS bytes_ab_,
    sum(if(${c}, packets_rev, packets_fwd)) AS packets_ba_, sum(if(${c}, bytes_rev, bytes_fwd)) AS bytes_ba_,
    count() AS flows_, min(first_ts) AS first_, max(last_ts) AS last_
  FROM flows WHERE ${w} AND ${notNull} GROUP BY a_, b_`;
  const sort = q.sort ?? { column: 'bytes', desc: true };
  const expr = CONV_SORT[sort.column];
  if (!expr) throw new PcaplensError('E_USAGE', `cannot sort conversations by ${sort.column}`);
  const limit = limitOf(q.limit, 100);
  const offset = offsetOf(q.offset);
  return {
    page: `${grouped} ORDER BY ${expr} ${sort.desc ? 'DESC' : 'ASC'}, ak_, a_, b_ LIMIT ${offset}, ${limit}`,
    count: `SELECT count() AS n_ FROM (${grouped})`,
  };
}
