import type { CheckedFilter, CheckedNode, ColumnRef, Value } from './ast.js';

/**
 * Compiles a checked filter to a SQL boolean expression. Every value goes out as a bound parameter; the
 * only text pasted into the SQL is column names from tables.ts and operators from a fixed list. Each leaf
 * is null-safe (`col IS NOT NULL AND ...`) so the result is two-valued and `not` means what it says.
 */
export interface SqlDialect {
  name: 'duckdb' | 'postgres';
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

const SQL_OP: Record<string, string> = { '==': '=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };
const INT32 = 2 ** 31 - 1;

class SqlBuilder {
  constructor(
    private readonly d: SqlDialect,
    private readonly params: unknown[],
    private readonly alias: string,
  ) {}

  private p(v: unknown): string {
    // stores keep U+FFFD for U+0000 (PostgreSQL text cannot hold it); literals follow so they still match
    this.params.push(typeof v === 'string' && v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v);
    return this.d.param(this.params.length);
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
        return op === 'contains' ? `strpos(${e}, ${this.p(v.s)}) > 0` : `${e} ${SQL_OP[op]} ${this.p(v.s)}`;
      case 'regex':
        return this.d.regex(e, this.p(v.source), v.ignoreCase);
      case 'num':
        return `${e} ${SQL_OP[op]} ${this.numParam(v.n)}`;
      case 'bool':
        return `${e} = ${v.b ? 'TRUE' : 'FALSE'}`;
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
        return n.value ? 'TRUE' : 'FALSE';
      case 'present': {
        const c = this.col(n.col);
        return n.col.kind === 'bool' ? `(${c} IS NOT NULL AND ${c})` : `(${c} IS NOT NULL)`;
      }
      case 'in': {
        const c = this.col(n.col);
        return `(${c} IS NOT NULL AND ${c} IN (${n.values.map((v) => this.p(v)).join(', ')}))`;
      }
      case 'compare': {
        const parts = n.cols.map((c) => {
          const e = this.col(c);
          if (c.kind === 'text[]')
            return `(${e} IS NOT NULL AND ${this.d.anyElement(e, (x) => this.scalar(x, n.op, n.value))})`;
          return `(${e} IS NOT NULL AND ${this.scalar(e, n.op, n.value)})`;
        });
        return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
      }
    }
  }
}

/**
 * SQL for a checked filter. Parameters are appended to `params` and numbered after what it already holds,
 * so the caller can bind its own values first. `alias` prefixes columns (`f` gives `f.src_ip_key`).
 */
export function filterToSql(
  f: CheckedFilter,
  dialect: SqlDialect,
  params: unknown[],
  alias?: string,
): string {
  if (alias !== undefined && !/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`bad SQL alias ${alias}`);
  return new SqlBuilder(dialect, params, alias ? `${alias}.` : '').node(f.root);
}
