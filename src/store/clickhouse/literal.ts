import { PcaplensError } from '../../shared/errors.js';
import { noNul } from '../codec.js';

/**
 * SQL literals for ClickHouse. Old servers (18.16) have no query parameters, so values are written into the
 * query text: strings quoted with every backslash and quote escaped (the only two characters with meaning
 * inside a ClickHouse string literal), numbers only when finite, nothing else accepted.
 */
export function chString(s: string): string {
  return `'${noNul(s).replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export function chLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return chString(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new PcaplensError('E_USAGE', `not a finite number: ${v}`);
    // integers as integers; fractions with an exponent or a dot so they parse as Float64
    return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : String(v);
  }
  if (Array.isArray(v)) return `[${v.map(chLiteral).join(', ')}]`;
  throw new PcaplensError('E_USAGE', `cannot write ${typeof v} as a ClickHouse literal`);
}

/**
 * Replaces `$1`, `$2`, ... by the literals of params (one pass, so a literal that contains `$3` is never
 * rescanned). The query text around the placeholders is ours, never user input.
 */
export function bindParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, i: string) => {
    const k = Number(i) - 1;
    if (k < 0 || k >= params.length) throw new Error(`no parameter $${i}`);
    return chLiteral(params[k]);
  });
}
