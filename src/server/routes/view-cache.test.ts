import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ingestFiles } from '../../engine/ingest.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { buildApp } from '../app.js';

/**
 * The views' and tables' answers come from the response cache after the first time: they must equal what
 * a server that remembers nothing (no response cache, no query cache) computes from the store, for the
 * default and narrower filters, and a deleted capture's answers must go with it.
 */
const CORPUS = new URL('../../../../shared/corpus/', import.meta.url).pathname;
const FILES = ['pcapxray-sample-mixed.pcap', 'http-browsing-bro-org.pcap'];
const GONE = 'dns-many-types.pcap';

let dir: string;
let store: Store;
let cached: FastifyInstance;
let plain: FastifyInstance;
const ids: number[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-viewcache-'));
  store = await openStore(undefined, dir);
  for (const f of FILES) ids.push((await ingestFiles(store, dir, [join(CORPUS, f)])).id);
  ({ app: cached } = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: null }));
  const saved = process.env.PCAPLENS_RESPONSE_CACHE_MB;
  process.env.PCAPLENS_RESPONSE_CACHE_MB = '0';
  try {
    ({ app: plain } = await buildApp({
      store,
      dataDir: dir,
      ingest: ingestFiles,
      uiDir: null,
      queryCache: false,
    }));
  } finally {
    if (saved === undefined) delete process.env.PCAPLENS_RESPONSE_CACHE_MB;
    else process.env.PCAPLENS_RESPONSE_CACHE_MB = saved;
  }
});

after(async () => {
  await cached.close();
  await plain.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const CALLS = [
  'summary',
  'graph?limit=2000',
  'graph?layer=2',
  'graph?layer=4&limit=300',
  'graph?group=subnet',
  'histogram?bins=50',
  'histogram?bins=200&group=app',
  'top?n=10',
  'top?by=peers&direction=sent&n=5',
  'conversations?limit=50',
  'treemap',
  'chord?n=8',
  'geo',
  'parallel?limit=200',
  'flows?limit=100&sort=-bytes',
  'flows?limit=20&offset=20&sort=first_ts',
  'hosts?limit=100&sort=-bytes_sent',
  'dns?limit=50',
  'http?limit=50',
];

async function busiest(id: number): Promise<string> {
  const r = await plain.inject({ method: 'GET', url: `/api/captures/${id}/top?n=1` });
  return (r.json() as { ip: string }[])[0]!.ip;
}

test('cached answers equal uncached ones for several filters, on the first and the repeated call', async () => {
  let compared = 0;
  for (const id of ids) {
    const host = await busiest(id);
    const filters = ['', 'tcp', 'udp', `ip.addr == ${host}`, 'app == "dns"'];
    for (const filter of filters) {
      // a time window too, under the default filter
      for (const time of filter ? [{}] : [{}, { from: '+1s', to: '+30s' }]) {
        for (const call of CALLS) {
          const [path, qs] = call.split('?') as [string, string | undefined];
          const p = new URLSearchParams(qs ?? '');
          if (filter) p.set('filter', filter);
          for (const [k, v] of Object.entries(time)) p.set(k, v);
          const url = `/api/captures/${id}/${path}?${p}`;
          const want = await plain.inject({ method: 'GET', url });
          const first = await cached.inject({ method: 'GET', url });
          const again = await cached.inject({ method: 'GET', url });
          assert.equal(first.statusCode, want.statusCode, url);
          assert.equal(again.statusCode, want.statusCode, url);
          if (want.statusCode !== 200) continue;
          assert.deepEqual(first.json(), want.json(), url);
          assert.equal(again.body, first.body, url);
          assert.equal(again.headers.etag, first.headers.etag, url);
          assert.match(String(again.headers['content-type']), /^application\/json/);
          compared++;
        }
      }
    }
  }
  // most combinations are answerable (some filters name fields a table lacks: 400 both ways)
  assert.ok(compared > 150, `compared ${compared}`);
});

test('a narrow filter narrows the remembered answer (keys are per query)', async () => {
  const id = ids[0]!;
  const all = (await cached.inject({ method: 'GET', url: `/api/captures/${id}/graph` })).json() as {
    edges: unknown[];
  };
  const tcp = (
    await cached.inject({
      method: 'GET',
      url: `/api/captures/${id}/graph?filter=${encodeURIComponent('udp')}`,
    })
  ).json() as { edges: unknown[] };
  assert.ok(all.edges.length > tcp.edges.length, `${all.edges.length} vs ${tcp.edges.length}`);
});

test('If-None-Match with the ETag answers 304 without a body', async () => {
  const url = `/api/captures/${ids[0]}/histogram?bins=100`;
  const r = await cached.inject({ method: 'GET', url });
  const etag = String(r.headers.etag);
  assert.match(etag, /^"[\w-]+"$/);
  const n = await cached.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
  assert.equal(n.statusCode, 304);
  assert.equal(n.body, '');
  const other = await cached.inject({ method: 'GET', url, headers: { 'if-none-match': '"nope"' } });
  assert.equal(other.statusCode, 200);
  assert.equal(other.body, r.body);
});

test('delete forgets: the views of a deleted capture answer 404, a re-import is computed afresh', async () => {
  const id = (await ingestFiles(store, dir, [join(CORPUS, GONE)])).id;
  const urls = ['summary', 'graph', 'histogram', 'dns?limit=10', 'top'].map(
    (c) => `/api/captures/${id}/${c}`,
  );
  const before = new Map<string, string>();
  for (const url of urls) {
    const r = await cached.inject({ method: 'GET', url });
    assert.equal(r.statusCode, 200, url);
    before.set(url, r.body);
  }
  const del = await cached.inject({ method: 'DELETE', url: `/api/captures/${id}` });
  assert.ok(del.statusCode === 200 || del.statusCode === 204, String(del.statusCode));
  for (const url of urls) {
    const r = await cached.inject({ method: 'GET', url });
    assert.equal(r.statusCode, 404, url);
  }
  // the same file again: a new capture, whose answers describe it (its own id), equal to an uncached server's
  const again = (await ingestFiles(store, dir, [join(CORPUS, GONE)])).id;
  assert.notEqual(again, id);
  for (const c of ['summary', 'graph', 'histogram', 'dns?limit=10', 'top']) {
    const url = `/api/captures/${again}/${c}`;
    const r = await cached.inject({ method: 'GET', url });
    const want = await plain.inject({ method: 'GET', url });
    assert.deepEqual(r.json(), want.json(), url);
  }
  const s = (await cached.inject({ method: 'GET', url: `/api/captures/${again}/summary` })).json() as {
    capture: { id: number };
  };
  assert.equal(s.capture.id, again);
});
