import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { ingestFiles } from '../engine/ingest.js';
import { compileFilter, tableFields } from '../shared/filter/index.js';
import type { CaptureRow } from '../shared/store-rows.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';
import type { IngestQueue } from './jobs.js';
import { multipart } from './test-support.js';

const FIXTURE = new URL('../../test/fixtures/seed-pcapviz-project-test3.pcap', import.meta.url);

let dir: string;
let store: Store;
let app: FastifyInstance;
let queue: IngestQueue;
let capture: CaptureRow;
let pcap: Buffer;

async function upload(
  files: { name: string; data: Uint8Array }[],
  fields: Record<string, string> = {},
  a = app,
) {
  const { body, contentType } = multipart(files, fields);
  return a.inject({
    method: 'POST',
    url: '/api/captures',
    payload: body,
    headers: { 'content-type': contentType },
  });
}

async function waitJob(id: string): Promise<{ state: string; capture_id: number | null; error: unknown }> {
  await queue.drained();
  const r = await app.inject({ method: 'GET', url: `/api/captures/${id}` });
  return r.json().job;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-server-'));
  store = await openStore(undefined, dir);
  ({ app, queue } = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: null }));
  pcap = await readFile(FIXTURE);
  const r = await upload([{ name: 'test3.pcap', data: pcap }]);
  assert.equal(r.statusCode, 202, r.body);
  const job = await waitJob(r.json().jobs[0].id);
  assert.equal(job.state, 'done', JSON.stringify(job));
  capture = (await store.getCapture(job.capture_id!))!;
});

