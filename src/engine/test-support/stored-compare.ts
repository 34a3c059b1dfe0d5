/**
 * Tests of the threaded imports (parallel-ingest.test.ts, ingest-decode.test.ts): the captures they import
 * both ways, and the check that two stored captures hold the same rows.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { TABLE_NAMES, type TableName } from '../../shared/filter/tables.js';
import type { CaptureRow } from '../../shared/store-rows.js';
import type { DuckDbStore } from '../../store/duckdb/duckdb-store.js';

export const FIXTURES = new URL('../../../test/fixtures/', import.meta.url).pathname;
export const CORPUS = (process.env.PCAPLENS_SHARED ?? '/work/shared') + '/corpus/';

/** The inputs named (fixture or corpus paths) that are present. */
export function presentCases(cases: string[][]): string[][] {
  return cases.filter((c) => c.every((p) => existsSync(p)));
}

/** Every row of table t of capture id in stored order, without the capture id. */
export async function storedRows(store: DuckDbStore, t: TableName, id: number): Promise<unknown[]> {
  const rows = (await store.page(t, { captureId: id, limit: 100000 })).rows as unknown as Record<
    string,
    unknown
  >[];
  return rows.map(({ capture_id: _c, ...r }) => r);
}

/**
 * Asserts that capture `two` holds what `one` holds: the capture's totals, every table row for row, and the
 * summary; adds each table's row count to `seen`.
 */
export async function assertSameStored(
  store: DuckDbStore,
  one: CaptureRow,
  two: CaptureRow,
  name: string,
  seen: Partial<Record<TableName, number>>,
): Promise<void> {
  assert.notEqual(one.id, two.id);
  for (const k of ['packets', 'bytes', 'first_ts', 'last_ts', 'status', 'errors', 'link_types'] as const)
    assert.deepEqual(two[k], one[k], `${name}: capture ${k}`);
  for (const t of TABLE_NAMES) {
    const want = await storedRows(store, t, one.id);
    assert.deepEqual(await storedRows(store, t, two.id), want, `${name}: ${t}`);
    seen[t] = (seen[t] ?? 0) + want.length;
  }
  assert.deepEqual(
    await store.captureSummary(two.id),
    await store.captureSummary(one.id),
    `${name}: summary`,
  );
}
