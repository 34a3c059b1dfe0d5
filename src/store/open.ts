import type { Store } from './store.js';

/** Default data directory (`--data DIR`): the DuckDB file and the stored capture files live there. */
export const DEFAULT_DATA_DIR = './pcaplens-data';

/**
 * Opens the store a user asked for and brings its schema up to date: `postgres://...` (or `postgresql://`,
 * optional `?schema=NAME`) is PostgreSQL, anything else (normally undefined) is DuckDB in dataDir.
 * Each adapter is imported when it is opened: loading all three (DuckDB's native module, pg, the ClickHouse
 * client) cost every CLI run that merely could open a store ~0.3 s of CPU.
 */
export async function openStore(
  spec: string | undefined,
  dataDir: string = DEFAULT_DATA_DIR,
): Promise<Store> {
  const store =
    spec && /^postgres(ql)?:\/\//i.test(spec)
      ? await (await import('./postgres/postgres-store.js')).PostgresStore.open(spec)
      : spec && /^clickhouse:\/\//i.test(spec)
        ? await (await import('./clickhouse/clickhouse-store.js')).ClickHouseStore.open(spec)
        : await (await import('./duckdb/duckdb-store.js')).DuckDbStore.open(dataDir);
  try {
    await store.migrate();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
