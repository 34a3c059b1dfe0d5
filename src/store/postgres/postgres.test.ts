import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { storeConformance } from '../conformance.js';
import { PostgresStore } from './postgres-store.js';

/**
 * The conformance suite on PostgreSQL, in a fresh schema per run (dropped afterwards) so parallel runs never
 * meet. Skipped when no server answers at PCAPLENS_TEST_PG, except under CI=true where that is a failure.
 */
const url = process.env.PCAPLENS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<string | false> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return false;
  } catch (e) {
    return `PostgreSQL not reachable at ${url}: ${(e as Error).message}`;
  } finally {
    await c.end().catch(() => {});
  }
}

const why = await reachable();
if (why && process.env.CI === 'true')
  throw new Error(`${why} (CI=true: the PostgreSQL store must be tested)`);

storeConformance(
  'postgres',
  async () => {
    const schema = `pcaplens_test_${randomBytes(6).toString('hex')}`;
    const store = await PostgresStore.open({ connectionString: url, schema });
    return {
      store,
      dispose: async () => {
        await store.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    };
  },
  why,
);
