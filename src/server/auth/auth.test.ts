import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ingestFiles } from '../../engine/ingest.js';
import { authStoreOf, type AuthStore } from '../../store/auth-store.js';
import { openStore } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { buildApp } from '../app.js';
import type { IngestQueue } from '../jobs.js';
import { multipart } from '../test-support.js';
import { addUser, createToken } from './accounts.js';
import { verifyPassword } from './password.js';

/** Team mode end to end through inject(): login, cookies, CSRF, tokens, ownership and sharing, restart. */
const FIXTURE = new URL('../../../test/fixtures/seed-pcapviz-project-test3.pcap', import.meta.url);
const ANN_PW = 'ann-correct-horse';
const BOB_PW = 'bob-battery-staple';

let dir: string;
let store: Store;
let auth: AuthStore;
let app: FastifyInstance;
let queue: IngestQueue;
let pcap: Buffer;

interface Login {
  cookie: string;
  csrf: string;
  setCookie: string;
}

async function start() {
  store = await openStore(undefined, dir);
  auth = authStoreOf(store)!;
  ({ app, queue } = await buildApp({
    store,
    dataDir: dir,
    ingest: ingestFiles,
    uiDir: null,
    auth: { secureCookies: 'auto' },
  }));
}

async function stop() {
  await app.close();
  await store.close();
}

async function login(name: string, password: string): Promise<Login> {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name, password } });
  assert.equal(r.statusCode, 200, r.body);
  const setCookie = String(r.headers['set-cookie']);
  return { cookie: setCookie.split(';')[0]!, csrf: r.json().csrf_token, setCookie };
}

function uploadBody() {
  return multipart([{ name: 'test3.pcap', data: pcap }]);
}

/** Uploads as the given session (with its CSRF token) and waits for the stored capture id. */
async function uploadAs(s: Login): Promise<{ captureId: number; jobId: string }> {
  const { body, contentType } = uploadBody();
  const r = await app.inject({
    method: 'POST',
    url: '/api/captures',
    payload: body,
    headers: { 'content-type': contentType, cookie: s.cookie, 'x-csrf-token': s.csrf },
  });
  assert.equal(r.statusCode, 202, r.body);
  const jobId = r.json().jobs[0].id as string;
  await queue.drained();
  const j = await app.inject({ method: 'GET', url: `/api/captures/${jobId}`, headers: { cookie: s.cookie } });
  assert.equal(j.statusCode, 200, j.body);
  assert.equal(j.json().job.state, 'done', j.body);
  return { captureId: j.json().job.capture_id, jobId };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-auth-'));
  pcap = await readFile(FIXTURE);
  await start();
  await addUser(auth, 'ann', 'analyst', ANN_PW);
  await addUser(auth, 'bob', 'analyst', BOB_PW);
  await addUser(auth, 'root', 'admin', 'root-admin-password');
});

after(async () => {
  await stop();
  await rm(dir, { recursive: true, force: true });
});

test('without a login every API route answers 401; health and login stay open', async () => {
  for (const url of [
    '/api/captures',
    '/api/captures/1',
    '/api/captures/1/flows',
    '/api/auth/me',
    '/api/openapi.json',
  ]) {
    const r = await app.inject({ method: 'GET', url });
    assert.equal(r.statusCode, 401, url);
    assert.equal(r.json().error.code, 'E_USAGE');
  }
  const { body, contentType } = uploadBody();
  const up = await app.inject({
    method: 'POST',
    url: '/api/captures',
    payload: body,
    headers: { 'content-type': contentType },
  });
  assert.equal(up.statusCode, 401);
  assert.equal((await app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200);
  const bad = await app.inject({
    method: 'GET',
    url: '/api/captures',
    headers: { cookie: 'pcaplens_session=not-a-session' },
  });
  assert.equal(bad.statusCode, 401);
});

test('login: a wrong password or unknown user is 401, the right one sets an HttpOnly SameSite=Strict cookie', async () => {
  for (const payload of [
    { name: 'ann', password: 'wrong-password!' },
    { name: 'nobody', password: ANN_PW },
  ]) {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload });
    assert.equal(r.statusCode, 401);
    assert.equal(r.headers['set-cookie'], undefined);
  }
  const s = await login('ann', ANN_PW);
  assert.match(s.setCookie, /^pcaplens_session=[A-Za-z0-9_-]{43}; /);
  assert.match(s.setCookie, /; HttpOnly/);
  assert.match(s.setCookie, /; SameSite=Strict/);
  assert.match(s.setCookie, /; Path=\//);
  assert.doesNotMatch(s.setCookie, /Secure/, 'plain HTTP on loopback: not Secure (auto)');
  const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
  assert.equal(me.statusCode, 200);
  assert.deepEqual(me.json(), {
    user: { id: me.json().user.id, name: 'ann', role: 'analyst' },
    via: 'session',
    csrf_token: s.csrf,
  });
  // behind a proxy that says https (trustProxy off here: the header is not believed)
  const r = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { name: 'ann', password: ANN_PW },
    headers: { 'x-forwarded-proto': 'https' },
  });
  assert.doesNotMatch(String(r.headers['set-cookie']), /Secure/);
});

