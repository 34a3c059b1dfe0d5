import { TABLES, rowColumns, type ColumnDef, type TableName } from '../../shared/filter/tables.js';
import { decodeRow } from '../codec.js';

/**
 * Rows as ClickHouse's JSONEachRow gives them back to the row shapes of the other stores: booleans are
 * UInt8, arrays carry their NULL as the `__n` flag, 64-bit integers arrive as strings (codec.ts parses them).
 */
function raw(cols: readonly ColumnDef[], r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  for (const c of cols) {
    const v = r[c.name];
    if (c.type === 'bool') out[c.name] = v === null || v === undefined ? null : Number(v) !== 0;
    else if (c.type === 'text[]' || c.type === 'int[]')
      out[c.name] = Number(r[`${c.name}__n`] ?? 1) === 1 ? v : null;
  }
  return out;
}

const PACKET_COLS: ColumnDef[] = [{ name: 'capture_id', type: 'bigint', doc: '' }, ...rowColumns('packets')];

export function decodeTableRow<R>(table: TableName, r: Record<string, unknown>): R {
  const cols = table === 'packets' ? PACKET_COLS : rowColumns(table);
  return decodeRow<R>(cols, raw(cols, r));
}

/** Every stored column (derived ones too), for rows moved between tables through JavaScript. */
export function decodeAllColumns(table: TableName, r: Record<string, unknown>): Record<string, unknown> {
  const cols = TABLES[table].columns;
  return decodeRow<Record<string, unknown>>(cols, raw(cols, r));
}
