import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ingestFiles } from '../../engine/ingest.js';
import { buildApp } from '../../server/app.js';
import { verifyPassword, sha256Hex } from '../../server/auth/password.js';
import { authStoreOf } from '../../store/auth-store.js';
import { openStore } from '../../store/open.js';
import { MemoryStream, type CliIo } from '../io.js';
import { main } from '../main.js';

/** `pcaplens user` and `pcaplens token` in-process on a DuckDB data directory. */
async function run(argv: string[], stdin = '') {
  const io = {
    stdout: new MemoryStream(),
    stderr: new MemoryStream(),
    stdin: Readable.from([Buffer.from(stdin)]),
  } as CliIo & { stdout: MemoryStream; stderr: MemoryStream };
  const code = await main(argv, io);
  return { code, out: io.stdout.text, err: io.stderr.text };
}

test('user add reads the password from stdin, stores an scrypt hash; token create prints a token once; rm revokes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-user-'));
  try {
    const d = ['--data', dir];
    const add = await run(['user', 'add', 'ann', '--admin', '--password-stdin', ...d], 'ann-secret-pass\n');
    assert.equal(add.code, 0, add.err);
    assert.equal((await run(['user', 'add', 'bob', ...d], 'bob-secret-pass\nignored')).code, 0);
    const dup = await run(['user', 'add', 'bob', ...d], 'bob-secret-pass\n');
    assert.equal(dup.code, 1);
    assert.match(dup.err, /exists/);
    const short = await run(['user', 'add', 'cy', ...d], 'short\n');
    assert.equal(short.code, 2);
    assert.match(short.err, /at least 10/);
    assert.equal((await run(['user', 'add', '<script>', ...d], 'long-enough-pw\n')).code, 2);
    assert.equal((await run(['user', 'add', 'dan', '--password', 'x', ...d])).code, 2, 'no password option');

    const list = await run(['user', 'list', '--format', 'json', ...d]);
    assert.deepEqual(
      JSON.parse(list.out).map((u: { name: string; role: string }) => [u.name, u.role]),
      [
        ['ann', 'admin'],
        ['bob', 'analyst'],
      ],
    );
    const tok = await run(['token', 'create', 'ci', '--user', 'bob', ...d]);
    assert.equal(tok.code, 0, tok.err);
    const token = tok.out.trim();
    assert.match(token, /^plk_[A-Za-z0-9_-]{43}$/);
    assert.equal(
      (await run(['token', 'create', 'ci', '--user', 'bob', ...d])).code,
      1,
      'names are unique per user',
    );
    const tl = JSON.parse((await run(['token', 'list', '--format', 'json', ...d])).out);
    assert.deepEqual(
      tl.map((t: { name: string; user: string }) => [t.name, t.user]),
      [['ci', 'bob']],
    );
    assert.ok(!JSON.stringify(tl).includes(token));

    let store = await openStore(undefined, dir);
    try {
      const a = authStoreOf(store)!;
      const bob = (await a.userByName('bob'))!;
      assert.equal(await verifyPassword('bob-secret-pass', bob.password_hash), true);
      assert.ok(!bob.password_hash.includes('bob-secret-pass'));
      assert.equal((await a.tokenBySha256(sha256Hex(token)))?.user_id, bob.id);
    } finally {
      await store.close();
    }

    assert.equal((await run(['token', 'rm', 'ci', '--user', 'bob', ...d])).code, 0);
    const lastAdmin = await run(['user', 'rm', 'ann', ...d]);
    assert.equal(lastAdmin.code, 2);
    assert.match(lastAdmin.err, /last admin/);
    assert.equal((await run(['user', 'rm', 'bob', ...d])).code, 0);
    store = await openStore(undefined, dir);
    try {
      const a = authStoreOf(store)!;
      assert.equal(await a.tokenBySha256(sha256Hex(token)), null);
      assert.equal(await a.userByName('bob'), null);
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('user passwd: the old password stops working, the new one works, and the user is logged out everywhere', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-passwd-'));
  const d = ['--data', dir];
  const withApp = async <T>(fn: (app: FastifyInstance) => Promise<T>): Promise<T> => {
    const store = await openStore(undefined, dir);
    const { app } = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: null, auth: {} });
    try {
      return await fn(app);
    } finally {
      await app.close();
      await store.close();
    }
  };
  const login = async (app: FastifyInstance, name: string, password: string) => {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name, password } });
    return r.statusCode === 200 ? String(r.headers['set-cookie']).split(';')[0]! : r.statusCode;
  };
  const me = async (app: FastifyInstance, cookie: string) =>
    (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode;
  try {
    assert.equal((await run(['user', 'add', 'bob', ...d], 'bob-old-password\n')).code, 0);
    assert.equal((await run(['user', 'add', 'cy', ...d], 'cy-own-password\n')).code, 0);
    const [bob1, bob2, cy] = await withApp(async (app) => [
      await login(app, 'bob', 'bob-old-password'),
      await login(app, 'bob', 'bob-old-password'),
      await login(app, 'cy', 'cy-own-password'),
    ]);
    assert.equal(typeof bob1, 'string');

    const short = await run(['user', 'passwd', 'bob', ...d], 'short\n');
    assert.equal(short.code, 2);
    assert.equal((await run(['user', 'passwd', 'nobody', ...d], 'long-enough-pw\n')).code, 1);
    await withApp(async (app) =>
      assert.equal(await me(app, bob1 as string), 200, 'a refused change changes nothing'),
    );

    const ch = await run(['user', 'passwd', 'bob', '--password-stdin', ...d], 'bob-new-password\n');
    assert.equal(ch.code, 0, ch.err);
    assert.match(ch.err, /password of bob changed; 2 session\(s\) logged out/);

    await withApp(async (app) => {
      assert.equal(await me(app, bob1 as string), 401);
      assert.equal(await me(app, bob2 as string), 401);
      assert.equal(await me(app, cy as string), 200, "another user's session stays");
      assert.equal(await login(app, 'bob', 'bob-old-password'), 401);
      const fresh = await login(app, 'bob', 'bob-new-password');
      assert.equal(typeof fresh, 'string');
      assert.equal(await me(app, fresh as string), 200);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('serve --session-ttl/--session-max: checked before anything starts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-serve-ttl-'));
  try {
    const d = ['--data', join(dir, 'never-created')];
    for (const [argv, msg] of [
      [['--auth', '--session-ttl', '7x'], /bad duration "7x"/],
      [['--auth', '--session-ttl', '40d'], /longer than --session-max/],
      [['--auth', '--session-ttl', '2d', '--session-max', '1d'], /longer than --session-max/],
      [['--session-ttl', '12h'], /go with --auth/],
    ] as const) {
      const r = await run(['serve', ...argv, ...d]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, msg);
    }
    const help = await run(['serve', '--help']);
    assert.match(
      help.out,
      /--session-ttl DURATION[\s\S]*default 7d[\s\S]*--session-max DURATION[\s\S]*default 30d/,
    );
    assert.match((await run(['import', '--help'])).out, /--owner NAME[\s\S]*--public/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
