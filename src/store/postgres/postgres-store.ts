import pg from 'pg';
import { PcaplensError } from '../../shared/errors.js';
import { POSTGRES_DIALECT } from '../../shared/filter/to-sql.js';
import type { Encoded } from '../codec.js';
import type { StoreDialect } from '../queries.js';
import { SqlStore, type AppendColumn, type Row, type Tx } from '../sql-store.js';
import { CopyIn, copyText } from './copy-in.js';

/**
 * PostgreSQL for teams: the same schema and queries as DuckDB. Imports COPY their batches inside one
 * transaction on a dedicated connection; reads go through a small pool. `?schema=NAME` in the URL puts the
 * tables in that schema (created when missing).
 */
const DIALECT: StoreDialect = { ...POSTGRES_DIALECT, intDiv: (a, b) => `div(${a}, ${b})` };
const NAME_RE = /^[a-z_][a-z0-9_]{0,62}$/;
/** arbitrary, fixed: the advisory lock that serialises migrations across processes */
const MIGRATION_LOCK = 7_271_942;

function storeError(e: unknown): PcaplensError {
  if (e instanceof PcaplensError) return e;
  return new PcaplensError('E_STORE', `postgres: ${e instanceof Error ? e.message : String(e)}`, {
    cause: e,
  });
}

export interface PostgresOptions {
  connectionString: string;
  /** schema for the tables (default: the server's search_path, usually public) */
  schema?: string;
  /** pool size for reads (default 4) */
  max?: number;
}

/** Splits `?schema=` off a postgres:// URL. */
export function parsePostgresSpec(spec: string): PostgresOptions {
  const u = new URL(spec);
  const schema = u.searchParams.get('schema') ?? undefined;
  u.searchParams.delete('schema');
  return { connectionString: u.toString(), ...(schema ? { schema } : {}) };
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres';
  protected readonly dialect = DIALECT;
  protected readonly dialectName = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;

  constructor(opts: PostgresOptions) {
    super();
    if (opts.schema !== undefined && !NAME_RE.test(opts.schema)) {
      throw new PcaplensError('E_USAGE', `bad schema name ${JSON.stringify(opts.schema)} (a-z, 0-9, _)`);
    }
    this.schema = opts.schema;
    this.pool = new pg.Pool({
      connectionString: opts.connectionString,
      max: opts.max ?? 4,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    // an idle client that loses its connection must not crash the process
    this.pool.on('error', () => {});
  }

  /** Connects once to fail early with E_STORE when the server is not there. */
  static async open(spec: string | PostgresOptions): Promise<PostgresStore> {
    const s = new PostgresStore(typeof spec === 'string' ? parsePostgresSpec(spec) : spec);
    try {
      await s.read('SELECT 1');
    } catch (e) {
      await s.close();
      throw e;
    }
    return s;
  }

  protected async read(sql: string, params?: unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query(sql, params)).rows as Row[];
    } catch (e) {
      throw storeError(e);
    }
  }

  protected override async lockMigrations(tx: Tx): Promise<void> {
    await tx.all('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  }

  override async migrate(): Promise<void> {
    if (this.schema) await this.read(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    await super.migrate();
  }

  protected async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw storeError(e);
    }
    const all = async (sql: string, params?: unknown[]) => {
      try {
        return (await client.query(sql, params)).rows as Row[];
      } catch (e) {
        throw storeError(e);
      }
    };
    const append = async (table: string, columns: AppendColumn[], data: Encoded[][]) => {
      const text = copyText(columns, data);
      if (!text) return;
      const copy = new CopyIn(
        `COPY ${table} (${columns.map((c) => c.name).join(', ')}) FROM STDIN`,
        Buffer.from(text, 'utf8'),
      );
      client.query(copy as unknown as pg.QueryConfig);
      try {
        await copy.done;
      } catch (e) {
        throw storeError(e);
      }
    };
    let broken = false;
    try {
      await all('BEGIN');
      const out = await fn({ all, append });
      await all('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
