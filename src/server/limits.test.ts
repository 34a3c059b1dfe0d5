import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ingestFiles } from '../engine/ingest.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { buildApp, type AppOptions, type IngestFn } from './app.js';
import { multipart } from './test-support.js';

/**
 * Server limits: uploads at once and captures waiting, non-captures refused from their first bytes, slow
 * clients cut, idle connections closed, query sizes bounded, leftovers of a crashed server swept.
 */
const FIXTURE = new URL('../../test/fixtures/tcp-retransmissions-http.pcap', import.meta.url);

let dir: string;
let store: Store;
let pcap: Buffer;
let captureId: number;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-limits-'));
  store = await openStore(undefined, dir);
  pcap = await readFile(FIXTURE);
  captureId = (await ingestFiles(store, dir, [FIXTURE.pathname], { enrichment: false })).id;
});

after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** An ingest that runs until it is cancelled (the queue's own behaviour is under test, not ingest). */
const endless: IngestFn = (_s, _d, _p, o) =>
  new Promise((_resolve, reject) =>
    o.signal?.addEventListener('abort', () => reject(new Error('cancelled'))),
  );

async function serve(opts: Partial<AppOptions> & { dataDir: string }) {
  const built = await buildApp({ store, ingest: ingestFiles, uiDir: null, ...opts });
  const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...built, port: Number(new URL(address).port) };
}

interface RawReply {
  status: number;
  body: string;
}

/**
 * A multipart upload over a plain socket, sent as the test says: the head and the first bytes at once,
 * then whatever `send` is given; the body announces `declared` bytes so the server keeps waiting for more.
 */
function rawUpload(port: number, first: Buffer, declared: number) {
  const boundary = 'xlimitsx';
  const partHead = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.pcap"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const sock: Socket = connect(port, '127.0.0.1');
  sock.write(
    `POST /api/captures HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${declared}\r\n\r\n`,
  );
  sock.write(Buffer.concat([partHead, first]));
  let text = '';
  sock.on('data', (d: Buffer) => (text += d.toString('latin1')));
  const reply = new Promise<RawReply>((resolve) => {
    const done = () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    };
    sock.on('close', done);
    sock.on('error', () => undefined);
  });
  return { sock, reply };
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await check()); i++) await sleep(20);
  assert.ok(await check(), 'condition never met');
}

