// A local two-shard ClickHouse cluster for tests and benchmarks: N server processes (default 2), each with
// its own config and data folder under one temp dir, loopback only, free ports picked at start. Works with
// Debian's clickhouse-server 18.16 (no ON CLUSTER without ZooKeeper: the store creates tables per shard).
//
//   node scripts/clickhouse-cluster.mjs start [--shards 2] [--dir DIR]   prints JSON {dir, cluster, http, pids, url}
//   node scripts/clickhouse-cluster.mjs stop DIR                          stops the servers by their PIDs
//
// Tests import startCluster/stopCluster from here.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SERVER_BIN = process.env.CLICKHOUSE_SERVER ?? '/usr/sbin/clickhouse-server';
export const CLUSTER_NAME = 'pl2';

/** true when a clickhouse-server binary is installed */
export function serverInstalled() {
  return existsSync(SERVER_BIN);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const xmlEscape = (s) => String(s).replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]);

function usersXml() {
  return `<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><log_queries>0</log_queries></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

function configXml(dir, i, ports, all) {
  const d = join(dir, `s${i}`);
  const shards = all
    .map((p) => `<shard><replica><host>127.0.0.1</host><port>${p.tcp}</port></replica></shard>`)
    .join('');
  return `<yandex>
  <logger><level>warning</level><log>${xmlEscape(d)}/log/server.log</log><errorlog>${xmlEscape(d)}/log/err.log</errorlog></logger>
  <http_port>${ports.http}</http_port><tcp_port>${ports.tcp}</tcp_port><interserver_http_port>${ports.inter}</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${xmlEscape(d)}/data/</path><tmp_path>${xmlEscape(d)}/data/tmp/</tmp_path>
  <user_files_path>${xmlEscape(d)}/data/user_files/</user_files_path><format_schema_path>${xmlEscape(d)}/data/format_schemas/</format_schema_path>
  <users_config>${xmlEscape(dir)}/users.xml</users_config><default_profile>default</default_profile>
  <default_database>default</default_database><timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size><uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries><keep_alive_timeout>30</keep_alive_timeout>
  <remote_servers><${CLUSTER_NAME}>${shards}</${CLUSTER_NAME}></remote_servers>
</yandex>
`;
}

async function answers(port) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/?query=SELECT%201`, {
      signal: AbortSignal.timeout(1000),
    });
    return r.ok && (await r.text()).trim() === '1';
  } catch {
    return false;
  }
}

function startOne(dir, i) {
  const d = join(dir, `s${i}`);
  const child = spawn(SERVER_BIN, [`--config-file=${join(d, 'config.xml')}`], {
    cwd: d,
    stdio: ['ignore', 'ignore', 'ignore'],
    detached: true,
  });
  child.unref();
  return child.pid;
}

async function waitUp(http, pids, dir) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await Promise.all(http.map(answers));
    if (ok.every(Boolean)) return;
    if (Date.now() > deadline) {
      stopPids(pids);
      const errs = http
        .map((_, i) => {
          const f = join(dir, `s${i + 1}`, 'log', 'err.log');
          return existsSync(f) ? readFileSync(f, 'utf8').split('\n').slice(-5).join('\n') : '';
        })
        .join('\n');
      throw new Error(`clickhouse cluster did not answer within 30 s\n${errs}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopPids(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
}

/**
 * Starts `shards` servers and waits until each answers. Returns the cluster description; `url` is the
 * store spec (clickhouse://127.0.0.1:PORT/DB?cluster=pl2&shards=...).
 */
export async function startCluster({ shards = 2, dir, db = 'pcaplens' } = {}) {
  if (!serverInstalled()) throw new Error(`${SERVER_BIN} is not installed`);
  const root = dir ?? mkdtempSync(join(tmpdir(), 'pcaplens-ch-'));
  const ports = [];
  for (let i = 0; i < shards; i++)
    ports.push({ http: await freePort(), tcp: await freePort(), inter: await freePort() });
  writeFileSync(join(root, 'users.xml'), usersXml());
  for (let i = 1; i <= shards; i++) {
    const d = join(root, `s${i}`);
    for (const sub of ['log', 'data/tmp', 'data/user_files', 'data/format_schemas'])
      mkdirSync(join(d, sub), { recursive: true });
    writeFileSync(join(d, 'config.xml'), configXml(root, i, ports[i - 1], ports));
  }
  const pids = [];
  for (let i = 1; i <= shards; i++) pids.push(startOne(root, i));
  const http = ports.map((p) => p.http);
  const info = {
    dir: root,
    cluster: CLUSTER_NAME,
    http,
    tcp: ports.map((p) => p.tcp),
    pids,
    url: `clickhouse://127.0.0.1:${http[0]}/${db}?cluster=${CLUSTER_NAME}&shards=${http.map((p) => `127.0.0.1:${p}`).join(',')}`,
  };
  writeFileSync(join(root, 'cluster.json'), JSON.stringify(info));
  await waitUp(http, pids, root);
  return info;
}

/** Stops one shard (by index) and returns a function that starts it again (same config, same data). */
export async function stopShard(info, i) {
  await stopAndWait([info.pids[i]]);
  return async () => {
    info.pids[i] = startOne(info.dir, i + 1);
    await waitUp([info.http[i]], [info.pids[i]], info.dir);
  };
}

async function stopAndWait(pids) {
  stopPids(pids);
  const deadline = Date.now() + 15_000;
  for (const pid of pids) {
    for (;;) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      if (Date.now() > deadline) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Stops every server of the cluster by PID and removes its folder (unless keep). */
export async function stopCluster(info, { keep = false } = {}) {
  await stopAndWait(info.pids);
  if (!keep) rmSync(info.dir, { recursive: true, force: true });
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const [cmd, ...rest] = process.argv.slice(2);
  const opt = (name) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (cmd === 'start') {
    const info = await startCluster({ shards: Number(opt('--shards') ?? 2), dir: opt('--dir') });
    process.stdout.write(JSON.stringify(info) + '\n');
  } else if (cmd === 'stop' && rest[0]) {
    const info = JSON.parse(readFileSync(join(rest[0], 'cluster.json'), 'utf8'));
    await stopCluster(info, { keep: rest.includes('--keep') });
  } else {
    process.stderr.write(
      'usage: clickhouse-cluster.mjs start [--shards N] [--dir DIR] | stop DIR [--keep]\n',
    );
    process.exit(2);
  }
}
