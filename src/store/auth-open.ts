/**
 * Where team mode keeps its users, tokens, sessions and capture ownership. The SQL stores hold them in their
 * own tables (migration 6). ClickHouse has no updates or deletes worth the name on the old servers we support,
 * and sessions and shares change all the time, so a ClickHouse deployment keeps them in a small DuckDB file
 * of its own under the server's data directory (DATA/team/), next to the uploads; the captures stay in
 * ClickHouse. Other stores have no place for them.
 */
import { join } from 'node:path';
import { authStoreOf, type AuthStore } from './auth-store.js';
import type { Store } from './store.js';

export interface OpenedAuth {
  auth: AuthStore;
  /** 'store': the capture store's own tables; 'side': DATA/team/ */
  where: 'store' | 'side';
  close(): Promise<void>;
}

/** The folder of the side auth database of a ClickHouse deployment. */
export const sideAuthDir = (dataDir: string): string => join(dataDir, 'team');

export async function openAuthFor(store: Store, dataDir: string): Promise<OpenedAuth | null> {
  const own = authStoreOf(store);
  if (own) return { auth: own, where: 'store', close: async () => {} };
  if (store.kind !== 'clickhouse') return null;
  const { DuckDbStore } = await import('./duckdb/duckdb-store.js');
  const side = await DuckDbStore.open(sideAuthDir(dataDir));
  try {
    await side.migrate();
  } catch (e) {
    await side.close();
    throw e;
  }
  return { auth: authStoreOf(side)!, where: 'side', close: () => side.close() };
}
