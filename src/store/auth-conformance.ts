/**
 * Team mode's part of the store conformance suite (conformance.ts calls it inside each store's describe):
 * users, tokens, sessions, capture ownership and sharing, on a migrated store.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuthFor, type OpenedAuth } from './auth-open.js';
import type { AuthStore } from './auth-store.js';
import type { Store } from './store.js';

/** The SQL stores are tested on their own tables; ClickHouse on the side DuckDB file a deployment uses. */
export function authConformance(getStore: () => Store): void {
  let opened: OpenedAuth | null = null;
  let dir = '';
  const auth = async (): Promise<AuthStore> => {
    if (!opened) {
      dir = await mkdtemp(join(tmpdir(), 'pcaplens-auth-conf-'));
      opened = await openAuthFor(getStore(), dir);
    }
    assert.ok(opened, 'the store keeps users (its own tables or the side file)');
    return opened.auth;
  };
  after(async () => {
    await opened?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('auth: users are created once per name, found, listed and removed with their tokens and sessions', async () => {
    const a = await auth();
    const ann = await a.createUser({ name: 'ann', role: 'admin', password_hash: 'scrypt$x' });
    const bob = await a.createUser({ name: 'bob', role: 'analyst', password_hash: 'scrypt$y' });
    assert.ok(bob.id > ann.id);
    await assert.rejects(a.createUser({ name: 'ann', role: 'analyst', password_hash: 'z' }));
    assert.deepEqual(await a.userByName('ann'), ann);
    assert.deepEqual(await a.userById(bob.id), bob);
    assert.equal(await a.userByName('ANN'), null);
    assert.deepEqual(
      (await a.listUsers()).map((u) => [u.name, u.role]),
      [
        ['ann', 'admin'],
        ['bob', 'analyst'],
      ],
    );
    await a.setPasswordHash(bob.id, 'scrypt$new');
    assert.equal((await a.userById(bob.id))?.password_hash, 'scrypt$new');

    const t = await a.createToken({ user_id: bob.id, name: 'ci', token_sha256: 'ab'.repeat(32) });
    assert.deepEqual(await a.tokenBySha256('ab'.repeat(32)), t);
    assert.deepEqual(await a.listTokens(bob.id), [t]);
    assert.deepEqual(await a.listTokens(ann.id), []);
    await a.createSession({
      id_sha256: 'cd'.repeat(32),
      user_id: bob.id,
      csrf: 'x',
      created_at: 1,
      expires_at: 2e13,
    });
    assert.equal((await a.session('cd'.repeat(32), Date.now()))?.user_id, bob.id);
    await a.shareCapture(424242, bob.id);

    assert.equal(await a.deleteUser(bob.id), true);
    assert.equal(await a.deleteUser(bob.id), false);
    assert.equal(await a.userByName('bob'), null);
    assert.equal(await a.tokenBySha256('ab'.repeat(32)), null);
    assert.equal(await a.session('cd'.repeat(32), Date.now()), null);
    assert.deepEqual((await a.captureAccess(424242)).shared_with, []);
  });

  test('auth: tokens are found by digest only and revoked by id', async () => {
    const a = await auth();
    const u = await a.createUser({ name: 'tok', role: 'analyst', password_hash: 'h' });
    const t = await a.createToken({ user_id: u.id, name: 'one', token_sha256: 'ef'.repeat(32) });
    assert.equal(await a.tokenBySha256('EF'.repeat(32)), null);
    assert.equal((await a.tokenBySha256('ef'.repeat(32)))?.user_id, u.id);
    await assert.rejects(a.createToken({ user_id: u.id, name: 'two', token_sha256: 'ef'.repeat(32) }));
    assert.equal(await a.deleteToken(t.id), true);
    assert.equal(await a.deleteToken(t.id), false);
    assert.equal(await a.tokenBySha256('ef'.repeat(32)), null);
  });

  test('auth: sessions expire and are deleted', async () => {
    const a = await auth();
    const u = await a.createUser({ name: 'ses', role: 'analyst', password_hash: 'h' });
    await a.createSession({
      id_sha256: '01'.repeat(32),
      user_id: u.id,
      csrf: 'c1',
      created_at: 1000,
      expires_at: 5000,
    });
    await a.createSession({
      id_sha256: '02'.repeat(32),
      user_id: u.id,
      csrf: 'c2',
      created_at: 1000,
      expires_at: 9000,
    });
    assert.deepEqual(await a.session('01'.repeat(32), 4999), {
      id_sha256: '01'.repeat(32),
      user_id: u.id,
      csrf: 'c1',
      created_at: 1000,
      expires_at: 5000,
    });
    assert.equal(await a.session('01'.repeat(32), 5000), null);
    assert.equal(await a.deleteExpiredSessions(6000), 1);
    assert.equal((await a.session('02'.repeat(32), 6000))?.csrf, 'c2');
    await a.deleteSession('02'.repeat(32));
    assert.equal(await a.session('02'.repeat(32), 6000), null);
  });

  test("auth: a session is extended in place; a user's sessions end together", async () => {
    const a = await auth();
    const u = await a.createUser({ name: 'slide', role: 'analyst', password_hash: 'h' });
    const v = await a.createUser({ name: 'slide2', role: 'analyst', password_hash: 'h' });
    for (const [i, uid] of [
      ['11', u.id],
      ['12', u.id],
      ['13', v.id],
    ] as const)
      await a.createSession({
        id_sha256: i.repeat(32),
        user_id: uid,
        csrf: 'c',
        created_at: 1000,
        expires_at: 5000,
      });
    assert.equal(await a.extendSession('11'.repeat(32), 8000), true);
    assert.equal(await a.session('11'.repeat(32), 6000).then((s) => s?.expires_at), 8000);
    assert.equal((await a.session('11'.repeat(32), 6000))?.created_at, 1000, 'login time stays');
    assert.equal(await a.session('12'.repeat(32), 6000), null, 'the other one was not extended');
    assert.equal(await a.extendSession('14'.repeat(32), 8000), false);
    assert.equal(await a.deleteUserSessions(u.id), 2);
    assert.equal(await a.session('11'.repeat(32), 2000), null);
    assert.equal((await a.session('13'.repeat(32), 2000))?.user_id, v.id, "another user's session stays");
    assert.equal(await a.deleteUserSessions(u.id), 0);
  });

  test('auth: a capture has one owner, shares and a public flag, all gone when it is deleted', async () => {
    const a = await auth();
    const store = getStore();
    const o = await a.createUser({ name: 'owner', role: 'analyst', password_hash: 'h' });
    const p = await a.createUser({ name: 'peer', role: 'analyst', password_hash: 'h' });
    const q = await a.createUser({ name: 'other', role: 'analyst', password_hash: 'h' });
    const cap = await store.importCapture(
      { name: 'owned.pcap', sha256: '9a'.repeat(32), size: 24, format: 'pcap', link_types: [1] },
      async () => ({ packets: 0, bytes: 0, first_ts: null, last_ts: null }),
    );
    assert.deepEqual(await a.captureAccess(cap.id), { owner_id: null, public: false, shared_with: [] });
    assert.equal(await a.claimCapture(cap.id, o.id), o.id);
    assert.equal(await a.claimCapture(cap.id, p.id), o.id, 'the first owner stays');
    assert.deepEqual(await a.readableCaptureIds(p.id), new Set());
    await a.shareCapture(cap.id, p.id);
    await a.shareCapture(cap.id, p.id); // twice is once
    assert.deepEqual(await a.captureAccess(cap.id), { owner_id: o.id, public: false, shared_with: [p.id] });
    assert.ok((await a.readableCaptureIds(p.id)).has(cap.id));
    assert.ok((await a.readableCaptureIds(o.id)).has(cap.id));
    assert.ok(!(await a.readableCaptureIds(q.id)).has(cap.id));
    await a.setCapturePublic(cap.id, true);
    assert.ok((await a.readableCaptureIds(q.id)).has(cap.id));
    await a.setCapturePublic(cap.id, false);
    assert.ok(!(await a.readableCaptureIds(q.id)).has(cap.id));
    assert.equal(await a.unshareCapture(cap.id, p.id), true);
    assert.equal(await a.unshareCapture(cap.id, p.id), false);
    assert.ok(!(await a.readableCaptureIds(p.id)).has(cap.id));
    // a capture nobody owns can be made public by an admin
    await a.setCapturePublic(777777, true);
    assert.deepEqual(await a.captureAccess(777777), { owner_id: null, public: true, shared_with: [] });
    assert.ok((await a.readableCaptureIds(q.id)).has(777777));
    await a.forgetCapture(777777);
    assert.ok(!(await a.readableCaptureIds(q.id)).has(777777));

    await a.shareCapture(cap.id, q.id);
    assert.equal(await store.deleteCapture(cap.id), true);
    // the server's delete route tells a side auth file; a SQL store forgets with the capture itself
    if (opened?.where === 'side') await a.forgetCapture(cap.id);
    assert.deepEqual(await a.captureAccess(cap.id), { owner_id: null, public: false, shared_with: [] });
  });
}
