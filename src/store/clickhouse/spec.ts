import { PcaplensError } from '../../shared/errors.js';

/**
 * `clickhouse://host:8123/db?cluster=NAME&shards=h1:8123,h2:8123[&user=U&password=P&secure=1]`
 * The URL's host is the node this process talks to for queries and metadata (captures, jobs); `cluster` is
 * the `remote_servers` entry the Distributed tables use; `shards` lists every shard's HTTP endpoint in the
 * cluster's order, because without ZooKeeper (no ON CLUSTER) tables are created and partitions dropped on
 * each shard directly. Without `cluster` the store runs on the one node as a one-shard cluster.
 */
export interface ClickHouseSpec {
  /** http://host:port of the node queries go to */
  endpoint: string;
  database: string;
  cluster: string | null;
  /** http://host:port of every shard, in cluster order (just the endpoint without a cluster) */
  shards: string[];
  user: string;
  password: string;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function isClickHouseSpec(spec: string | undefined): spec is string {
  return !!spec && /^clickhouse:\/\//i.test(spec);
}

export function parseClickHouseSpec(spec: string): ClickHouseSpec {
  let u: URL;
  try {
    u = new URL(spec.replace(/^clickhouse:/i, 'http:'));
  } catch {
    throw new PcaplensError('E_USAGE', `bad ClickHouse URL ${JSON.stringify(spec)}`);
  }
  const scheme = u.searchParams.get('secure') === '1' ? 'https' : 'http';
  const endpoint = `${scheme}://${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port || '8123'}`;
  const database = decodeURIComponent(u.pathname.replace(/^\//, '')) || 'pcaplens';
  const cluster = u.searchParams.get('cluster');
  for (const [what, name] of [
    ['database', database],
    ['cluster', cluster],
  ] as const) {
    if (name !== null && !NAME_RE.test(name))
      throw new PcaplensError('E_USAGE', `bad ClickHouse ${what} name ${JSON.stringify(name)}`);
  }
  const shardList = (u.searchParams.get('shards') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (/^https?:\/\//.test(s) ? s.replace(/\/$/, '') : `${scheme}://${s}`));
  if (cluster !== null && shardList.length === 0)
    throw new PcaplensError(
      'E_USAGE',
      'a ClickHouse cluster needs the HTTP endpoint of each shard: ?cluster=NAME&shards=host:port,host:port',
    );
  return {
    endpoint,
    database,
    cluster,
    shards: shardList.length ? shardList : [endpoint],
    user: decodeURIComponent(u.username || u.searchParams.get('user') || 'default'),
    password: decodeURIComponent(u.password || u.searchParams.get('password') || ''),
  };
}
