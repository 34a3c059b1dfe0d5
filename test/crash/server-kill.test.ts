import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FIXTURES,
  ROOT,
  followJob,
  getJson,
  repeatCapture,
  snapshot,
  startServer,
  stopServer,
  uploadJobs,
  type JobView,
} from './harness.js';

/**
 * kill -9 of `pcaplens serve` in the middle of an ingest: after a restart on the same data directory the
 * half capture is gone (nothing of it in any table, no job), the captures stored before are exactly as
 * they were, the store opens as it is, the crashed upload's leftovers are swept, and the same file uploaded
 * again is stored whole.
 */
const CORPUS = join(ROOT, '../shared/corpus');

test('kill -9 during an ingest: earlier captures intact, the half one gone, the retry stored', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-crash-'));
  const data = join(dir, 'data');
  // 120 copies of a 1,477-packet capture (69 MB): a few seconds of ingest, well past the first 20,000-row
  // batch (40 copies were read so fast that the first progress past 30,000 frames was sometimes the last)
  const bigPath = join(dir, 'big.pcap');
  const big = repeatCapture(join(CORPUS, 'pcapxray-sample-mixed.pcap'), bigPath, 120);
  let server = await startServer(data);
  try {
    const jobs = await uploadJobs(server.base, [
      { name: 'test3.pcap', data: await readFile(join(FIXTURES, 'seed-pcapviz-project-test3.pcap')) },
      { name: 'retrans.pcap', data: await readFile(join(FIXTURES, 'tcp-retransmissions-http.pcap')) },
    ]);
    const ids: number[] = [];
    for (const j of jobs) {
      const end = await followJob(server.base, j.id);
      assert.equal(end.event, 'done', JSON.stringify(end.data));
      ids.push(end.data.capture_id as number);
    }
    const before = await Promise.all(ids.map((id) => snapshot(server.base, id)));
    assert.ok(((before[0]!.totals as Record<string, number>).flows ?? 0) > 0);

    const [bigJob] = await uploadJobs(server.base, [{ name: 'big.pcap', data: await readFile(bigPath) }]);
    // killed once well into the reading: the first batches of packets and flows are in the open transaction
    const seen = await followJob(server.base, bigJob!.id, (e) => Number(e.data.packets) >= 30_000);
    assert.equal(seen.event, 'progress', `the ingest ended before it could be killed: ${seen.event}`);
    assert.ok(Number(seen.data.packets) < big.packets);
    server.proc.kill('SIGKILL');
    assert.equal((await server.exit).signal, 'SIGKILL');
    // the crash left its upload behind (the next start clears it)
    assert.equal((await readdir(join(data, 'uploads'))).length, 1);

    server = await startServer(data);
    const after = await getJson<{ captures: { id: number }[]; jobs: JobView[] }>(
      server.base,
      '/api/captures',
    );
    assert.deepEqual(after.captures.map((c) => c.id).sort(), [...ids].sort());
    assert.deepEqual(after.jobs, []);
    for (let i = 0; i < ids.length; i++) assert.deepEqual(await snapshot(server.base, ids[i]!), before[i]);
    // no capture id past the stored ones answers (the killed import's id was never committed)
    const next = Math.max(...ids) + 1;
    assert.equal((await fetch(`${server.base}/api/captures/${next}`)).status, 404);
    assert.deepEqual(await readdir(join(data, 'uploads')), []);
    assert.deepEqual(
      (await readdir(join(data, 'captures'))).filter((n) => n.startsWith('.tmp')),
      [],
    );

    // retryable: the same file again is stored whole
    const [again] = await uploadJobs(server.base, [{ name: 'big.pcap', data: await readFile(bigPath) }]);
    const end = await followJob(server.base, again!.id);
    assert.equal(end.event, 'done', JSON.stringify(end.data));
    const stored = (end.data.capture ?? {}) as { packets: number; size: number; status: string };
    assert.equal(stored.packets, big.packets);
    assert.equal(stored.size, big.size);
    assert.equal(stored.status, 'complete');
    for (let i = 0; i < ids.length; i++) assert.deepEqual(await snapshot(server.base, ids[i]!), before[i]);
    assert.ok((await stat(join(data, 'pcaplens.duckdb'))).size > 0);
    assert.equal(await stopServer(server), 0);
  } finally {
    server.proc.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
