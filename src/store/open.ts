import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { DuckDbStore } from './duckdb/duckdb-store.js';
import { PostgresStore } from './postgres/postgres-store.js';
import type { Store } from './store.js';

/** Default data directory (`--data DIR`): the DuckDB file and the stored capture files live there. */
export const DEFAULT_DATA_DIR = './pcaplens-data';

/**
 * Opens the store a user asked for and brings its schema up to date: `postgres://...` (or `postgresql://`,
 * optional `?schema=NAME`) is PostgreSQL, anything else (normally undefined) is DuckDB in dataDir.
 */
export async function openStore(
  spec: string | undefined,
  dataDir: string = DEFAULT_DATA_DIR,
): Promise<Store> {
  const store =
    spec && /^postgres(ql)?:\/\//i.test(spec)
      ? await PostgresStore.open(spec)
      : spec && /^clickhouse:\/\//i.test(spec)
        ? await ClickHouseStore.open(spec)
        : await DuckDbStore.open(dataDir);
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
