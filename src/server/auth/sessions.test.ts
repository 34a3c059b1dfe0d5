import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../engine/ingest.js';
import { authStoreOf } from '../../store/auth-store.js';
import { openStore } from '../../store/open.js';
import { buildApp } from '../app.js';
import { addUser } from './accounts.js';
import { sha256Hex } from './password.js';
import { DEFAULT_SESSION_POLICY, parseDuration, slideTo } from './sessions.js';

const H = 3_600_000;
const D = 24 * H;

test('slideTo: a write at most once an hour, never past the cap; shorter windows slide by a quarter', () => {
  const p = DEFAULT_SESSION_POLICY; // 7 d idle, 30 d cap
  const s = { created_at: 0, expires_at: 7 * D };
  assert.equal(slideTo(s, 59 * 60_000, p), null);
  assert.equal(slideTo(s, H, p), H + 7 * D);
  assert.equal(slideTo({ created_at: 0, expires_at: 29 * D }, 25 * D, p), 30 * D, 'capped');
  assert.equal(
    slideTo({ created_at: 0, expires_at: 30 * D }, 29 * D, p),
    null,
    'at the cap: nothing to write',
  );
  const short = { idleMs: 20 * 60_000, maxMs: D };
  assert.equal(slideTo({ created_at: 0, expires_at: 20 * 60_000 }, 4 * 60_000, short), null);
  assert.equal(slideTo({ created_at: 0, expires_at: 20 * 60_000 }, 5 * 60_000, short), 25 * 60_000);
});

test('parseDuration', () => {
  assert.equal(parseDuration('12h', 'x'), 12 * H);
  assert.equal(parseDuration('7d', 'x'), 7 * D);
  assert.equal(parseDuration('2w', 'x'), 14 * D);
  assert.equal(parseDuration('90s', 'x'), 90_000);
  for (const bad of ['', '7', 'd', '-1d', '1.5d', '30s', '7 days', '99999999d'])
    assert.throws(() => parseDuration(bad, 'serve: --session-ttl'), { code: 'E_USAGE' }, bad);
});

test('sessions slide while used (one write an hour), lapse when idle, and end at the cap (injected clock)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-sessions-'));
  const store = await openStore(undefined, dir);
  let now = Date.UTC(2026, 0, 5, 9);
  const { app } = await buildApp({
    store,
    dataDir: dir,
    ingest: ingestFiles,
    uiDir: null,
    auth: { sessionTtlMs: D, sessionMaxMs: 3 * D, now: () => now },
  });
  try {
    const auth = authStoreOf(store)!;
    await addUser(auth, 'ann', 'analyst', 'ann-correct-horse');
    const login = async () => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { name: 'ann', password: 'ann-correct-horse' },
      });
      assert.equal(r.statusCode, 200, r.body);
      const setCookie = String(r.headers['set-cookie']);
      assert.match(
        setCookie,
        new RegExp(`Max-Age=${(3 * D) / 1000}(;|$)`),
        'the browser keeps it up to the cap',
      );
      const cookie = setCookie.split(';')[0]!;
      return { cookie, digest: sha256Hex(cookie.slice(cookie.indexOf('=') + 1)) };
    };
    const me = async (cookie: string) =>
      (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode;
    // the stored expiry, read at the login time (before any expiry)
    const expiry = async (digest: string) => (await auth.session(digest, 0))?.expires_at ?? null;

    const t0 = now;
    const s = await login();
    assert.equal(await expiry(s.digest), t0 + D);

    now = t0 + 30 * 60_000;
    assert.equal(await me(s.cookie), 200);
    assert.equal(await expiry(s.digest), t0 + D, 'used within the hour: no write');

    now = t0 + 2 * H;
    assert.equal(await me(s.cookie), 200);
    assert.equal(await expiry(s.digest), t0 + 2 * H + D, 'extended from this use');

    now = t0 + 2 * H + D - 1; // past the first window, within the extended one
    assert.equal(await me(s.cookie), 200);
    assert.equal(await expiry(s.digest), now + D);

    // used every 20 hours: alive up to the absolute cap, not a moment longer
    for (now = t0 + 2 * D; now < t0 + 3 * D; now += 20 * H) assert.equal(await me(s.cookie), 200);
    now = t0 + 3 * D - 1;
    assert.equal(await me(s.cookie), 200);
    assert.equal(await expiry(s.digest), t0 + 3 * D, 'capped');
    now = t0 + 3 * D;
    assert.equal(await me(s.cookie), 401, 'the cap ends it however recent the last use');

    // left alone for the idle window: gone
    const t1 = now;
    const idle = await login();
    now = t1 + D - 1;
    assert.equal(await me(idle.cookie), 200);
    now = t1 + D - 1 + D;
    assert.equal(await me(idle.cookie), 401, 'unused for a whole window');

    // a cap shortened after login (restart with a smaller --session-max) applies to old sessions too
    const t2 = now;
    const old = await login();
    now = t2 + 10 * H;
    assert.equal(await me(old.cookie), 200);
    await app.close();
    const { app: app2 } = await buildApp({
      store,
      dataDir: dir,
      ingest: ingestFiles,
      uiDir: null,
      auth: { sessionTtlMs: D, sessionMaxMs: 8 * H, now: () => now },
    });
    try {
      const r = await app2.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: old.cookie } });
      assert.equal(r.statusCode, 401);
      assert.equal(await auth.session(old.digest, 0), null, 'and it is deleted');
    } finally {
      await app2.close();
    }
  } finally {
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
