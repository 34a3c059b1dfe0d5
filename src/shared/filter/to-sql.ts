import { PcaplensError } from '../errors.js';
import type { CheckedFilter, CheckedNode, ColumnRef, Value } from './ast.js';

/**
 * Compiles a checked filter to a SQL boolean expression. Every value goes out as a bound parameter; the
 * only text pasted into the SQL is column names from tables.ts and operators from a fixed list. Each leaf
 * is null-safe (`col IS NOT NULL AND ...`) so the result is two-valued and `not` means what it says.
 */
export interface SqlDialect {
  name: 'duckdb' | 'postgres' | 'clickhouse';
  /** placeholder for the 1-based parameter i */
  param(i: number): string;
  /** regular-expression search (anywhere in the value) */
  regex(expr: string, param: string, ignoreCase: boolean): string;
  /** true when any element x of the array column satisfies test(x) */
  anyElement(col: string, test: (x: string) => string): string;
  /** a bigint parameter as the driver wants it */
  bigint(v: bigint): unknown;
  /** SQL type name for a double */
  double: string;
  /** substring test (default `strpos(e, p) > 0`) */
  contains?(expr: string, param: string): string;
  /** boolean literal (default TRUE / FALSE) */
  bool?(b: boolean): string;
  /** presence of an array column (default `col IS NOT NULL`; ClickHouse arrays cannot be NULL) */
  arrayPresent?(col: string): string;
  /**
   * a test on a value known not to be NULL, made two-valued (default as is; ClickHouse 18.16 gives
   * `0 AND NULL` = NULL, so its tests are wrapped in ifNull(..., 0))
   */
  twoValued?(test: string): string;
  /**
   * membership in a subquery's rows (default `IN`; ClickHouse's tables are Distributed, so `GLOBAL IN`:
   * the subquery runs once on the node that was asked and its set is sent to the shards)
   */
  inSubquery?: string;
}

export const DUCKDB_DIALECT: SqlDialect = {
  name: 'duckdb',
  param: (i) => `$${i}`,
  regex: (e, p, ci) => (ci ? `regexp_matches(${e}, ${p}, 'i')` : `regexp_matches(${e}, ${p})`),
  anyElement: (col, test) => `len(list_filter(${col}, lambda x__: x__ IS NOT NULL AND ${test('x__')})) > 0`,
  bigint: (v) => v,
  double: 'DOUBLE',
};

export const POSTGRES_DIALECT: SqlDialect = {
  name: 'postgres',
  param: (i) => `$${i}`,
  regex: (e, p, ci) => `${e} ${ci ? '~*' : '~'} ${p}`,
  anyElement: (col, test) =>
    `EXISTS (SELECT 1 FROM unnest(${col}) AS u__(x__) WHERE x__ IS NOT NULL AND ${test('x__')})`,
  bigint: (v) => v.toString(),
  double: 'DOUBLE PRECISION',
};

/**
 * ClickHouse (18.16 and later) has no server-side parameters: `$i` placeholders are replaced by escaped
 * literals just before the query is sent (store/clickhouse/literal.ts). Arrays cannot be NULL there, so
 * each array column has a companion `<col>__n` (1 when the value is present).
 */
export const CLICKHOUSE_DIALECT: SqlDialect = {
  name: 'clickhouse',
  param: (i) => `$${i}`,
  // (?i:...) rather than a (?i) prefix: 18.16 pre-filters a (?i)-prefixed pattern by its literal part, case-sensitively
  regex: (e, p, ci) => (ci ? `match(${e}, concat('(?i:', ${p}, ')'))` : `match(${e}, ${p})`),
  anyElement: (col, test) => `arrayExists(x__ -> ${test('x__')}, ${col})`,
  bigint: (v) => v,
  double: 'Float64',
  contains: (e, p) => `position(${e}, ${p}) > 0`,
  bool: (b) => (b ? '1' : '0'),
  arrayPresent: (col) => `(${col}__n = 1)`,
  twoValued: (test) => `ifNull(${test}, 0)`,
  inSubquery: 'GLOBAL IN',
};

