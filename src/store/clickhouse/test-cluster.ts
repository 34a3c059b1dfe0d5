/**
 * The local two-shard cluster for tests (scripts/clickhouse-cluster.mjs): started once per test file when
 * clickhouse-server is installed, or taken from PCAPLENS_TEST_CLICKHOUSE (a clickhouse:// URL of a running
 * cluster). Without either the tests skip, except under CI=true where that is a failure.
 */
import { randomBytes } from 'node:crypto';
import { ClickHouseStore } from './clickhouse-store.js';
import { parseClickHouseSpec } from './spec.js';
import { ClickHouseHttp } from './http.js';

interface ClusterInfo {
  dir: string;
  http: number[];
  pids: number[];
  url: string;
}
interface ClusterScript {
  serverInstalled(): boolean;
  startCluster(o?: { shards?: number; db?: string }): Promise<ClusterInfo>;
  stopCluster(info: ClusterInfo): Promise<void>;
  stopShard(info: ClusterInfo, i: number): Promise<() => Promise<void>>;
}

const scriptUrl = new URL('../../../scripts/clickhouse-cluster.mjs', import.meta.url).href;
export const clusterScript = (await import(scriptUrl)) as ClusterScript;

export interface TestCluster {
  /** store URL with a database of its own (dropped on stop) */
  url: string;
  info: ClusterInfo | null;
  /** a fresh database name on the same cluster */
  urlWithDb(db: string): string;
  dropDb(db: string): Promise<void>;
  stop(): Promise<void>;
}

/** Why the tests cannot run here, or false. Throws under CI=true. */
export function clickhouseSkip(): string | false {
  if (process.env.PCAPLENS_TEST_CLICKHOUSE || clusterScript.serverInstalled()) return false;
  const why =
    'clickhouse-server is not installed (apt-get install clickhouse-server) and PCAPLENS_TEST_CLICKHOUSE is not set';
  if (process.env.CI === 'true') throw new Error(`${why} (CI=true: the ClickHouse store must be tested)`);
  return why;
}

export const uniqueDb = () => `pcaplens_t_${randomBytes(5).toString('hex')}`;

function withDb(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function startTestCluster(): Promise<TestCluster> {
  const given = process.env.PCAPLENS_TEST_CLICKHOUSE;
  const info = given ? null : await clusterScript.startCluster({ shards: 2 });
  const base = given ?? info!.url;
  const db = uniqueDb();
  const dropDb = async (name: string) => {
    const spec = parseClickHouseSpec(base);
    for (const s of spec.shards)
      await new ClickHouseHttp(s, null, { user: spec.user, password: spec.password }).exec(
        `DROP DATABASE IF EXISTS ${name}`,
      );
  };
  return {
    url: withDb(base, db),
    info,
    urlWithDb: (name) => withDb(base, name),
    dropDb,
    stop: async () => {
      if (info) await clusterScript.stopCluster(info);
      else await dropDb(db);
    },
  };
}

export async function openTestStore(url: string): Promise<ClickHouseStore> {
  const s = await ClickHouseStore.open(url);
  await s.migrate();
  return s;
}
