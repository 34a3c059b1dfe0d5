import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../engine/ingest.js';
import { authStoreOf } from '../../store/auth-store.js';
import { openStore } from '../../store/open.js';
import { buildApp } from '../app.js';
import { multipart } from '../test-support.js';
import { addUser, createToken } from './accounts.js';

const FIXTURE = new URL('../../../test/fixtures/tcp-retransmissions-http.pcap', import.meta.url);

test('team mode on a real server on 127.0.0.1: login over HTTP, cookie, CSRF upload, bearer token, logout', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-listen-auth-'));
  const store = await openStore(undefined, dir);
  const auth = authStoreOf(store)!;
  await addUser(auth, 'ann', 'analyst', 'ann-listen-password');
  const { token } = await createToken(auth, 'ann', 'script');
  const { app } = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: null, auth: {} });
  try {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    assert.equal((await fetch(`${address}/api/captures`)).status, 401);

    const bad = await fetch(`${address}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ann', password: 'not-her-password' }),
    });
    assert.equal(bad.status, 401);
    const res = await fetch(`${address}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: address },
      body: JSON.stringify({ name: 'ann', password: 'ann-listen-password' }),
    });
    assert.equal(res.status, 200);
    const setCookie = res.headers.getSetCookie();
    assert.equal(setCookie.length, 1);
    assert.match(setCookie[0]!, /HttpOnly/);
    assert.match(setCookie[0]!, /SameSite=Strict/);
    const cookie = setCookie[0]!.split(';')[0]!;
    const { csrf_token: csrf } = (await res.json()) as { csrf_token: string };

    const { body, contentType } = multipart([{ name: 'retrans.pcap', data: await readFile(FIXTURE) }]);
    const noCsrf = await fetch(`${address}/api/captures`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, cookie, origin: address },
    });
    assert.equal(noCsrf.status, 403);
    const up = await fetch(`${address}/api/captures`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType, cookie, origin: address, 'x-csrf-token': csrf },
    });
    assert.equal(up.status, 202);
    const job = ((await up.json()) as { jobs: { id: string }[] }).jobs[0]!;
    // the SSE stream of the job, with the cookie, until it ends
    const ev = await fetch(`${address}/api/captures/${job.id}/events`, { headers: { cookie } });
    assert.equal(ev.status, 200);
    const text = await ev.text();
    const done = /event: done\ndata: (.*)/.exec(text);
    assert.ok(done, text.slice(-500));
    const captureId = (JSON.parse(done[1]!) as { capture: { id: number } }).capture.id;

    const viaToken = await fetch(`${address}/api/captures/${captureId}/flows?limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(viaToken.status, 200);
    assert.ok(((await viaToken.json()) as { total: number }).total > 0);

    const out = await fetch(`${address}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, origin: address },
    });
    assert.equal(out.status, 204);
    assert.equal((await fetch(`${address}/api/captures`, { headers: { cookie } })).status, 401);
  } finally {
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