test('a third upload at once is answered 429 E_LIMIT with Retry-After; the open ones are unharmed', async () => {
  const data = join(dir, 'concurrent');
  const srv = await serve({ dataDir: data, maxConcurrentUploads: 2, ingest: endless });
  try {
    const open = [rawUpload(srv.port, pcap.subarray(0, 1000), 10_000_000)];
    open.push(rawUpload(srv.port, pcap.subarray(0, 1000), 10_000_000));
    // both handlers are receiving once their upload directories exist
    await waitFor(async () => (await readdir(join(data, 'uploads')).catch(() => [])).length === 2);
    const { body, contentType } = multipart([{ name: 'a.pcap', data: pcap }]);
    const busy = await fetch(`http://127.0.0.1:${srv.port}/api/captures`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
    assert.equal(busy.status, 429);
    assert.equal(busy.headers.get('retry-after'), '10');
    const err = ((await busy.json()) as { error: { code: string; message: string } }).error;
    assert.equal(err.code, 'E_LIMIT');
    assert.match(err.message, /at most 2 at once/);
    // the held uploads end: their slots free up and a new upload is taken
    for (const o of open) o.sock.destroy();
    await waitFor(async () => (await readdir(join(data, 'uploads'))).length === 0);
    const ok = await fetch(`http://127.0.0.1:${srv.port}/api/captures`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
    assert.equal(ok.status, 202);
  } finally {
    await srv.app.close();
  }
});

test('an upload beyond the captures waiting for ingest is answered 429 E_LIMIT', async () => {
  const { app, queue } = await buildApp({
    store,
    dataDir: join(dir, 'queued'),
    ingest: endless,
    uiDir: null,
    maxQueuedJobs: 2,
  });
  try {
    const up = (name: string) => {
      const { body, contentType } = multipart([{ name, data: pcap }]);
      return app.inject({
        method: 'POST',
        url: '/api/captures',
        payload: body,
        headers: { 'content-type': contentType },
      });
    };
    assert.equal((await up('1.pcap')).statusCode, 202);
    assert.equal((await up('2.pcap')).statusCode, 202);
    const third = await up('3.pcap');
    assert.equal(third.statusCode, 429);
    assert.equal(third.json().error.code, 'E_LIMIT');
    assert.match(third.json().error.message, /2 captures wait for ingest/);
    assert.equal(queue.active(), 2);
  } finally {
    await app.close();
  }
});

test('a non-capture is refused from its first bytes, before the rest of the body is sent', async () => {
  const data = join(dir, 'early');
  const srv = await serve({ dataDir: data });
  try {
    // 128 KiB of text out of an announced 50 MB: the answer comes while the client still owes the rest
    const { reply } = rawUpload(srv.port, Buffer.alloc(128 * 1024, 'not a capture\n'), 50_000_000);
    const r = await reply;
    assert.equal(r.status, 415, r.body);
    assert.equal(JSON.parse(r.body).error.code, 'E_NOT_CAPTURE');
    assert.deepEqual(await readdir(join(data, 'uploads')), []);
  } finally {
    await srv.app.close();
  }
});

test('a client trickling its upload is cut with 408 E_LIMIT and its partial file removed', async () => {
  const data = join(dir, 'slow');
  const srv = await serve({ dataDir: data, minUploadRate: { bytes: 4096, windowMs: 150 } });
  try {
    const { sock, reply } = rawUpload(srv.port, pcap.subarray(0, 24), 1_000_000);
    // a record header's worth every 40 ms: alive, but far below 4 KiB per 150 ms
    const drip = setInterval(() => sock.write(pcap.subarray(24, 40)), 40);
    const r = await reply.finally(() => clearInterval(drip));
    assert.equal(r.status, 408, r.body);
    assert.equal(JSON.parse(r.body).error.code, 'E_LIMIT');
    assert.deepEqual(await readdir(join(data, 'uploads')), []);
  } finally {
    await srv.app.close();
  }
});

test('an idle connection (half a request line) is closed', { timeout: 20_000 }, async () => {
  const srv = await serve({ dataDir: join(dir, 'idle'), connectionTimeoutMs: 300 });
  try {
    const sock = connect(srv.port, '127.0.0.1');
    sock.on('error', () => undefined);
    sock.write('GET /api/health HTTP/1.1\r\nHost: 127.0');
    await new Promise((resolve) => sock.on('close', resolve));
    assert.ok(sock.destroyed);
  } finally {
    await srv.app.close();
  }
});

test('query sizes are bounded: page size, filter length and nesting, sort keys, graph and list sizes', async () => {
  const { app } = await buildApp({ store, dataDir: join(dir, 'query'), ingest: ingestFiles, uiDir: null });
  try {
    const get = (path: string) => app.inject({ method: 'GET', url: `/api/captures/${captureId}/${path}` });
    const ok = await get('flows?limit=10000');
    assert.equal(ok.statusCode, 200);
    const refused: [string, RegExp, string][] = [
      ['flows?limit=10001', /10000/, 'E_USAGE'],
      ['dns?limit=1000000000', /10000/, 'E_USAGE'],
      [`flows?filter=${encodeURIComponent('tcp or '.repeat(600) + 'tcp')}`, /4096/, 'E_USAGE'],
      [`flows?filter=${'('.repeat(65)}tcp${')'.repeat(65)}`, /nesting deeper than 64/, 'E_FILTER'],
      ['flows?sort=a,b,c,d,e', /at most 4/, 'E_USAGE'],
      [`flows?sort=${'x'.repeat(300)}`, /256/, 'E_USAGE'],
      ['graph?limit=20001', /20000/, 'E_USAGE'],
      [`graph?expand=${'x'.repeat(9000)}`, /8192/, 'E_USAGE'],
      ['top?n=1001', /1000/, 'E_USAGE'],
      ['conversations?limit=10001', /10000/, 'E_USAGE'],
      ['histogram?bins=2001', /2000/, 'E_USAGE'],
    ];
    for (const [path, message, code] of refused) {
      const r = await get(path);
      assert.equal(r.statusCode, 400, `${path.slice(0, 60)}: ${r.body}`);
      assert.equal(r.json().error.code, code, path.slice(0, 60));
      assert.match(r.json().error.message, message, path.slice(0, 60));
    }
  } finally {
    await app.close();
  }
});

test('a URL longer than the header limit is refused (431) without reaching a route', async () => {
  const srv = await serve({ dataDir: join(dir, 'url') });
  try {
    const r = await fetch(
      `http://127.0.0.1:${srv.port}/api/captures/${captureId}/flows?filter=${'x'.repeat(20_000)}`,
    );
    assert.equal(r.status, 431);
  } finally {
    await srv.app.close();
  }
});

test('start-up sweeps what dead processes left (uploads, partial copies), not what live ones hold', async () => {
  const data = join(dir, 'sweep');
  // a pid that certainly ran and ended, and one that runs (our parent)
  const dead = spawnSync(process.execPath, [
    '-e',
    'process.stdout.write(String(process.pid))',
  ]).stdout.toString();
  const live = process.ppid;
  for (const d of [`${dead}-a`, `${live}-b`, 'legacy-uuid'])
    await mkdir(join(data, 'uploads', d), { recursive: true });
  await writeFile(join(data, 'uploads', `${dead}-a`, 'x.pcap'), pcap);
  await mkdir(join(data, 'captures'), { recursive: true });
  await writeFile(join(data, 'captures', `.tmp-${dead}-0a0b`), pcap.subarray(0, 100));
  await writeFile(join(data, 'captures', `.tmp-${live}-0c0d`), pcap.subarray(0, 100));
  const { app } = await buildApp({ store, dataDir: data, ingest: ingestFiles, uiDir: null });
  await app.close();
  assert.deepEqual(await readdir(join(data, 'uploads')), [`${live}-b`]);
  assert.deepEqual(await readdir(join(data, 'captures')), [`.tmp-${live}-0c0d`]);
});
