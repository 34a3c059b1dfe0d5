import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, statfs, writeFile } from 'node:fs/promises';
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
  upload,
  uploadJobs,
} from './harness.js';

/**
 * The data directory on a small tmpfs (needs root to mount; skipped otherwise), filled up on purpose:
 * - room for the upload and its copy but not for the store's commit: the job fails with E_STORE naming
 *   the cause, nothing of it is stored, earlier captures are intact, and the same server stores it once
 *   there is room again;
 * - no room for the upload itself: the request fails with E_IO naming the cause, and leaves no file.
 */
const CORPUS = join(ROOT, '../shared/corpus');

async function avail(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Takes all free space but `leave` bytes. */
async function fill(mnt: string, leave: number): Promise<string> {
  const path = join(mnt, `filler-${Date.now()}`);
  const size = Math.max(0, (await avail(mnt)) - leave);
  if (size > 0) {
    const r = spawnSync('fallocate', ['-l', String(size), path]);
    if (r.status !== 0) await writeFile(path, Buffer.alloc(size));
  }
  return path;
}

test('disk full: a store write failure is a clear E_STORE, nothing half-written, earlier captures intact', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-full-'));
  const mnt = join(dir, 'mnt');
  await mkdir(mnt);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt], { encoding: 'utf8' });
  if (m.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    t.skip(`cannot mount a tmpfs here: ${m.stderr.trim()}`);
    return;
  }
  const data = join(mnt, 'data');
  const bigPath = join(dir, 'big.pcap');
  const big = repeatCapture(join(CORPUS, 'pcapxray-sample-mixed.pcap'), bigPath, 16);
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

    // the upload and the kept copy fit; the store's write at commit does not
    let filler = await fill(mnt, 2 * big.size + 256 * 1024);
    const [job] = await uploadJobs(server.base, [{ name: 'big.pcap', data: await readFile(bigPath) }]);
    const failed = await followJob(server.base, job!.id);
    assert.equal(failed.event, 'failed', JSON.stringify(failed.data));
    const error = failed.data.error as { code: string; message: string };
    assert.equal(error.code, 'E_STORE');
    assert.match(error.message, /No space left on device/);
    const list = await getJson<{ captures: { id: number }[] }>(server.base, '/api/captures');
    assert.deepEqual(list.captures.map((c) => c.id).sort(), [...ids].sort());
    for (let i = 0; i < ids.length; i++) assert.deepEqual(await snapshot(server.base, ids[i]!), before[i]);
    assert.deepEqual(await readdir(join(data, 'uploads')), []);
    // the kept copy is whole (renamed into place only once complete), and reused by the retry
    const kept = (await readdir(join(data, 'captures'))).filter((n) => !ids.includes(Number(n)));
    for (const n of kept) assert.doesNotMatch(n, /^\.tmp/);

    // no room for the upload itself: E_IO with the system's reason, no file left
    await rm(filler);
    filler = await fill(mnt, 0);
    const r = await upload(server.base, [
      { name: 'dhcp.pcap', data: await readFile(join(FIXTURES, 'dhcp-dora.pcap')) },
    ]);
    const body = (await r.json()) as { error: { code: string; message: string } };
    assert.equal(r.status, 500, JSON.stringify(body));
    assert.equal(body.error.code, 'E_IO');
    assert.match(body.error.message, /no space left on device/i);
    assert.deepEqual(await readdir(join(data, 'uploads')), []);

    // room again: the same server (same store instance) stores the capture whole
    await rm(filler);
    const [retry] = await uploadJobs(server.base, [{ name: 'big.pcap', data: await readFile(bigPath) }]);
    const done = await followJob(server.base, retry!.id);
    assert.equal(done.event, 'done', JSON.stringify(done.data));
    assert.equal((done.data.capture as { packets: number }).packets, big.packets);
    assert.equal(await stopServer(server), 0);

    // and the store opens as it is after all that
    server = await startServer(data);
    const reopened = await getJson<{ captures: { id: number }[] }>(server.base, '/api/captures');
    assert.equal(reopened.captures.length, 3);
    for (let i = 0; i < ids.length; i++) assert.deepEqual(await snapshot(server.base, ids[i]!), before[i]);
    assert.ok((await stat(join(data, 'pcaplens.duckdb'))).size > 0);
    assert.equal(await stopServer(server), 0);
  } finally {
    server.proc.kill('SIGKILL');
    await server.exit;
    spawnSync('umount', [mnt]);
    await rm(dir, { recursive: true, force: true });
  }
});
