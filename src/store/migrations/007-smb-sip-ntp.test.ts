/**
 * Migration 7's tables (smb, sip, ntp) on DuckDB and PostgreSQL: the rows a direct run finds on the corpus
 * captures that carry them are stored and read back equal, and the filter fields of the new tables work in
 * SQL (smb2.file_name, sip.method, ntp.mode). PostgreSQL is skipped when unreachable, except under CI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CORPUS_DIR, FIXTURE_DIR } from '../../../test/golden/paths.js';
import { analyzeFiles } from '../../engine/analyze-files.js';
import { ingestFiles } from '../../engine/ingest.js';
import { compileFilter } from '../../shared/filter/index.js';
import type { Store } from '../store.js';
import { DuckDbStore } from '../duckdb/duckdb-store.js';
import { PostgresStore } from '../postgres/postgres-store.js';

const CAPS: [string, 'smb' | 'sip' | 'ntp', string, number][] = [
  // capture, table, a filter on it, rows it matches (tshark: one CREATE of the file, frame 32; 11 frames with
  // sip.Method == "INVITE"; 40 NTP frames, all mode 3 stratum 2)
  ['smb2-file-transfer.pcap', 'smb', 'smb2.file_name == "WP_SMBPlugin.pdf" and smb2.command == "CREATE"', 1],
  ['sip-call.pcap', 'sip', 'sip.method == "INVITE" and ip.src == 192.168.1.2', 11],
  ['ntp-digest.pcap', 'ntp', 'ntp.mode == "client" and ntp.stratum == 2', 40],
];
const find = (n: string) => [FIXTURE_DIR, CORPUS_DIR].map((d) => join(d, n)).find((p) => existsSync(p));
const present = CAPS.filter(([n]) => find(n) !== undefined);

const url = process.env.PCAPLENS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}
const havePg = await pgReachable();
if (!havePg && process.env.CI === 'true') throw new Error(`PostgreSQL not reachable at ${url} (CI=true)`);

async function roundTrip(store: Store, dir: string): Promise<void> {
  for (const [name, table, filter, want] of present) {
    const path = find(name)!;
    const direct = await analyzeFiles([path]);
    assert.ok(direct[table].length > 0, `${name}: ${table} rows`);
    const row = await ingestFiles(store, dir, [path]);
    const page = await store.page(table, { captureId: row.id, limit: 10_000 });
    assert.deepEqual(page.rows, direct[table], `${name} ${table}`);
    const f = compileFilter(filter, table);
    const hit = await store.page(table, { captureId: row.id, filter: f, limit: 10_000 });
    assert.equal(hit.total, want, `${name}: ${filter}`);
  }
}

test('migration 7 tables round-trip on DuckDB', { skip: present.length === 0 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-m7-'));
  const store = await DuckDbStore.open(dir);
  await store.migrate();
  try {
    await roundTrip(store, dir);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('migration 7 tables round-trip on PostgreSQL', { skip: present.length === 0 || !havePg }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-m7-'));
  const schema = `pcaplens_m7_${randomBytes(6).toString('hex')}`;
  const store = await PostgresStore.open({ connectionString: url, schema });
  await store.migrate();
  try {
    await roundTrip(store, dir);
  } finally {
    await store.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
    await rm(dir, { recursive: true, force: true });
  }
});
