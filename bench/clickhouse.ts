/**
 * Scale-out benchmark: a large capture imported (1) by one process into DuckDB, (2) by one process into a
 * local two-shard ClickHouse 18.16 cluster, (3) through the Redis queue by two worker processes into the same
 * cluster; then the typical view queries on DuckDB and on the cluster (best of 3).
 *   npx tsx bench/clickhouse.ts [--file bench/data/half.pcap] [--jobs 2] [--no-single-ch]
 * Needs clickhouse-server (Debian) and Redis on 127.0.0.1:6379. Results: bench/README-clickhouse.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { importViaQueue, redisConnection } from '../src/engine/distributed/queue.js';
import { ingestFiles } from '../src/engine/ingest.js';
import { tableFields } from '../src/shared/filter/bindings.js';
import { compileFilter } from '../src/shared/filter/validate.js';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.js';
import { startTestCluster } from '../src/store/clickhouse/test-cluster.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { Store } from '../src/store/store.js';

const args = process.argv.slice(2);
const opt = (k: string, d: string) => (args.includes(k) ? args[args.indexOf(k) + 1]! : d);
const file = opt('--file', 'bench/data/half.pcap');
const jobs = Number(opt('--jobs', '2'));
const REDIS = 'redis://127.0.0.1:6379';

const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);
const hwm = (pid: number) => {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? `${Math.round(Number(m[1]) / 1024)} MB` : '?';
  } catch {
    return '?';
  }
};
const rss = (pid: number) => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? `${Math.round(Number(m[1]) / 1024)} MB` : '?';
  } catch {
    return '?';
  }
};

/** user + system CPU seconds of a process (Linux clock ticks are 1/100 s) */
const cpu = (pid: number) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return `${((Number(f[11]) + Number(f[12])) / 100).toFixed(1)} s`;
  } catch {
    return '?';
  }
};

const cluster = await startTestCluster();
const dataDir = await mkdtemp(join(tmpdir(), 'pcaplens-chbench-'));
const duck = await DuckDbStore.open(dataDir);
await duck.migrate();
const ch = await ClickHouseStore.open(cluster.url);
await ch.migrate();
const workers: ChildProcess[] = [];
try {
  console.log(`file ${file}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  let t0 = performance.now();
  const d = await ingestFiles(duck, dataDir, [file]);
  const c0 = process.cpuUsage();
  console.log(
    `duckdb single-process import: ${secs(t0)} s, ${d.packets} packets; node CPU ${((c0.user + c0.system) / 1e6).toFixed(1)} s, peak RSS ${hwm(process.pid)}`,
  );

  let chSingle: number | null = null;
  if (!args.includes('--no-single-ch')) {
    t0 = performance.now();
    const c = await ingestFiles(ch, dataDir, [file], { force: true });
    chSingle = c.id;
    const c1 = process.cpuUsage(c0);
    console.log(
      `clickhouse single-process import: ${secs(t0)} s; node CPU ${((c1.user + c1.system) / 1e6).toFixed(1)} s`,
    );
  }

  const queueName = `pcaplens-bench-${randomBytes(4).toString('hex')}`;
  for (let i = 0; i < 2; i++) {
    const w = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/clickhouse-worker.ts', cluster.url, queueName],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    workers.push(w);
    await new Promise<void>((ok) => w.stdout!.once('data', () => ok()));
  }
  // a second copy of the content so the queue import is not answered by the single-process one
  await ch.deleteCapture(chSingle ?? -1).catch(() => false);
  t0 = performance.now();
  const q = await importViaQueue([file], { queue: REDIS, store: cluster.url, queueName, jobs, force: true });
  console.log(
    `clickhouse queue import (2 workers, ${jobs} jobs): ${secs(t0)} s; worker CPU ${workers.map((w) => cpu(w.pid!)).join(', ')}, peak RSS ${workers.map((w) => hwm(w.pid!)).join(', ')}; servers CPU ${(cluster.info?.pids ?? []).map(cpu).join(', ')}, RSS ${(cluster.info?.pids ?? []).map(rss).join(', ')}`,
  );
  const qq = new Queue(queueName, { connection: redisConnection(REDIS) });
  await qq.obliterate({ force: true }).catch(() => {});
  await qq.close();

  const f = (s: string) => compileFilter(s, 'flows', tableFields('flows'));
  const queries: [string, (s: Store, id: number) => Promise<unknown>][] = [
    ['count flows', (s, id) => s.countRows('flows', { captureId: id })],
    [
      'flows page, filter tcp.port == 443, by bytes',
      (s, id) =>
        s.page('flows', {
          captureId: id,
          filter: f('tcp.port == 443'),
          sort: [{ column: 'bytes', desc: true }],
          limit: 100,
        }),
    ],
    [
      'packets page at offset 500 000',
      (s, id) => s.page('packets', { captureId: id, offset: 500_000, limit: 100 }),
    ],
    ['top talkers by bytes', (s, id) => s.topTalkers({ captureId: id, by: 'bytes', n: 20 })],
    ['top talkers by peers', (s, id) => s.topTalkers({ captureId: id, by: 'peers', n: 20 })],
    ['histogram 60 s', (s, id) => s.timeHistogram({ captureId: id, bucketSec: 60 })],
    [
      'histogram 10 s by app, filter tcp',
      (s, id) => s.timeHistogram({ captureId: id, bucketSec: 10, groupBy: 'app', filter: f('tcp') }),
    ],
    ['graph edges L4', (s, id) => s.graphEdges({ captureId: id, layer: 4, limit: 1000 })],
    ['conversations L3, top 100', (s, id) => s.conversations({ captureId: id, layer: 3, limit: 100 })],
  ];
  console.log('| query | DuckDB | ClickHouse 2 shards |\n|---|---:|---:|');
  for (const [name, run] of queries) {
    const best = async (s: Store, id: number) => {
      let b = Infinity;
      let first = '';
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        const r = await run(s, id);
        b = Math.min(b, performance.now() - t);
        if (i === 0) first = JSON.stringify(r).replace(/"capture_id":\d+/g, '');
      }
      return { ms: b, first };
    };
    const a = await best(duck, d.id);
    const b = await best(ch, q.id);
    const same = a.first === b.first ? '' : ' (answers differ!)';
    console.log(`| ${name} | ${a.ms.toFixed(0)} ms | ${b.ms.toFixed(0)} ms${same} |`);
  }
} finally {
  for (const w of workers) w.kill('SIGTERM');
  await duck.close();
  await rm(dataDir, { recursive: true, force: true });
  await cluster.stop();
}
