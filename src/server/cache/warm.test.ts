import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../engine/ingest.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { authStoreOf } from '../../store/auth-store.js';
import { addUser } from '../auth/accounts.js';
import { buildApp, type App } from '../app.js';
import { multipart } from '../test-support.js';
import { WARM_QUESTIONS, Warmer } from './warm.js';

/**
 * After an upload is ingested the server answers the workspace's first questions by itself: a user's first
 * request is then a response-cache hit (counted, not timed) and the answer equals a cold server's. The
 * captures list is kept between requests, fresh after an upload and a delete, and still filtered per user
 * in team mode.
 */
const FIXTURES = new URL('../../../test/fixtures/', import.meta.url).pathname;
const FILE = 'seed-pcapviz-project-test3.pcap';

let dir: string;
let store: Store;
let warm: App;
let cold: App;

async function upload(a: App, data: Buffer, headers: Record<string, string> = {}): Promise<number> {
  const { body, contentType } = multipart([{ name: FILE, data }]);
  const r = await a.app.inject({
    method: 'POST',
    url: '/api/captures',
    payload: body,
    headers: { 'content-type': contentType, ...headers },
  });
  assert.equal(r.statusCode, 202, r.body);
  const job = r.json().jobs[0].id as string;
  await a.queue.drained();
  const j = await a.app.inject({ method: 'GET', url: `/api/captures/${job}`, headers });
  assert.equal(j.json().job.state, 'done', j.body);
  return j.json().job.capture_id as number;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-warm-'));
  store = await openStore(undefined, dir);
  warm = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: null });
  const saved = process.env.PCAPLENS_RESPONSE_CACHE_MB;
  process.env.PCAPLENS_RESPONSE_CACHE_MB = '0';
  try {
    cold = await buildApp({
      store,
      dataDir: dir,
      ingest: ingestFiles,
      uiDir: null,
      queryCache: false,
      warm: false,
    });
  } finally {
    if (saved === undefined) delete process.env.PCAPLENS_RESPONSE_CACHE_MB;
    else process.env.PCAPLENS_RESPONSE_CACHE_MB = saved;
  }
});

after(async () => {
  await warm.app.close();
  await cold.app.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test('after an upload every warmed question is a cache hit and equals a cold server', async () => {
  const id = await upload(warm, await readFile(join(FIXTURES, FILE)));
  assert.ok(warm.warmer);
  await warm.warmer.idle();
  assert.equal(warm.warmer.failed, 0);
  assert.equal(warm.warmer.asked, WARM_QUESTIONS.length);
  const misses = warm.responses.misses;
  for (const q of WARM_QUESTIONS) {
    const hits = warm.responses.hits;
    const r = await warm.app.inject({ method: 'GET', url: `/api/captures/${id}/${q}` });
    assert.equal(r.statusCode, 200, `${q}: ${r.body}`);
    assert.equal(warm.responses.hits, hits + 1, `${q} answered from the cache`);
    // cached answers may be revalidated by the browser, never kept by a shared cache
    assert.equal(r.headers['cache-control'], 'private, no-cache', q);
    const c = await cold.app.inject({ method: 'GET', url: `/api/captures/${id}/${q}` });
    assert.equal(c.statusCode, 200, `${q}: ${c.body}`);
    assert.deepEqual(r.json(), c.json(), q);
  }
  assert.equal(warm.responses.misses, misses, 'no question computed again');
  // the UI passes limit/offset the API also defaults: both spellings are one question
  const hits = warm.responses.hits;
  const same = await warm.app.inject({ method: 'GET', url: `/api/captures/${id}/top` });
  assert.equal(same.statusCode, 200);
  assert.equal(warm.responses.hits, hits + 1);
  // a revalidation with the ETag is a 304
  const etag = String(same.headers.etag);
  const again = await warm.app.inject({
    method: 'GET',
    url: `/api/captures/${id}/top`,
    headers: { 'if-none-match': etag },
  });
  assert.equal(again.statusCode, 304);
  // everything else under /api is still never stored
  for (const url of ['/api/captures', `/api/captures/${id}`, '/api/health', `/api/captures/${id}/nope`]) {
    const o = await warm.app.inject({ method: 'GET', url });
    assert.equal(o.headers['cache-control'], 'no-store', url);
  }
});

test('the captures list is kept, and fresh after an upload and a delete', async () => {
  const list = async () => {
    const r = await warm.app.inject({ method: 'GET', url: '/api/captures' });
    assert.equal(r.statusCode, 200);
    return (r.json().captures as { id: number }[]).map((c) => c.id);
  };
  const before = await list();
  const reads = warm.captureList.reads;
  assert.deepEqual(await list(), before);
  assert.equal(warm.captureList.reads, reads, 'the second request did not read the store');
  const id = await upload(warm, await readFile(join(FIXTURES, 'pcap-le-nsec-sll-tcp-handshake.pcap')));
  assert.ok(!before.includes(id));
  assert.deepEqual(
    await list(),
    [id, ...before].sort((a, b) => b - a),
    'the new capture is listed',
  );
  await warm.warmer!.idle();
  const del = await warm.app.inject({ method: 'DELETE', url: `/api/captures/${id}` });
  assert.equal(del.statusCode, 204);
  assert.ok(!(await list()).includes(id), 'the deleted capture is gone');
  assert.ok(warm.captureList.reads > reads);
});

test('team mode: the kept list is filtered per user on every request', async () => {
  const tdir = await mkdtemp(join(tmpdir(), 'pcaplens-warm-team-'));
  const tstore = await openStore(undefined, tdir);
  const team = await buildApp({
    store: tstore,
    dataDir: tdir,
    ingest: ingestFiles,
    uiDir: null,
    auth: { secureCookies: 'auto' },
  });
  try {
    const auth = authStoreOf(tstore)!;
    await addUser(auth, 'ann', 'analyst', 'ann-correct-horse');
    await addUser(auth, 'bob', 'analyst', 'bob-battery-staple');
    const login = async (name: string, password: string) => {
      const r = await team.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { name, password },
      });
      assert.equal(r.statusCode, 200, r.body);
      return { cookie: String(r.headers['set-cookie']).split(';')[0]!, csrf: r.json().csrf_token as string };
    };
    const ann = await login('ann', 'ann-correct-horse');
    const bob = await login('bob', 'bob-battery-staple');
    const listAs = async (s: { cookie: string }) => {
      const r = await team.app.inject({ method: 'GET', url: '/api/captures', headers: { cookie: s.cookie } });
      assert.equal(r.statusCode, 200, r.body);
      return (r.json().captures as { id: number }[]).map((c) => c.id);
    };
    assert.deepEqual(await listAs(bob), []);
    const id = await upload(team, await readFile(join(FIXTURES, FILE)), {
      cookie: ann.cookie,
      'x-csrf-token': ann.csrf,
    });
    assert.deepEqual(await listAs(ann), [id]);
    assert.deepEqual(await listAs(bob), [], "bob does not see ann's capture");
    assert.deepEqual(await listAs(ann), [id]);
    // the warmer's own requests pass team mode; users still need their login and access for the answers
    assert.ok(team.warmer);
    await team.warmer.idle();
    assert.equal(team.warmer.failed, 0);
    assert.equal(team.warmer.asked, WARM_QUESTIONS.length);
    const hits = team.responses.hits;
    const asAnn = await team.app.inject({
      method: 'GET',
      url: `/api/captures/${id}/${WARM_QUESTIONS[0]}`,
      headers: { cookie: ann.cookie },
    });
    assert.equal(asAnn.statusCode, 200, asAnn.body);
    assert.equal(team.responses.hits, hits + 1, 'answered from the warmed cache');
    const asBob = await team.app.inject({
      method: 'GET',
      url: `/api/captures/${id}/${WARM_QUESTIONS[0]}`,
      headers: { cookie: bob.cookie },
    });
    assert.equal(asBob.statusCode, 404, 'the cache does not skip the access check');
    const anonymous = await team.app.inject({
      method: 'GET',
      url: `/api/captures/${id}/${WARM_QUESTIONS[0]}`,
    });
    assert.equal(anonymous.statusCode, 401);
    const forged = await team.app.inject({
      method: 'GET',
      url: `/api/captures/${id}/${WARM_QUESTIONS[0]}`,
      headers: { 'x-pcaplens-warm': 'guess' },
    });
    assert.equal(forged.statusCode, 401, 'a guessed warm header is just an anonymous request');
  } finally {
    await team.app.close();
    await tstore.close();
    await rm(tdir, { recursive: true, force: true });
  }
});

