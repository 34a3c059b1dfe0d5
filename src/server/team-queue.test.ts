/**
 * The web server in team mode on the scale-out deployment: `pcaplens serve --auth --store clickhouse://...
 * --queue redis://...` on a local two-shard ClickHouse cluster with two workers. An upload by a logged-in user
 * is split into jobs that the workers take; the stored capture equals the single-process DuckDB import; it
 * belongs to its uploader (another user gets 404 until it is shared); users and ownership live in the side
 * DuckDB file under DATA/team/; deleting the capture removes it from every shard and forgets its owner.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { run as serve } from '../cli/commands/serve.js';
import { MemoryStream } from '../cli/io.js';
import { main } from '../cli/main.js';
import { ingestFiles } from '../engine/ingest.js';
import { redisConnection, runWorker, type RunningWorker } from '../engine/distributed/queue.js';
import { openAuthFor, sideAuthDir } from '../store/auth-open.js';
import type { ClickHouseStore } from '../store/clickhouse/clickhouse-store.js';
import {
  clickhouseSkip,
  openTestStore,
  startTestCluster,
  type TestCluster,
} from '../store/clickhouse/test-cluster.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { addUser } from './auth/accounts.js';
import { multipart } from './test-support.js';

const REDIS = process.env.PCAPLENS_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const FIXTURE = new URL('../../test/fixtures/tcp-retransmissions-http.pcap', import.meta.url).pathname;

async function redisSkip(): Promise<string | false> {
  const q = new Queue(`pcaplens-probe-${randomBytes(4).toString('hex')}`, {
    connection: { ...redisConnection(REDIS), maxRetriesPerRequest: 1, enableOfflineQueue: false },
  });
  try {
    await Promise.race([
      q.waitUntilReady(),
      new Promise((_, f) => setTimeout(() => f(new Error('timeout')), 3000)),
    ]);
    return false;
  } catch (e) {
    const why = `Redis not reachable at ${REDIS}: ${(e as Error).message}`;
    if (process.env.CI === 'true') throw new Error(`${why} (CI=true: the queued server must be tested)`);
    return why;
  } finally {
    await q.close().catch(() => {});
  }
}

const skip = clickhouseSkip() || (await redisSkip());

async function login(address: string, name: string, password: string) {
  const res = await fetch(`${address}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: address },
    body: JSON.stringify({ name, password }),
  });
  assert.equal(res.status, 200);
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  const { csrf_token: csrf } = (await res.json()) as { csrf_token: string };
  return { cookie, csrf };
}

describe('serve --auth --queue on a ClickHouse cluster with two workers', { skip }, () => {
  let cluster: TestCluster;
  let ch: ClickHouseStore;
  let dir: string;
  const queueName = `pcaplens-serve-${randomBytes(5).toString('hex')}`;
  const workers: RunningWorker[] = [];
  let completed = 0;

  before(async () => {
    cluster = await startTestCluster();
    ch = await openTestStore(cluster.url);
    dir = await mkdtemp(join(tmpdir(), 'pcaplens-team-queue-'));
    for (let i = 0; i < 2; i++) {
      const w = await runWorker({ queue: REDIS, store: cluster.url, queueName });
      w.worker.on('completed', () => completed++);
      workers.push(w);
    }
  });
  after(async () => {
    for (const w of workers.splice(0)) await w.close();
    await ch?.close();
    const q = new Queue(queueName, { connection: redisConnection(REDIS) });
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('an upload is ingested by the workers, owned by its uploader, and deleted from every shard', async () => {
    // users as `pcaplens user add --store clickhouse://... --data DIR` makes them: in DATA/team/
    const side = (await openAuthFor(ch, dir))!;
    assert.equal(side.where, 'side');
    await addUser(side.auth, 'ann', 'analyst', 'ann-queue-password');
    await addUser(side.auth, 'bob', 'analyst', 'bob-queue-password');
    await side.close();
    assert.ok(existsSync(sideAuthDir(dir)));

    const stop = new AbortController();
    const stderr = new MemoryStream();
    const argv = ['--auth', '--port', '0', '--data', dir, '--store', cluster.url];
    const serving = serve([...argv, '--queue', REDIS, '--queue-name', queueName, '--jobs', '3'], {
      stdout: new MemoryStream(),
      stderr,
      signal: stop.signal,
    });
    try {
      let address = '';
      for (let i = 0; i < 200 && !address; i++) {
        address = /serving (http:\/\/\S+) /.exec(stderr.text)?.[1] ?? '';
        if (!address) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(address, stderr.text);
      assert.equal((await fetch(`${address}/api/captures`)).status, 401);
      const ann = await login(address, 'ann', 'ann-queue-password');
      const bob = await login(address, 'bob', 'bob-queue-password');

      const { body, contentType } = multipart([{ name: 'retrans.pcap', data: await readFile(FIXTURE) }]);
      const up = await fetch(`${address}/api/captures`, {
        method: 'POST',
        body,
        headers: {
          'content-type': contentType,
          cookie: ann.cookie,
          origin: address,
          'x-csrf-token': ann.csrf,
        },
      });
      assert.equal(up.status, 202);
      const job = ((await up.json()) as { jobs: { id: string }[] }).jobs[0]!;
      const events = await (
        await fetch(`${address}/api/captures/${job.id}/events`, { headers: { cookie: ann.cookie } })
      ).text();
      const done = /event: done\ndata: (.*)/.exec(events);
      assert.ok(done, events.slice(-500));
      const captureId = (JSON.parse(done[1]!) as { capture: { id: number } }).capture.id;

      // the same rows as a single-process import of the same file
      const duckDir = await mkdtemp(join(tmpdir(), 'pcaplens-team-queue-duck-'));
      const duck = await DuckDbStore.open(duckDir);
      try {
        await duck.migrate();
        const single = await ingestFiles(duck, duckDir, [FIXTURE]);
        const flows = (await (
          await fetch(`${address}/api/captures/${captureId}/flows?limit=1000&sort=id`, {
            headers: { cookie: ann.cookie },
          })
        ).json()) as { total: number; rows: Record<string, unknown>[] };
        const want = await duck.page('flows', { captureId: single.id, limit: 1000 });
        assert.equal(flows.total, want.total);
        assert.ok(flows.total > 0);
        const strip = (rows: unknown[]) =>
          (rows as Record<string, unknown>[]).map(({ capture_id: _c, ...r }) => r);
        for (const t of ['flows', 'hosts', 'http', 'packets'] as const)
          assert.deepEqual(
            strip((await ch.page(t, { captureId, limit: 100000 })).rows),
            strip((await duck.page(t, { captureId: single.id, limit: 100000 })).rows),
            t,
          );
        // the workers did it: the capture's three jobs (hash ranges) and its finishing job
        assert.equal(completed, 4);
        const shown = (await (
          await fetch(`${address}/api/captures/${captureId}`, { headers: { cookie: ann.cookie } })
        ).json()) as { packets: number; bytes: number };
        assert.equal(shown.packets, single.packets);
        assert.equal(shown.bytes, single.bytes);
      } finally {
        await duck.close();
        await rm(duckDir, { recursive: true, force: true });
      }

      // bob does not see ann's capture: 404, as for one that does not exist
      const asBob = await fetch(`${address}/api/captures/${captureId}/flows?limit=1`, {
        headers: { cookie: bob.cookie },
      });
      assert.equal(asBob.status, 404);
      const list = (await (
        await fetch(`${address}/api/captures`, { headers: { cookie: bob.cookie } })
      ).json()) as { captures: { id: number }[] } | { id: number }[];
      const ids = (Array.isArray(list) ? list : list.captures).map((c) => c.id);
      assert.ok(!ids.includes(captureId));

      const del = await fetch(`${address}/api/captures/${captureId}`, {
        method: 'DELETE',
        headers: { cookie: ann.cookie, origin: address, 'x-csrf-token': ann.csrf },
      });
      assert.equal(del.status, 204);
      assert.equal(await ch.getCapture(captureId), null);
    } finally {
      stop.abort();
      assert.equal(await serving, 0);
    }
    const after = (await openAuthFor(ch, dir))!;
    try {
      const users = await after.auth.listUsers();
      assert.deepEqual(users.map((u) => u.name).sort(), ['ann', 'bob']);
    } finally {
      await after.close();
    }

    // the CLI on the same deployment: import for bob, then rm forgets the owner in DATA/team/ as well
    const cli = async (args: string[]) => {
      const out = new MemoryStream();
      const err = new MemoryStream();
      const code = await main(args, { stdout: out, stderr: err });
      assert.equal(code, 0, err.text);
      return out.text.trim();
    };
    const id = Number(
      await cli(['import', '--store', cluster.url, '--data', dir, '--owner', 'bob', FIXTURE]),
    );
    // one DuckDB instance per file at a time: the test's handle is closed while the CLI works on it
    const owner = async () => {
      const team = (await openAuthFor(ch, dir))!;
      try {
        const bobId = (await team.auth.userByName('bob'))!.id;
        return { bobId, access: await team.auth.captureAccess(id) };
      } finally {
        await team.close();
      }
    };
    const before = await owner();
    assert.equal(before.access.owner_id, before.bobId);
    assert.equal(await cli(['rm', '--store', cluster.url, '--data', dir, String(id)]), String(id));
    assert.equal(await ch.getCapture(id), null);
    assert.deepEqual((await owner()).access, { owner_id: null, public: false, shared_with: [] });
  });
});
