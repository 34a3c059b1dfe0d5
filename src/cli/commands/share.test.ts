import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ingestFiles } from '../../engine/ingest.js';
import { buildApp } from '../../server/app.js';
import { openStore } from '../../store/open.js';
import { MemoryStream, type CliIo } from '../io.js';
import { main } from '../main.js';

/**
 * Team mode from the command line: `import --owner/--public` and `share`, checked through the HTTP API of
 * a team-mode server on the same data (DuckDB, and PostgreSQL when it is reachable).
 */
const fx = (n: string) => fileURLToPath(new URL(`../../../test/fixtures/${n}`, import.meta.url));
const A = fx('arp-requests.pcap');
const B = fx('dhcp-dora.pcap');
const C = fx('icmpv6-mixed.pcap');
const PW = { ann: 'ann-correct-horse', bob: 'bob-battery-staple', carol: 'carol-stapler-pw' };

async function run(argv: string[], stdin = '') {
  const io = {
    stdout: new MemoryStream(),
    stderr: new MemoryStream(),
    stdin: Readable.from([Buffer.from(stdin)]),
  } as CliIo & { stdout: MemoryStream; stderr: MemoryStream };
  const code = await main(argv, io);
  return { code, out: io.stdout.text, err: io.stderr.text };
}

/** The capture ids a user sees through GET /api/captures, and whether GET /api/captures/:id answers 200. */
async function seenBy(storeArgs: string[], name: keyof typeof PW, probe: number[]) {
  const spec = storeArgs.includes('--store') ? storeArgs[storeArgs.indexOf('--store') + 1] : undefined;
  const dataDir = storeArgs[storeArgs.indexOf('--data') + 1]!;
  const store = await openStore(spec, dataDir);
  const { app } = await buildApp({ store, dataDir, ingest: ingestFiles, uiDir: null, auth: {} });
  try {
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { name, password: PW[name] },
    });
    assert.equal(r.statusCode, 200, r.body);
    const cookie = String(r.headers['set-cookie']).split(';')[0]!;
    const list = await app.inject({ method: 'GET', url: '/api/captures', headers: { cookie } });
    assert.equal(list.statusCode, 200, list.body);
    const ids = (list.json().captures as { id: number }[]).map((c) => c.id).sort((x, y) => x - y);
    const open: number[] = [];
    for (const id of probe) {
      const one = await app.inject({ method: 'GET', url: `/api/captures/${id}`, headers: { cookie } });
      assert.ok(one.statusCode === 200 || one.statusCode === 404, one.body);
      if (one.statusCode === 200) open.push(id);
    }
    assert.deepEqual(
      open,
      ids.filter((i) => probe.includes(i)),
      'the list and the capture route agree',
    );
    return ids;
  } finally {
    await app.close();
    await store.close();
  }
}

async function scenario(d: string[]) {
  for (const [n, admin] of [
    ['ann', true],
    ['bob', false],
    ['carol', false],
  ] as const) {
    const r = await run(['user', 'add', n, ...(admin ? ['--admin'] : []), ...d], `${PW[n]}\n`);
    assert.equal(r.code, 0, r.err);
  }
  const importOne = async (args: string[]) => {
    const r = await run(['import', ...args, ...d]);
    assert.equal(r.code, 0, r.err);
    return Number(r.out.trim());
  };

  const nobody = await run(['import', A, '--owner', 'dave', ...d]);
  assert.equal(nobody.code, 1);
  assert.match(nobody.err, /no user "dave"/);
  assert.deepEqual(JSON.parse((await run(['captures', '--format', 'json', ...d])).out), [], 'nothing stored');

  const owned = await importOne([A, '--owner', 'bob']);
  const pub = await importOne([B, '--public']);
  const plain = await importOne([C]);
  const all = [owned, pub, plain];

  assert.deepEqual(await seenBy(d, 'bob', all), [owned, pub]);
  assert.deepEqual(await seenBy(d, 'carol', all), [pub]);
  assert.deepEqual(await seenBy(d, 'ann', all), all, 'admins see everything');

  const shown = await run(['share', `@${owned}`, '--format', 'json', ...d]);
  assert.equal(shown.code, 0, shown.err);
  assert.deepEqual(JSON.parse(shown.out), { id: owned, owner: 'bob', public: false, shared_with: [] });

  const sh = await run(['share', String(owned), '--with', 'carol', ...d]);
  assert.equal(sh.code, 0, sh.err);
  assert.equal(sh.out, `capture ${owned}: owner bob, not public, shared with carol\n`);
  assert.deepEqual(await seenBy(d, 'carol', all), [owned, pub]);

  // a wrong name changes nothing, even the right ones given with it
  const bad = await run(['share', String(plain), '--with', 'carol', '--with', 'dave', ...d]);
  assert.equal(bad.code, 1);
  assert.deepEqual(await seenBy(d, 'carol', all), [owned, pub]);
  assert.equal((await run(['share', '999', '--with', 'carol', ...d])).code, 1, 'no such capture');
  assert.equal((await run(['share', String(plain), '--public', '--private', ...d])).code, 2);

  assert.equal((await run(['share', String(owned), '--unshare', 'carol', ...d])).code, 0);
  assert.deepEqual(await seenBy(d, 'carol', all), [pub]);
  assert.equal((await run(['share', String(plain), '--public', ...d])).code, 0);
  assert.deepEqual(await seenBy(d, 'carol', all), [pub, plain]);
  assert.equal((await run(['share', String(pub), '--private', ...d])).code, 0);
  assert.deepEqual(await seenBy(d, 'carol', all), [plain]);
  assert.deepEqual(await seenBy(d, 'bob', all), [owned, plain]);

  // importing bytes already stored under bob's ownership for carol shares it with her
  const again = await run(['import', A, '--owner', 'carol', ...d]);
  assert.equal(again.code, 0, again.err);
  assert.equal(Number(again.out.trim()), owned);
  assert.match(again.err, /already has an owner; shared with carol/);
  assert.deepEqual(await seenBy(d, 'carol', all), [owned, plain]);
}

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

test('import --owner/--public and share on DuckDB: the API shows each user what the CLI gave them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-share-'));
  dirs.push(dir);
  await scenario(['--data', dir]);
});

const pgUrl = process.env.PCAPLENS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}
const pgUp = await pgReachable();
if (!pgUp && process.env.CI === 'true') throw new Error(`PostgreSQL not reachable at ${pgUrl} (CI=true)`);

test('the same on PostgreSQL', { skip: pgUp ? false : 'PostgreSQL not reachable' }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-share-pg-'));
  dirs.push(dir);
  const schema = `pcaplens_share_${randomBytes(5).toString('hex')}`;
  try {
    await scenario(['--store', `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`, '--data', dir]);
  } finally {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
});