test('the warmer asks one question at a time, waits while users are answered, and drops a deleted capture', async () => {
  const asked: string[] = [];
  let busy = 1;
  let inside = 0;
  let most = 0;
  const w = new Warmer({
    questions: ['a', 'b', 'c'],
    busy: () => busy,
    pollMs: 5,
    ask: async (id, q) => {
      inside++;
      most = Math.max(most, inside);
      asked.push(`${id}/${q}`);
      await new Promise((r) => setTimeout(r, 5));
      inside--;
      return 200;
    },
  });
  w.enqueue(1);
  w.enqueue(2);
  w.enqueue(2);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(asked, [], 'nothing asked while users are being answered');
  w.cancel(1);
  busy = 0;
  await w.idle();
  assert.deepEqual(asked, ['2/a', '2/b', '2/c']);
  assert.equal(most, 1);
  assert.equal(w.captures, 1);
});

test('follow stream answers are remembered per flow, direction and limit; an unknown flow stays 404', async () => {
  const id = await upload(warm, await readFile(join(FIXTURES, 'tcp-retransmissions-http.pcap')));
  const url = `/api/captures/${id}/flows/1/stream`;
  const first = await warm.app.inject({ method: 'GET', url });
  assert.equal(first.statusCode, 200, first.body);
  const hits = warm.responses.hits;
  const again = await warm.app.inject({ method: 'GET', url: `${url}?direction=both&max_bytes=${1 << 20}` });
  assert.equal(warm.responses.hits, hits + 1, 'the defaults spelled out are the same question');
  assert.equal(again.body, first.body);
  assert.equal(again.headers['cache-control'], 'private, no-cache');
  const cold1 = await cold.app.inject({ method: 'GET', url });
  assert.deepEqual(first.json(), cold1.json());
  const rev = await warm.app.inject({ method: 'GET', url: `${url}?direction=rev` });
  assert.equal(warm.responses.hits, hits + 1, 'another direction is another question');
  assert.ok(rev.json().chunks.every((c: { direction: string }) => c.direction === 'rev'));
  for (let i = 0; i < 2; i++) {
    const none = await warm.app.inject({ method: 'GET', url: `/api/captures/${id}/flows/99999/stream` });
    assert.equal(none.statusCode, 404);
  }
});
