import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
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
