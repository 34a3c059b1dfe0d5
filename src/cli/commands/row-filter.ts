/** --filter for a table command: compiled once, before any capture is read, so a typo fails fast. */
import { compileFilter, filterPredicate, type TableName } from '../../shared/filter/index.js';

export type RowTest = (row: object) => boolean;

export function rowFilter(expr: string | null, table: TableName): RowTest | null {
  if (expr === null) return null;
  const pred = filterPredicate(compileFilter(expr, table));
  return (row) => pred(row as Record<string, unknown>);
}
