import { PcaplensError } from '../errors.js';
import type { CheckedFilter, CheckedNode, ColumnRef, CompareOp, Value } from './ast.js';
import { normalizeMac } from './ip-key.js';
import { isoToNs } from './time-bound.js';

/**
 * The in-memory form of a checked filter, for direct file runs where rows never reach a database. It must
 * select exactly the rows the SQL form selects (the tests hold both to that): every leaf is false on a
 * missing value, so `not` is plain negation as in the SQL, where each leaf is written null-safe.
 */
export type RowPredicate = (row: Record<string, unknown>) => boolean;

function cmp<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function scalarTest(
  kind: ColumnRef['kind'],
  op: CompareOp,
  value: Value,
  re: RegExp | null,
): (v: unknown) => boolean {
  const order = (c: number) =>
    op === '=='
      ? c === 0
      : op === '<'
        ? c < 0
        : op === '<='
          ? c <= 0
          : op === '>'
            ? c > 0
            : op === '>='
              ? c >= 0
              : false;
  switch (value.t) {
    case 'string': {
      const s = value.s;
      if (op === 'contains') return (v) => typeof v === 'string' && v.includes(s);
      return (v) => typeof v === 'string' && order(cmp(v, s));
    }
    case 'regex':
      return (v) => typeof v === 'string' && re!.test(v);
    case 'num': {
      const n = value.n;
      return (v) => {
        const x = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN;
        return !Number.isNaN(x) && order(cmp(x, n));
      };
    }
    case 'bool':
      return (v) => typeof v === 'boolean' && v === value.b;
    case 'mac':
      return (v) => typeof v === 'string' && normalizeMac(v) === value.s;
    case 'time': {
      const ns = value.ns;
      return (v) => {
        const x = typeof v === 'string' ? isoToNs(v) : typeof v === 'bigint' ? v : null;
        return x !== null && order(cmp(x, ns));
      };
    }
    case 'ip': {
      const { lo, hi } = value;
      return (v) => {
        if (typeof v !== 'string') return false;
        switch (op) {
          case '==':
            return v >= lo && v <= hi;
          case '<':
            return v < lo;
          case '<=':
            return v <= hi;
          case '>':
            return v > hi;
          case '>=':
            return v >= lo;
          default:
            return kind === 'ipkey' && false;
        }
      };
    }
  }
}

function build(n: CheckedNode): RowPredicate {
  switch (n.kind) {
    case 'and': {
      const l = build(n.left);
      const r = build(n.right);
      return (row) => l(row) && r(row);
    }
    case 'or': {
      const l = build(n.left);
      const r = build(n.right);
      return (row) => l(row) || r(row);
    }
    case 'not': {
      const e = build(n.expr);
      return (row) => !e(row);
    }
    case 'const':
      return () => n.value;
    case 'present': {
      const { get, kind } = n.col;
      return kind === 'bool' ? (row) => get(row) === true : (row) => get(row) != null;
    }
    case 'in': {
      const set = new Set(n.values);
      const get = n.col.get;
      return (row) => {
        const v = get(row);
        return typeof v === 'string' && set.has(v);
      };
    }
    case 'compare': {
      const re = n.value.t === 'regex' ? new RegExp(n.value.source, n.value.ignoreCase ? 'i' : '') : null;
      const tests = n.cols.map((c) => {
        const t = scalarTest(c.kind, n.op, n.value, re);
        const get = c.get;
        if (c.kind === 'text[]') {
          return (row: Record<string, unknown>) => {
            const v = get(row);
            return Array.isArray(v) && v.some((x) => x != null && t(x));
          };
        }
        return (row: Record<string, unknown>) => t(get(row));
      });
      return tests.length === 1 ? tests[0]! : (row) => tests.some((t) => t(row));
    }
    case 'related': {
      // rows of another table: only a store has them (the SQL form is a semi-join)
      const rows = n.table.length <= 4 ? n.table.toUpperCase() : n.table;
      throw new PcaplensError(
        'E_FILTER',
        `field ${n.field} filters sessions by their ${rows} rows: import the capture and use @id`,
      );
    }
  }
}

/** Compiles a checked filter to a function over row objects shaped like the table's rows (FlowRow, ...). */
export function filterPredicate(f: CheckedFilter): RowPredicate {
  return build(f.root);
}
