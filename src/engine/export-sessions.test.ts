/**
 * Export with a filter on another table's fields (dns.query_name, host.name): the sessions with a matching
 * row are exported whole. Checked against tshark's own conversations (udp.stream / ip.addr), in the engine
 * and through the HTTP routes (export-check first, then the download).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../server/app.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { exportToFile } from './export.js';
import { compileFrameFilter, sessionTests } from './frame-filter.js';
import { ingestFiles } from './ingest.js';

const SRC = new URL('../../test/fixtures/seed-pcapviz-project-test3.pcap', import.meta.url).pathname;

function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const tsharkFields = (file: string, display: string | null, ...fields: string[]) =>
  tool('tshark', [
    '-r',
    file,
    ...(display ? ['-Y', display] : []),
    '-T',
    'fields',
    ...fields.flatMap((f) => ['-e', f]),
  ])
    .split('\n')
    .filter(Boolean);

let dir: string;
let store: Store;
let app: FastifyInstance;
let captureId: number;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-export-sessions-'));
  store = await openStore(undefined, dir);
  captureId = (await ingestFiles(store, dir, [SRC])).id;
  ({ app } = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: null }));
});

after(async () => {
  await app?.close();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** tshark's frames of the UDP conversations whose DNS query name matches */
function tsharkDnsSessions(display: string): number[] {
  const streams = [...new Set(tsharkFields(SRC, display, 'udp.stream'))];
  assert.ok(streams.length > 0);
  return tsharkFields(SRC, streams.map((s) => `udp.stream == ${s}`).join(' || '), 'frame.number').map(Number);
}

function frameNumbers(file: string): number {
  return tsharkFields(file, null, 'frame.number').length;
}

test('session tests are found, and without their sets the error says what the field is', () => {
  const tests = sessionTests(
    'dns.query_name contains "google" or (frame.len > 80 and host.name contains "google")',
  );
  assert.deepEqual(
    tests.map((t) => [t.index, t.table]),
    [
      [0, 'dns'],
      [2, 'hosts'],
    ],
  );
  assert.deepEqual(sessionTests('ip.addr == 10.0.0.1 and frame.len > 60'), []);
  assert.throws(
    () => compileFrameFilter('dns.query_name contains "google"'),
    (e: Error & { code?: string }) => e.code === 'E_FILTER' && /field of the dns table/.test(e.message),
  );
  // 'check' validates and accepts; an unknown field is still the parser's error with suggestions
  assert.ok(compileFrameFilter('dns.query_name contains "google"', 'check'));
  assert.throws(
    () => compileFrameFilter('dns.query_nme contains "google"', 'check'),
    (e: Error & { code?: string }) => e.code === 'E_FILTER',
  );
});

test('a DNS field exports the whole sessions that carried a matching query, as tshark sees them', async () => {
  const source = { store, dataDir: dir, captureId };
  const out = join(dir, 'dns.pcap');
  const r = await exportToFile(source, { format: 'pcap', filter: 'dns.query_name contains "google"' }, out);
  const want = tsharkDnsSessions('dns.qry.name contains "google"');
  assert.equal(r.packets, want.length);
  assert.equal(frameNumbers(out), want.length);
  // mixed with a frame test: only the frames of those sessions that are also long enough
  const out2 = join(dir, 'dns-long.pcap');
  const r2 = await exportToFile(
    source,
    { format: 'pcap', filter: 'dns.query_name contains "google" and frame.len > 83' },
    out2,
  );
  const long = new Set(tsharkFields(SRC, 'frame.len > 83', 'frame.number').map(Number));
  assert.equal(r2.packets, want.filter((n) => long.has(n)).length);
  assert.ok(r2.packets > 0 && r2.packets < r.packets);
});

test('a host field exports the sessions touching the matching hosts', async () => {
  const hosts = await app.inject({
    method: 'GET',
    url: `/api/captures/${captureId}/hosts?filter=${encodeURIComponent('host.name contains "google-analytics"')}`,
  });
  const ips = (hosts.json() as { rows: { ip: string }[] }).rows.map((h) => h.ip);
  assert.ok(ips.length > 0, 'a host is named after the DNS answer');
  const out = join(dir, 'host.pcap');
  const r = await exportToFile(
    { store, dataDir: dir, captureId },
    { format: 'pcap', filter: 'host.name contains "google-analytics"' },
    out,
  );
  const want = tsharkFields(SRC, ips.map((ip) => `ip.addr == ${ip}`).join(' || '), 'frame.number');
  assert.equal(r.packets, want.length);
});

test('HTTP: export-check answers before the download; the download has the frames; errors never stream', async () => {
  const f = encodeURIComponent('dns.query_name contains "google"');
  const check = await app.inject({
    method: 'GET',
    url: `/api/captures/${captureId}/export-check?filter=${f}`,
  });
  assert.equal(check.statusCode, 200, check.body);
  assert.deepEqual(check.json(), { ok: true, format: 'pcap', session_tables: ['dns'] });
  const dl = await app.inject({ method: 'GET', url: `/api/captures/${captureId}/export.pcap?filter=${f}` });
  assert.equal(dl.statusCode, 200);
  assert.match(String(dl.headers['content-disposition']), /^attachment;/);
  const out = join(dir, 'http.pcap');
  await writeFile(out, dl.rawPayload);
  assert.equal(frameNumbers(out), tsharkDnsSessions('dns.qry.name contains "google"').length);
  for (const bad of ['dns.query_nme == "x"', 'frame.len >']) {
    const q = encodeURIComponent(bad);
    const c = await app.inject({ method: 'GET', url: `/api/captures/${captureId}/export-check?filter=${q}` });
    assert.equal(c.statusCode, 400, bad);
    assert.equal(c.json().error.code, 'E_FILTER');
    const d = await app.inject({ method: 'GET', url: `/api/captures/${captureId}/export.pcap?filter=${q}` });
    assert.equal(d.statusCode, 400);
    assert.equal(d.headers['content-disposition'], undefined);
  }
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  assert.ok(doc.paths['/api/captures/{id}/export-check']?.get);
});
