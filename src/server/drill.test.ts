import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { followStream } from '../engine/follow-stream.js';
import { ingestFiles } from '../engine/ingest.js';
import { packetDetail } from '../engine/packet-detail.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { hostileCapture } from '../../test/hostile/hostile-capture.js';
import { buildApp } from './app.js';
import { contentDisposition } from './routes/downloads.js';

/** Drill-down routes against the engine run directly on the same files, and against tshark/capinfos. */
const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;
const BRO = join(CORPUS, 'http-browsing-bro-org.pcap');
const ISO = join(CORPUS, 'http-iso-file-download.pcap');
const TWO_LINKS = join(CORPUS, 'pcapng-le-comments-two-linktypes.pcapng');

let dir: string;
let store: Store;
let app: FastifyInstance;
const ids: Record<string, number> = {};
let hostilePath: string;

function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-drill-'));
  store = await openStore(undefined, dir);
  ({ app } = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: null }));
  hostilePath = join(dir, 'hostile.pcap');
  await writeFile(hostilePath, hostileCapture());
  for (const [k, p] of Object.entries({ bro: BRO, iso: ISO, two: TWO_LINKS, hostile: hostilePath }))
    ids[k] = (await ingestFiles(store, dir, [p])).id;
});

after(async () => {
  await app.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ method: 'GET', url });

test('packet detail: the layer tree and hex of a frame, as the engine decodes it from the file', async () => {
  for (const n of [1, 58, 751]) {
    const r = await get(`/api/captures/${ids.bro}/packets/${n}`);
    assert.equal(r.statusCode, 200, r.body);
    const got = r.json();
    const want = await packetDetail({ paths: [BRO] }, n);
    assert.deepEqual(got.layers, JSON.parse(JSON.stringify(want.layers)));
    assert.equal(got.bytes, want.bytes);
    assert.equal(got.bytes.length, got.caplen * 2);
    assert.equal(typeof got.flow_id, 'number');
  }
  // frame 58 is the first GET of the capture (tshark: frame 58 is "GET /js/jquery.cycle.all.min.js")
  const d = (await get(`/api/captures/${ids.bro}/packets/58`)).json();
  assert.deepEqual(d.layers.map((l: { protocol: string }) => l.protocol).slice(0, 3), ['eth', 'ipv4', 'tcp']);
  const bad = await get(`/api/captures/${ids.bro}/packets/100000`);
  assert.equal(bad.statusCode, 404);
  assert.equal(bad.json().error.code, 'E_NOT_FOUND');
  assert.equal((await get(`/api/captures/${ids.bro}/packets/0`)).statusCode, 400);
});