test('a cookie-authenticated POST needs the CSRF token and a same-origin Referer', async () => {
  const s = await login('ann', ANN_PW);
  const { body, contentType } = uploadBody();
  const post = (headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/api/captures',
      payload: body,
      headers: { 'content-type': contentType, cookie: s.cookie, ...headers },
    });
  const none = await post({});
  assert.equal(none.statusCode, 403);
  assert.match(none.json().error.message, /CSRF/);
  assert.equal((await post({ 'x-csrf-token': 'x'.repeat(43) })).statusCode, 403);
  const other = await login('bob', BOB_PW);
  assert.equal((await post({ 'x-csrf-token': other.csrf })).statusCode, 403, "another session's token");
  const crossRef = await post({ 'x-csrf-token': s.csrf, referer: 'https://evil.example/page' });
  assert.equal(crossRef.statusCode, 403);
  const crossOrigin = await post({ 'x-csrf-token': s.csrf, origin: 'https://evil.example' });
  assert.equal(crossOrigin.statusCode, 400); // the server-wide Origin check answers first
  const ok = await post({ 'x-csrf-token': s.csrf, origin: 'http://localhost:5000', host: 'localhost:5000' });
  assert.equal(ok.statusCode, 202, ok.body);
  await queue.drained();
  // logout needs it too, and ends the session on the server
  assert.equal(
    (await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } })).statusCode,
    403,
  );
  const out = await app.inject({
    method: 'POST',
    url: '/api/auth/logout',
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
  });
  assert.equal(out.statusCode, 204);
  assert.match(String(out.headers['set-cookie']), /^pcaplens_session=; .*Max-Age=0/);
  assert.equal(
    (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode,
    401,
  );
});

test('an API token works without CSRF; a revoked one is refused', async () => {
  const { token, row } = await createToken(auth, 'bob', 'script');
  assert.match(token, /^plk_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(row.token_sha256, token);
  const headers = { authorization: `Bearer ${token}` };
  const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().user.name, 'bob');
  assert.equal(me.json().via, 'token');
  const { body, contentType } = uploadBody();
  const up = await app.inject({
    method: 'POST',
    url: '/api/captures',
    payload: body,
    headers: { ...headers, 'content-type': contentType },
  });
  assert.equal(up.statusCode, 202, up.body);
  await queue.drained();
  assert.equal(await auth.deleteToken(row.id), true);
  const gone = await app.inject({ method: 'GET', url: '/api/captures', headers });
  assert.equal(gone.statusCode, 401);
  assert.match(gone.json().error.message, /revoked/);
  const bogus = await app.inject({
    method: 'GET',
    url: '/api/captures',
    headers: { authorization: 'Bearer plk_nope' },
  });
  assert.equal(bogus.statusCode, 401);
});

