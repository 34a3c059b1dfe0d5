import { PcaplensError } from '../shared/errors.js';
import { compileFilter, parseTimeBound, tableFields, type TableName } from '../shared/filter/index.js';
import type { CaptureRow } from '../shared/store-rows.js';
import type { Scope, SortKey, Store } from '../store/store.js';

/**
 * Query-string parameters shared by the table and aggregation routes, turned into the store's Scope:
 * the filter is compiled against the table the query reads (E_FILTER on any error), `from`/`to` accept
 * ISO-8601 or `+5m` after the capture start.
 */
export interface ScopeParams {
  filter?: string;
  from?: string;
  to?: string;
}

export const SCOPE_QUERY_SCHEMA = {
  filter: { type: 'string', maxLength: 4096, description: 'filter expression (the filter language)' },
  from: { type: 'string', maxLength: 64, description: 'ISO-8601 time, or +DURATION after the capture start' },
  to: { type: 'string', maxLength: 64, description: 'ISO-8601 time, or +DURATION after the capture start' },
} as const;

export const PAGE_QUERY_SCHEMA = {
  ...SCOPE_QUERY_SCHEMA,
  limit: { type: 'integer', minimum: 0, maximum: 10000, default: 100 },
  offset: { type: 'integer', minimum: 0, default: 0 },
  sort: {
    type: 'string',
    maxLength: 256,
    description: 'comma-separated columns, "-" before a column sorts descending',
  },
} as const;

export function captureIdOf(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new PcaplensError('E_NOT_FOUND', `no capture ${JSON.stringify(text)}`);
  return Number(text);
}

export async function captureOf(store: Store, idText: string): Promise<CaptureRow> {
  const c = await store.getCapture(captureIdOf(idText));
  if (!c) throw new PcaplensError('E_NOT_FOUND', `no capture ${idText}`);
  return c;
}

export function scopeOf(capture: CaptureRow, table: TableName, q: ScopeParams): Scope {
  const scope: Scope = { captureId: capture.id };
  const text = q.filter?.trim();
  if (text) scope.filter = compileFilter(text, table, tableFields(table));
  if (q.from?.trim()) scope.from = parseTimeBound(q.from, capture.first_ts);
  if (q.to?.trim()) scope.to = parseTimeBound(q.to, capture.first_ts);
  return scope;
}

/** "-bytes,first_ts" -> [{ column: 'bytes', desc: true }, { column: 'first_ts' }] */
export function sortOf(text: string | undefined): SortKey[] | undefined {
  if (!text?.trim()) return undefined;
  const keys = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (keys.length > 4) throw new PcaplensError('E_USAGE', 'sort by at most 4 columns');
  return keys.map((k) =>
    k.startsWith('-') ? { column: k.slice(1), desc: true } : { column: k.replace(/^\+/, '') },
  );
}