const SQL_OP: Record<string, string> = { '==': '=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const INT32 = 2 ** 31 - 1;

class SqlBuilder {
  constructor(
    private readonly d: SqlDialect,
    private readonly params: unknown[],
    private readonly alias: string,
    /** the capture the filtered rows belong to: a `related` test reads the other table's rows of it */
    private readonly captureId: unknown,
    private readonly depth = 0,
  ) {}

  /** `SELECT flow_id FROM <table> WHERE capture_id = $c AND <test>`: the flows with a matching row */
  private flowIdsOf(n: Extract<CheckedNode, { kind: 'related' }>): string {
    if (this.captureId === undefined) {
      throw new PcaplensError(
        'E_FILTER',
        `field ${n.field} filters by the ${n.table} rows of the same capture, which this query does not name`,
      );
    }
    const a = `r${this.depth}__`;
    const capture = this.p(this.captureId);
    const inner = new SqlBuilder(this.d, this.params, `${a}.`, this.captureId, this.depth + 1).node(n.expr);
    return `SELECT ${a}.flow_id FROM ${n.table} ${a} WHERE ${a}.capture_id = ${capture} AND ${a}.flow_id IS NOT NULL AND ${inner}`;
  }

  private related(n: Extract<CheckedNode, { kind: 'related' }>): string {
    const inOp = this.d.inSubquery ?? 'IN';
    const o = this.col(n.outer);
    if (!n.endpoints) return `(${o} IS NOT NULL AND ${this.tv(`${o} ${inOp} (${this.flowIdsOf(n)})`)})`;
    // hosts: the address is an end of a flow that has a matching row
    const e = `e${this.depth}__`;
    const end = (side: string) =>
      `${o} ${inOp} (SELECT ${e}.${side} FROM flows ${e} WHERE ${e}.capture_id = ${this.p(this.captureId)} AND ${e}.id ${inOp} (${this.flowIdsOf(n)}))`;
    return `(${o} IS NOT NULL AND ${this.tv(`(${end('src_ip')} OR ${end('dst_ip')})`)})`;
  }

  private p(v: unknown): string {
    // stores keep U+FFFD for U+0000 (PostgreSQL text cannot hold it); literals follow so they still match
    this.params.push(typeof v === 'string' && v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v);
    return this.d.param(this.params.length);
  }

  private tv(test: string): string {
    return this.d.twoValued ? this.d.twoValued(test) : test;
  }

  private lit(b: boolean): string {
    return this.d.bool ? this.d.bool(b) : b ? 'TRUE' : 'FALSE';
  }

  private col(c: ColumnRef): string {
    return `${this.alias}${c.column}`;
  }

  private numParam(n: number): string {
    if (Number.isInteger(n) && Math.abs(n) <= INT32) return this.p(n);
    return `CAST(${this.p(n)} AS ${this.d.double})`;
  }

  /** test on one scalar SQL expression e (a column or an array element) */
  private scalar(e: string, op: string, v: Value): string {
    switch (v.t) {
      case 'string':
        if (op !== 'contains') return `${e} ${SQL_OP[op]} ${this.p(v.s)}`;
        return this.d.contains ? this.d.contains(e, this.p(v.s)) : `strpos(${e}, ${this.p(v.s)}) > 0`;
      case 'regex':
        return this.d.regex(e, this.p(v.source), v.ignoreCase);
      case 'num':
        return `${e} ${SQL_OP[op]} ${this.numParam(v.n)}`;
      case 'bool':
        return `${e} = ${this.lit(v.b)}`;
      case 'mac':
        return `lower(${e}) = ${this.p(v.s)}`;
      case 'time':
        return `${e} ${SQL_OP[op]} CAST(${this.p(this.d.bigint(v.ns))} AS BIGINT)`;
      case 'ip':
        switch (op) {
          case '==':
            return v.lo === v.hi
              ? `${e} = ${this.p(v.lo)}`
              : `${e} BETWEEN ${this.p(v.lo)} AND ${this.p(v.hi)}`;
          case '<':
            return `${e} < ${this.p(v.lo)}`;
          case '<=':
            return `${e} <= ${this.p(v.hi)}`;
          case '>':
            return `${e} > ${this.p(v.hi)}`;
          default:
            return `${e} >= ${this.p(v.lo)}`;
        }
    }
  }

  node(n: CheckedNode): string {
    switch (n.kind) {
      case 'and':
        return `(${this.node(n.left)} AND ${this.node(n.right)})`;
      case 'or':
        return `(${this.node(n.left)} OR ${this.node(n.right)})`;
      case 'not':
        return `(NOT ${this.node(n.expr)})`;
      case 'const':
        return this.lit(n.value);
      case 'present': {
        const c = this.col(n.col);
        if (n.col.kind === 'text[]' && this.d.arrayPresent) return this.d.arrayPresent(c);
        return n.col.kind === 'bool' ? `(${c} IS NOT NULL AND ${this.tv(c)})` : `(${c} IS NOT NULL)`;
      }
      case 'in': {
        const c = this.col(n.col);
        return `(${c} IS NOT NULL AND ${this.tv(`${c} IN (${n.values.map((v) => this.p(v)).join(', ')})`)})`;
      }
      case 'compare': {
        const parts = n.cols.map((c) => {
          const e = this.col(c);
          if (c.kind === 'text[]')
            return `(${e} IS NOT NULL AND ${this.tv(this.d.anyElement(e, (x) => this.scalar(x, n.op, n.value)))})`;
          return `(${e} IS NOT NULL AND ${this.tv(this.scalar(e, n.op, n.value))})`;
        });
        return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
      }
      case 'related':
        return this.related(n);
    }
  }
}

/**
 * SQL for a checked filter. Parameters are appended to `params` and numbered after what it already holds,
 * so the caller can bind its own values first. `alias` prefixes columns (`f` gives `f.src_ip_key`).
 * `captureId` is the capture of the filtered rows: a test on another table's rows (dns.query_name on
 * flows) becomes a semi-join on that table's rows of the same capture, bound as a parameter too; without
 * it such a filter is an E_FILTER error.
 */
export function filterToSql(
  f: CheckedFilter,
  dialect: SqlDialect,
  params: unknown[],
  alias?: string,
  captureId?: unknown,
): string {
  if (alias !== undefined && !/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`bad SQL alias ${alias}`);
  return new SqlBuilder(dialect, params, alias ? `${alias}.` : '', captureId).node(f.root);
}
