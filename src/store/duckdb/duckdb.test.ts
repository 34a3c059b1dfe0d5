import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from '../conformance.js';
import { DuckDbStore } from './duckdb-store.js';

storeConformance('duckdb', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-duckdb-'));
  const store = await DuckDbStore.open(dir);
  return {
    store,
    dispose: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