test("user B cannot list, read, query or delete user A's capture until A shares it", async () => {
  const a = await login('ann', ANN_PW);
  const b = await login('bob', BOB_PW);
  // a capture only ann has: the fixture is known to the store already (earlier uploads), so build another
  const mine = await uploadAs(a);
  const access = await auth.captureAccess(mine.captureId);
  assert.ok(access.owner_id === (await auth.userByName('ann'))!.id || access.shared_with.length > 0);
  // a fresh capture owned by ann alone
  const cap = await store.importCapture(
    { name: 'ann-only.pcap', sha256: 'a1'.repeat(32), size: 1, format: 'pcap', link_types: [1] },
    async () => ({ packets: 0, bytes: 0, first_ts: null, last_ts: null }),
  );
  await auth.claimCapture(cap.id, (await auth.userByName('ann'))!.id);
  const as = (s: Login, method: 'GET' | 'DELETE' | 'POST', url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) },
      ...(payload ? { payload } : {}),
    });
  const ids = async (s: Login) =>
    ((await as(s, 'GET', '/api/captures')).json().captures as { id: number }[]).map((c) => c.id);

  assert.ok((await ids(a)).includes(cap.id));
  assert.ok(!(await ids(b)).includes(cap.id));
  for (const url of [
    `/api/captures/${cap.id}`,
    `/api/captures/${cap.id}/flows`,
    `/api/captures/${cap.id}/shares`,
  ]) {
    const r = await as(b, 'GET', url);
    assert.equal(r.statusCode, 404, url);
    assert.equal(r.json().error.message, `no capture ${cap.id}`, 'the same answer as a missing capture');
  }
  assert.equal((await as(b, 'DELETE', `/api/captures/${cap.id}`)).statusCode, 404);
  assert.equal((await as(b, 'POST', `/api/captures/${cap.id}/shares`, { user: 'bob' })).statusCode, 404);
  // ann's upload job is hers too
  assert.equal((await as(b, 'GET', `/api/captures/${mine.jobId}`)).statusCode, 404);
  assert.ok(
    !((await as(b, 'GET', '/api/captures')).json().jobs as { id: string }[]).some((j) => j.id === mine.jobId),
  );

  assert.equal((await as(a, 'POST', `/api/captures/${cap.id}/shares`, { user: 'bob' })).statusCode, 204);
  assert.deepEqual((await as(a, 'GET', `/api/captures/${cap.id}/shares`)).json(), {
    owner: 'ann',
    public: false,
    shared_with: ['bob'],
  });
  assert.ok((await ids(b)).includes(cap.id));
  assert.equal((await as(b, 'GET', `/api/captures/${cap.id}`)).json().name, 'ann-only.pcap');
  assert.equal((await as(b, 'GET', `/api/captures/${cap.id}/flows`)).statusCode, 200);
  assert.equal((await as(b, 'DELETE', `/api/captures/${cap.id}`)).statusCode, 403, 'shared is read-only');
  assert.equal((await as(b, 'DELETE', `/api/captures/${cap.id}/shares/bob`)).statusCode, 403);

  assert.equal((await as(a, 'DELETE', `/api/captures/${cap.id}/shares/bob`)).statusCode, 204);
  assert.equal((await as(b, 'GET', `/api/captures/${cap.id}`)).statusCode, 404);
  assert.equal((await as(a, 'POST', `/api/captures/${cap.id}/shares`, { public: true })).statusCode, 204);
  assert.ok((await ids(b)).includes(cap.id));
  assert.equal((await as(a, 'POST', `/api/captures/${cap.id}/shares`, { public: 'yes' })).statusCode, 400);
  assert.equal((await as(a, 'POST', `/api/captures/${cap.id}/shares`, { user: 'nobody' })).statusCode, 404);

  // the admin sees and may delete everything
  const root = await login('root', 'root-admin-password');
  assert.ok((await ids(root)).includes(cap.id));
  assert.equal((await as(root, 'DELETE', `/api/captures/${cap.id}`)).statusCode, 204);
  assert.equal((await as(a, 'GET', `/api/captures/${cap.id}`)).statusCode, 404);
});

test('uploading bytes someone else already stored shares that capture with the uploader', async () => {
  const a = await login('ann', ANN_PW);
  const b = await login('bob', BOB_PW);
  const first = await uploadAs(a);
  const again = await uploadAs(b);
  assert.equal(again.captureId, first.captureId);
  const acc = await auth.captureAccess(first.captureId);
  const bob = (await auth.userByName('bob'))!.id;
  assert.ok(acc.owner_id === bob || acc.shared_with.includes(bob));
});

test('the stored password hash is not the password and verifies only the password', async () => {
  const u = (await auth.userByName('ann'))!;
  assert.ok(!u.password_hash.includes(ANN_PW));
  assert.match(u.password_hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.equal(await verifyPassword(ANN_PW, u.password_hash), true);
  assert.equal(await verifyPassword(ANN_PW + ' ', u.password_hash), false);
  const other = (await auth.userByName('bob'))!;
  assert.notEqual(u.password_hash.split('$')[4], other.password_hash.split('$')[4], 'salts differ');
});

test('a session survives a server restart on the same data directory', async () => {
  const s = await login('bob', BOB_PW);
  await stop();
  await start();
  const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
  assert.equal(me.statusCode, 200, me.body);
  assert.equal(me.json().user.name, 'bob');
  assert.equal(me.json().csrf_token, s.csrf);
});

test('the OpenAPI document lists the team mode endpoints and security schemes', async () => {
  const s = await login('ann', ANN_PW);
  const d = (
    await app.inject({ method: 'GET', url: '/api/openapi.json', headers: { cookie: s.cookie } })
  ).json();
  for (const p of [
    '/api/auth/login',
    '/api/auth/logout',
    '/api/auth/me',
    '/api/captures/{id}/shares',
    '/api/captures/{id}/shares/{user}',
  ])
    assert.ok(d.paths[p], p);
  assert.ok(d.components.securitySchemes.session);
  assert.ok(d.components.securitySchemes.token);
});

test('wrong passwords back off: after 5 failures even the right password waits (429)', async () => {
  await addUser(auth, 'carol', 'analyst', 'carol-password-1');
  for (let i = 0; i < 5; i++) {
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name: 'carol', password: `guess-${i}` },
    });
    assert.equal(r.statusCode, 401);
  }
  const r = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { name: 'carol', password: 'carol-password-1' },
  });
  assert.equal(r.statusCode, 429);
  assert.equal(r.json().error.code, 'E_LIMIT');
  assert.ok(Number(r.headers['retry-after']) >= 1);
  // another user from the same address is not locked out
  assert.equal(
    (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'ann', password: ANN_PW } }))
      .statusCode,
    200,
  );
});
