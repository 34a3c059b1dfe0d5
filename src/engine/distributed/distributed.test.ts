/**
 * Distributed ingest on a local two-shard ClickHouse cluster and the Redis on 127.0.0.1:6379 (a queue name
 * of its own per run): an import through the queue, split into hash ranges over two workers, gives the same
 * rows as the single-process DuckDB import; a worker killed mid-job is replaced and leaves no duplicate; a
 * shard down fails the capture clearly with nothing visible, and the import succeeds once it is back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { ingestFiles } from '../ingest.js';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { ClickHouseStore } from '../../store/clickhouse/clickhouse-store.js';
import type { Store } from '../../store/store.js';
import { TABLE_NAMES as TABLES, type TableName } from '../../shared/filter/tables.js';
import {
  clickhouseSkip,
  clusterScript,
  openTestStore,
  startTestCluster,
  type TestCluster,
} from '../../store/clickhouse/test-cluster.js';
import { importViaQueue, redisConnection, runWorker, type RunningWorker } from './queue.js';

const REDIS = process.env.PCAPLENS_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const shared = process.env.PCAPLENS_SHARED ?? '/work/shared';
const fixtures = new URL('../../../test/fixtures/', import.meta.url).pathname;
const CAPTURES = [
  join(fixtures, 'arp-requests.pcap'),
  join(fixtures, 'dns-edns-ecs-ipv4-fragments.pcap'),
  join(fixtures, 'ipv6-fragments-mdns.pcap'),
  join(fixtures, 'ipv6-routing-header.pcap'),
  join(shared, 'corpus/vxlan-http.pcap'),
  join(shared, 'corpus/android-phone-mixed.pcap'),
  join(shared, 'corpus/mixed-many-protocols.pcap'),
  // raises an alert (the bundled Tor snapshot's match), so the alerts table is compared too
  join(fixtures, 'tls12-sni-sct.pcap'),
];

async function redisSkip(): Promise<string | false> {
  const q = new Queue(`pcaplens-probe-${randomBytes(4).toString('hex')}`, {
    connection: {
      ...redisConnection(REDIS),
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    },
  });
  try {
    await Promise.race([
      q.waitUntilReady(),
      new Promise((_, f) => setTimeout(() => f(new Error('timeout')), 3000)),
    ]);
    await q.getJobCounts();
    return false;
  } catch (e) {
    const why = `Redis not reachable at ${REDIS}: ${(e as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${why} (CI=true: distributed ingest must be tested)`);
    return why;
  } finally {
    await q.obliterate({ force: true }).catch(() => {});
    await q.close().catch(() => {});
  }
}

const skip = clickhouseSkip() || (await redisSkip());

async function all(store: Store, t: TableName, id: number): Promise<unknown[]> {
  const rows = (await store.page(t, { captureId: id, limit: 100000 })).rows as unknown as Record<
    string,
    unknown
  >[];
  return rows.map(({ capture_id: _c, ...r }) => r);
}

describe('distributed ingest (2 ClickHouse shards, 2 workers)', { skip }, () => {
  let cluster: TestCluster;
  let ch: ClickHouseStore;
  let duck: DuckDbStore;
  let dataDir: string;
  const queueName = `pcaplens-test-${randomBytes(5).toString('hex')}`;
  const workers: RunningWorker[] = [];
  const startWorkers = async () => {
    for (let i = 0; i < 2; i++)
      workers.push(
        await runWorker({
          queue: REDIS,
          store: cluster.url,
          queueName,
          lockDuration: 2000,
          stalledInterval: 1000,
        }),
      );
  };
  const stopWorkers = async () => {
    for (const w of workers.splice(0)) await w.close();
  };
  const opts = () => ({ queue: REDIS, store: cluster.url, queueName, jobs: 3, retries: 1 });

  before(async () => {
    cluster = await startTestCluster();
    ch = await openTestStore(cluster.url);
    dataDir = await mkdtemp(join(tmpdir(), 'pcaplens-dist-'));
    duck = await DuckDbStore.open(dataDir);
    await duck.migrate();
    await startWorkers();
  });
  after(async () => {
    await stopWorkers();
    await duck?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    const q = new Queue(queueName, { connection: redisConnection(REDIS) });
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
    await cluster?.stop();
  });

  test('an import through the queue equals the single-process import, row for row', async () => {
    const seen: Partial<Record<TableName, number>> = {};
    for (const path of CAPTURES) {
      const single = await ingestFiles(duck, dataDir, [path]);
      let last = { read: 0, total: 0, done: 0, jobs: 0 };
      const row = await importViaQueue([path], { ...opts(), onProgress: (p) => (last = p) });
      const name = path.split('/').pop()!;
      for (const k of ['packets', 'bytes', 'first_ts', 'last_ts', 'status', 'link_types', 'sha256'] as const)
        assert.deepEqual(row[k], single[k], `${name}: capture ${k}`);
      assert.equal(last.jobs, 3);
      for (const t of TABLES) {
        const want = await all(duck, t, single.id);
        if (t === 'flows' || t === 'packets' || t === 'hosts')
          assert.ok(want.length > 0, `${name}: ${t} not empty`);
        assert.deepEqual(await all(ch, t, row.id), want, `${name}: ${t}`);
        seen[t] = (seen[t] ?? 0) + want.length;
      }
      assert.deepEqual(
        await ch.captureSummary(row.id),
        await duck.captureSummary(single.id),
        `${name}: summary`,
      );
      const [a, b] = await Promise.all([
        ch.topTalkers({ captureId: row.id, by: 'peers', n: 20 }),
        duck.topTalkers({ captureId: single.id, by: 'peers', n: 20 }),
      ]);
      assert.deepEqual(a, b, `${name}: top talkers`);
    }
    // the comparison covered application rows and alerts, not just empty tables
    for (const t of ['dns', 'http', 'tls', 'alerts'] as const)
      assert.ok((seen[t] ?? 0) > 0, `${t} rows compared`);
    // importing the same content again finds it
    const again = await importViaQueue([CAPTURES[1]!], opts());
    assert.equal(again.existing, true);
  });

  test('a worker killed mid-job: the job is retried elsewhere, no duplicates', async () => {
    await Promise.all(workers.map((w) => w.worker.pause()));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', new URL('./stuck-worker-child.ts', import.meta.url).pathname],
      {
        env: { ...process.env, CH_URL: cluster.url, REDIS_URL: REDIS, QUEUE: queueName },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const staged = new Promise<void>((ok, fail) => {
      let out = '';
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('staged')) ok();
      });
      child.on('exit', (code) => fail(new Error(`child exited ${code} before staging: ${out}`)));
    });
    const path = join(shared, 'corpus/http-browsing-bro-org.pcap');
    const imported = importViaQueue([path], opts());
    await staged;
    child.kill('SIGKILL');
    workers.forEach((w) => w.worker.resume());
    const row = await imported;
    const single = await ingestFiles(duck, dataDir, [path]);
    for (const t of TABLES) assert.deepEqual(await all(ch, t, row.id), await all(duck, t, single.id), t);
    assert.equal(await ch.countRows('packets', { captureId: row.id }), single.packets);
  });

  test('a shard down during an import: clear error, nothing visible; the retry after it is back succeeds', async (t) => {
    if (!cluster.info) {
      t.skip('cluster given by PCAPLENS_TEST_CLICKHOUSE: shards are not ours to stop');
      return;
    }
    const path = join(shared, 'corpus/smb2-file-transfer.pcap');
    const before = (await ch.listCaptures()).map((c) => c.id);
    const single0 = await ingestFiles(duck, dataDir, [path]);
    // the import is queued while the workers wait; the shard goes down before they start on it
    await Promise.all(workers.map((w) => w.worker.pause()));
    const q = new Queue(queueName, { connection: redisConnection(REDIS) });
    const failing = importViaQueue([path], { ...opts(), retries: 0 });
    failing.catch(() => {});
    while ((await q.getWaitingCount()) < 3) await new Promise((r) => setTimeout(r, 50));
    await q.close();
    const restart = await clusterScript.stopShard(cluster.info, 1);
    try {
      workers.forEach((w) => w.worker.resume());
      await assert.rejects(failing, (e: Error) => {
        assert.match(
          e.message,
          /capture import failed .*: job \d\/3: clickhouse .*(ECONNREFUSED|Connection refused)/i,
        );
        return true;
      });
      assert.deepEqual(
        (await ch.listCaptures()).map((c) => c.id),
        before,
      );
      assert.equal(await ch.findCaptureBySha256(single0.sha256), null);
    } finally {
      await restart();
    }
    const row = await importViaQueue([path], opts());
    assert.deepEqual(await all(ch, 'flows', row.id), await all(duck, 'flows', single0.id));
    assert.equal(await ch.countRows('packets', { captureId: row.id }), single0.packets);
  });
});
