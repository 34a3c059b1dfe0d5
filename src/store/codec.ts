import type { ColumnDef, StorageType } from '../shared/filter/tables.js';
import { isoToNs, nsToIso } from '../shared/filter/time-bound.js';
import type { Conversation } from './store.js';

/**
 * Row objects to column values and back, driven by the column definitions (shared/filter/tables.ts).
 * Encoded values are dialect-neutral (numbers, bigint nanoseconds, strings, arrays); each adapter maps them
 * to what its driver wants.
 */

const I64_MAX = 2n ** 63n - 1n;
const I64_MIN = -(2n ** 63n);

export type Encoded = string | number | bigint | boolean | null | string[] | number[];

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/**
 * PostgreSQL text cannot hold U+0000 and capture strings may contain it: every store keeps U+FFFD in its
 * place, so both stores hold the same text (and filter literals get the same treatment in to-sql.ts).
 */
export function noNul(s: string): string {
  return s.includes('\0') ? s.replaceAll('\0', '\uFFFD') : s;
}

/** One value of a row for storage. */
export function encodeValue(type: StorageType, v: unknown): Encoded {
  if (v === undefined || v === null) return null;
  switch (type) {
    case 'text':
      return noNul(typeof v === 'string' ? v : String(v));
    case 'int':
    case 'bigint': {
      const n = num(v);
      return n === null ? null : Math.trunc(n);
    }
    case 'float':
      return num(v);
    case 'bool':
      return typeof v === 'boolean' ? v : Boolean(v);
    case 'time': {
      // capture times are attacker-controlled: a time past what int64 nanoseconds hold is stored as unknown
      const ns = typeof v === 'string' ? isoToNs(v) : typeof v === 'bigint' ? v : null;
      return ns === null || ns > I64_MAX || ns < I64_MIN ? null : ns;
    }
    case 'text[]':
      return Array.isArray(v) ? v.map((x) => noNul(typeof x === 'string' ? x : String(x))) : null;
    case 'int[]':
      return Array.isArray(v) ? v.map((x) => Math.trunc(num(x) ?? 0)) : null;
    case 'json':
      return JSON.stringify(v);
  }
}

/** The stored value of column c for a row (derived columns computed here). */
export function encodeColumn(c: ColumnDef, row: Record<string, unknown>): Encoded {
  return encodeValue(c.type, c.derive ? c.derive(row) : row[c.name]);
}

/** A value read back from either driver to its row form. */
export function decodeValue(type: StorageType, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  switch (type) {
    case 'int':
    case 'bigint':
    case 'float':
      return typeof v === 'number' ? v : Number(v);
    case 'time':
      return nsToIso(typeof v === 'bigint' ? v : BigInt(String(v)));
    case 'json':
      return typeof v === 'string' ? JSON.parse(v) : v;
    case 'text[]':
      return Array.isArray(v) ? v.map((x) => (x === null ? null : String(x))) : v;
    case 'int[]':
      return Array.isArray(v) ? v.map((x) => Number(x)) : v;
    default:
      return v;
  }
}

/** Decodes the named columns of a database row. */
export function decodeRow<R>(cols: readonly ColumnDef[], raw: Record<string, unknown>): R {
  const out: Record<string, unknown> = {};
  for (const c of cols) out[c.name] = decodeValue(c.type, raw[c.name]);
  return out as R;
}

/**
 * One conversations() answer row from a result row. `suffix` is appended to every column name (the ClickHouse
 * queries alias columns with a trailing underscore so they never shadow a table column).
 */
export function conversationFromRow(r: Record<string, unknown>, suffix = ''): Conversation {
  const num = (k: string) => {
    const v = r[k + suffix];
    return v === null || v === undefined ? 0 : Number(v);
  };
  const ns = (k: string) => {
    const v = r[k + suffix];
    return v === null || v === undefined ? null : BigInt(String(v));
  };
  const first = ns(suffix ? 'first' : 'first_ts');
  const last = ns(suffix ? 'last' : 'last_ts');
  return {
    a: String(r['a' + suffix]),
    b: String(r['b' + suffix]),
    packets_ab: num('packets_ab'),
    bytes_ab: num('bytes_ab'),
    packets_ba: num('packets_ba'),
    bytes_ba: num('bytes_ba'),
    flows: num('flows'),
    first_ts: first === null ? '' : nsToIso(first),
    last_ts: last === null ? '' : nsToIso(last),
    duration: first === null || last === null ? 0 : Number(last - first) / 1e9,
  };
}