after(async () => {
  await app.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test('upload: the capture is stored with its packets, and the upload directory is emptied', async () => {
  assert.equal(capture.name, 'test3.pcap');
  assert.equal(capture.packets, 259); // capinfos -c
  const list = (await app.inject({ method: 'GET', url: '/api/captures' })).json();
  assert.ok(list.captures.some((c: CaptureRow) => c.id === capture.id));
  assert.deepEqual(await readdir(join(dir, 'uploads')), []);
});

test('tables return what the store returns, with filter, sort and paging', async () => {
  const url = `/api/captures/${capture.id}/flows?filter=${encodeURIComponent('tcp')}&sort=-bytes&limit=5&offset=1`;
  const r = await app.inject({ method: 'GET', url });
  assert.equal(r.statusCode, 200, r.body);
  const want = await store.page('flows', {
    captureId: capture.id,
    filter: compileFilter('tcp', 'flows', tableFields('flows')),
    sort: [{ column: 'bytes', desc: true }],
    limit: 5,
    offset: 1,
  });
  assert.deepEqual(r.json(), JSON.parse(JSON.stringify(want)));
  assert.ok(want.total > 0 && want.rows.length === 5);
  for (const t of ['hosts', 'dns', 'http', 'tls', 'dhcp', 'credentials', 'files', 'alerts', 'packets']) {
    const p = await app.inject({ method: 'GET', url: `/api/captures/${capture.id}/${t}?limit=3` });
    assert.equal(p.statusCode, 200, `${t}: ${p.body}`);
    assert.equal(p.json().total, await store.countRows(t as 'hosts', { captureId: capture.id }), t);
  }
});

test('aggregations agree with the store: graph, histogram, top talkers, conversations, summary', async () => {
  const id = capture.id;
  const graph = (await app.inject({ method: 'GET', url: `/api/captures/${id}/graph?layer=3` })).json();
  const edges = await store.graphEdges({ captureId: id, layer: 3, limit: 2000 });
  const ends = new Set(edges.flatMap((e) => [e.src, e.dst]));
  assert.equal(graph.edges.length, edges.length);
  assert.equal(graph.nodes.length, ends.size);
  assert.ok(graph.nodes.length > 2);

  const h = (await app.inject({ method: 'GET', url: `/api/captures/${id}/histogram?group=none` })).json();
  const packets = h.buckets.reduce((s: number, b: { packets: number }) => s + b.packets, 0);
  assert.equal(packets, capture.packets);

  const top = (await app.inject({ method: 'GET', url: `/api/captures/${id}/top?n=3` })).json();
  assert.deepEqual(top, await store.topTalkers({ captureId: id, by: 'bytes', direction: 'both', n: 3 }));

  const conv = (await app.inject({ method: 'GET', url: `/api/captures/${id}/conversations?limit=5` })).json();
  const wantConv = await store.conversations({
    captureId: id,
    layer: 3,
    sort: { column: 'bytes', desc: true },
    limit: 5,
  });
  assert.deepEqual(conv, JSON.parse(JSON.stringify(wantConv)));

  const sum = (await app.inject({ method: 'GET', url: `/api/captures/${id}/summary` })).json();
  assert.equal(sum.counts.flows, await store.countRows('flows', { captureId: id }));
  const appPackets = sum.apps.reduce((s: number, a: { packets: number }) => s + a.packets, 0);
  assert.equal(appPackets, capture.packets);

  const tree = (await app.inject({ method: 'GET', url: `/api/captures/${id}/treemap` })).json();
  assert.ok(tree.value > 0 && tree.children.length > 0);
  const chord = (await app.inject({ method: 'GET', url: `/api/captures/${id}/chord?n=4` })).json();
  assert.equal(chord.matrix.length, chord.labels.length);
  const par = (await app.inject({ method: 'GET', url: `/api/captures/${id}/parallel?limit=10` })).json();
  assert.equal(par.total, await store.countRows('flows', { captureId: id }));
});

test('a filter narrows the graph to the filtered flows', async () => {
  const id = capture.id;
  const top = await store.topTalkers({ captureId: id, by: 'bytes', n: 1 });
  const ip = top[0]!.ip;
  const f = `ip.addr == ${ip}`;
  const graph = (
    await app.inject({ method: 'GET', url: `/api/captures/${id}/graph?filter=${encodeURIComponent(f)}` })
  ).json();
  assert.ok(graph.edges.length > 0);
  for (const e of graph.edges) assert.ok(e.src === ip || e.dst === ip, JSON.stringify(e));
});

test('filter errors are E_FILTER with the position; bad ids E_NOT_FOUND; bad sort E_USAGE', async () => {
  const r = await app.inject({
    method: 'GET',
    url: `/api/captures/${capture.id}/flows?filter=${encodeURIComponent('ip.adr == 1.2.3.4')}`,
  });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().error.code, 'E_FILTER');
  assert.equal(r.json().error.pos, 0);
  assert.ok(r.json().error.suggestions.includes('ip.addr'));
  const g = await app.inject({
    method: 'GET',
    url: `/api/captures/${capture.id}/graph?filter=${encodeURIComponent('tcp.port ==')}`,
  });
  assert.equal(g.json().error.code, 'E_FILTER');
  assert.equal(
    (await app.inject({ method: 'GET', url: '/api/captures/999999/flows' })).json().error.code,
    'E_NOT_FOUND',
  );
  assert.equal(
    (await app.inject({ method: 'GET', url: `/api/captures/${capture.id}/nope` })).statusCode,
    404,
  );
  const s = await app.inject({ method: 'GET', url: `/api/captures/${capture.id}/flows?sort=nope` });
  assert.equal(s.json().error.code, 'E_USAGE');
});

test('a file that is not a capture is refused with E_NOT_CAPTURE and nothing is stored', async () => {
  const before = (await store.listCaptures()).length;
  const r = await upload([{ name: 'notes.txt', data: Buffer.from('hello, this is not a pcap\n') }]);
  assert.equal(r.statusCode, 415);
  assert.equal(r.json().error.code, 'E_NOT_CAPTURE');
  assert.equal((await store.listCaptures()).length, before);
  assert.deepEqual(await readdir(join(dir, 'uploads')), []);
});

test('gzip of a capture is accepted and ingested', async () => {
  const r = await upload([{ name: 'test3.pcap.gz', data: gzipSync(pcap) }]);
  assert.equal(r.statusCode, 202, r.body);
  const job = await waitJob(r.json().jobs[0].id);
  assert.equal(job.state, 'done', JSON.stringify(job));
  const c = await store.getCapture(job.capture_id!);
  assert.equal(c?.packets, 259);
  assert.match(c!.format, /gzip/);
});

test('the upload size limit answers E_LIMIT', async () => {
  const small = await buildApp({
    store,
    dataDir: dir,
    ingest: ingestFiles,
    uiDir: null,
    maxUploadBytes: 1000,
  });
  try {
    const r = await upload([{ name: 'big.pcap', data: pcap }], {}, small.app);
    assert.equal(r.statusCode, 413, r.body);
    assert.equal(r.json().error.code, 'E_LIMIT');
  } finally {
    await small.app.close();
  }
});

test('security headers, DNS-rebinding guard, cross-origin POST refused, OpenAPI document', async () => {
  const r = await app.inject({ method: 'GET', url: '/api/health' });
  assert.match(String(r.headers['content-security-policy']), /script-src 'self'(;|$)/);
  assert.doesNotMatch(String(r.headers['content-security-policy']), /script-src[^;]*unsafe-inline/);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['x-frame-options'], 'DENY');
  const evil = await app.inject({
    method: 'GET',
    url: '/api/captures',
    headers: { host: 'evil.example:5000' },
  });
  assert.equal(evil.statusCode, 400);
  const { body, contentType } = multipart([{ name: 'a.pcap', data: pcap }]);
  const cross = await app.inject({
    method: 'POST',
    url: '/api/captures',
    payload: body,
    headers: { 'content-type': contentType, origin: 'http://evil.example', host: 'localhost:80' },
  });
  assert.equal(cross.statusCode, 400);
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  assert.equal(doc.openapi, '3.1.0');
  for (const p of [
    '/api/captures',
    '/api/captures/{id}/events',
    '/api/captures/{id}/flows',
    '/api/captures/{id}/graph',
  ]) {
    assert.ok(doc.paths[p], p);
  }
});

test('delete removes a capture; cancelling an ended job is E_EXISTS', async () => {
  // other content than the shared capture: an identical file would return that capture (re-import detection)
  const other = await readFile(new URL('../../test/fixtures/tcp-retransmissions-http.pcap', import.meta.url));
  const r = await upload([{ name: 'doomed.pcap', data: other }]);
  const jobId = r.json().jobs[0].id;
  const job = await waitJob(jobId);
  const del = await app.inject({ method: 'DELETE', url: `/api/captures/${job.capture_id}` });
  assert.equal(del.statusCode, 204);
  assert.equal((await app.inject({ method: 'GET', url: `/api/captures/${job.capture_id}` })).statusCode, 404);
  const cancel = await app.inject({ method: 'POST', url: `/api/captures/${jobId}/cancel` });
  assert.equal(cancel.json().error.code, 'E_EXISTS');
});
