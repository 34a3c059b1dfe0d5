import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from './open.js';

const child = join(import.meta.dirname, 'interrupted-child.ts');
const pgUrl = process.env.PCAPLENS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs the child; with kill, SIGKILLs it once it reports being half-way through its import. */
function run(spec: string, dir: string, mode: 'first' | 'killed'): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, spec, dir, mode], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (mode === 'killed' && out.includes('half-way')) p.kill('SIGKILL');
    });
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code, signal) => {
      if (mode === 'first' && code !== 0) reject(new Error(`child failed (${code}): ${err}`));
      else resolve(signal ?? String(code));
    });
  });
}

async function check(spec: string | undefined, dir: string): Promise<void> {
  assert.equal(await run(spec ?? '-', dir, 'first'), '0');
  assert.equal(await run(spec ?? '-', dir, 'killed'), 'SIGKILL');
  const store = await openStore(spec, dir);
  try {
    const caps = await store.listCaptures();
    assert.deepEqual(
      caps.map((c) => c.name),
      ['first'],
    );
    assert.equal(await store.countRows('flows', { captureId: caps[0]!.id }), 200);
    // nothing of the killed import anywhere: count every row of every capture id it could have had
    for (let id = 1; id <= caps[0]!.id + 2; id++) {
      if (id === caps[0]!.id) continue;
      assert.equal(await store.countRows('packets', { captureId: id }), 0);
      assert.equal(await store.countRows('flows', { captureId: id }), 0);
    }
  } finally {
    await store.close();
  }
}

test('DuckDB: a killed import leaves nothing behind and earlier captures intact', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-kill-'));
  try {
    await check(undefined, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL: a killed import leaves nothing behind and earlier captures intact', async (t) => {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
  } catch (e) {
    if (process.env.CI === 'true') throw e;
    t.skip(`PostgreSQL not reachable: ${(e as Error).message}`);
    return;
  }
  const schema = `pcaplens_test_${randomBytes(6).toString('hex')}`;
  const u = new URL(pgUrl);
  u.searchParams.set('schema', schema);
  try {
    await check(u.toString(), '/nonexistent');
  } finally {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
});