test('follow stream: chunks equal the engine, each direction alone, base64 payload, cut at max_bytes', async () => {
  const src = { store, dataDir: dir, captureId: ids.bro! };
  const want = await followStream(src, 3, { maxBytes: 1 << 20 });
  const r = await get(`/api/captures/${ids.bro}/flows/3/stream`);
  assert.equal(r.statusCode, 200, r.body);
  const got = r.json();
  assert.equal(got.chunks.length, want.length);
  got.chunks.forEach((c: { data: string; direction: string; packet: number }, i: number) => {
    assert.deepEqual(new Uint8Array(Buffer.from(c.data, 'base64')), want[i]!.bytes);
    assert.equal(c.direction, want[i]!.direction);
    assert.equal(c.packet, want[i]!.packet);
  });
  assert.match(Buffer.from(got.chunks[0].data, 'base64').toString('latin1'), /^GET \//);
  const rev = (await get(`/api/captures/${ids.bro}/flows/3/stream?direction=rev`)).json();
  assert.ok(rev.chunks.length > 0 && rev.chunks.every((c: { direction: string }) => c.direction === 'rev'));
  const cut = (await get(`/api/captures/${ids.bro}/flows/3/stream?max_bytes=100`)).json();
  assert.equal(cut.bytes, 100);
  assert.equal(cut.truncated, true);
  assert.equal((await get(`/api/captures/${ids.bro}/flows/9999/stream`)).statusCode, 404);
  assert.equal((await get(`/api/captures/${ids.bro}/flows/3/stream?direction=up`)).statusCode, 400);
});

test('file download: the bytes of the transfer (SHA-256 of the row), an attachment never sniffed', async () => {
  const page = (await get(`/api/captures/${ids.iso}/files`)).json();
  assert.equal(page.rows.length, 1);
  const row = page.rows[0];
  const r = await get(`/api/captures/${ids.iso}/files/${row.file_id}`);
  assert.equal(r.statusCode, 200);
  assert.equal(r.rawPayload.length, row.size);
  assert.equal(createHash('sha256').update(r.rawPayload).digest('hex'), row.sha256);
  assert.equal(r.headers['content-type'], 'application/octet-stream');
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.match(String(r.headers['content-disposition']), /^attachment; filename="myiso\.iso"/);
  assert.match(String(r.headers['content-security-policy']), /sandbox/);
  assert.equal((await get(`/api/captures/${ids.iso}/files/1-999`)).statusCode, 404);
  assert.equal((await get(`/api/captures/${ids.iso}/files/..%2f1`)).statusCode, 400);
});

test('file download: hostile names from the capture become safe attachment names', async () => {
  const page = (await get(`/api/captures/${ids.hostile}/files?limit=100`)).json();
  assert.ok(page.rows.length >= 2, 'the hostile capture carries files');
  for (const row of page.rows) {
    const r = await get(`/api/captures/${ids.hostile}/files/${row.file_id}`);
    assert.equal(r.statusCode, 200, `${row.file_id}: ${r.body}`);
    const cd = String(r.headers['content-disposition']);
    const ascii = /filename="([^"]*)"/.exec(cd)?.[1];
    assert.ok(ascii, cd);
    assert.doesNotMatch(ascii, /[/\\<>:]|^\.|\.\./, cd);

    assert.doesNotMatch(cd, /[\x00-\x1f\x7f]/);
    assert.equal(r.headers['content-type'], 'application/octet-stream');
  }
  assert.equal(
    contentDisposition('a"b;c\u00e9.txt'),
    `attachment; filename="a_b_c_.txt"; filename*=UTF-8''a%22b%3Bc%C3%A9.txt`,
  );
});

test('pcap export: the frames tshark selects with the same filter and window, streamed', async () => {
  const r = await get(
    `/api/captures/${ids.bro}/export.pcap?filter=${encodeURIComponent('tcp.port == 80')}&from=%2B1s`,
  );
  assert.equal(r.statusCode, 200, r.body);
  assert.match(
    String(r.headers['content-disposition']),
    /^attachment; filename="http-browsing-bro-org-export\.pcap"/,
  );
  const out = join(dir, 'out.pcap');
  await writeFile(out, r.rawPayload);
  const got = Number(/Number of packets:\s+(\d+)/.exec(tool('capinfos', ['-c', out]))?.[1]);
  const want = tool('tshark', [
    '-r',
    BRO,
    '-Y',
    'tcp.port == 80 && frame.time_relative >= 1',
    '-T',
    'fields',
    '-e',
    'frame.number',
  ])
    .trim()
    .split('\n').length;
  assert.equal(got, want);
  const bad = await get(`/api/captures/${ids.bro}/export.pcap?filter=nope.field`);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'E_FILTER');
  // two link types fit pcapng only
  assert.equal((await get(`/api/captures/${ids.two}/export.pcap`)).statusCode, 400);
  const ng = await get(`/api/captures/${ids.two}/export.pcapng`);
  assert.equal(ng.statusCode, 200);
  await writeFile(out, ng.rawPayload);
  assert.match(tool('capinfos', ['-c', out]), /Number of packets:\s+\d+/);
});

test('the drill-down routes are in the OpenAPI document', async () => {
  const doc = (await get('/api/openapi.json')).json();
  for (const p of [
    '/api/captures/{id}/packets/{n}',
    '/api/captures/{id}/flows/{flowId}/stream',
    '/api/captures/{id}/files/{fileId}',
    '/api/captures/{id}/export.pcap',
    '/api/captures/{id}/export.pcapng',
  ])
    assert.ok(doc.paths[p]?.get, p);
});
