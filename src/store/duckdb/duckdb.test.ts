import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from '../conformance.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ingestFiles } from '../../engine/ingest.js';
import { openStore } from '../open.js';
import { DuckDbStore } from './duckdb-store.js';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures');

storeConformance('duckdb', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-duckdb-'));
  const store = await DuckDbStore.open(dir);
  return {
    store,
    dispose: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

/** Invalidates the store's database as a fatal DuckDB error does (here: a checkpoint aborted by a debug setting). */
async function invalidate(store: DuckDbStore): Promise<void> {
  const writer = (store as unknown as { writer: DuckDBConnection }).writer;
  await writer.run("SET debug_checkpoint_abort = 'before_header'");
  await assert.rejects(writer.run('CHECKPOINT'), /FATAL/);
  await assert.rejects(writer.run('SELECT 1'), /invalidated/);
}

test('a database invalidated by a fatal error is opened again: reads and the next import go on, nothing lost', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-duckdb-'));
  const store = await openStore(undefined, dir);
  try {
    const first = await ingestFiles(store, dir, [join(FIXTURES, 'dhcp-dora.pcap')]);
    const flows = await store.countRows('flows', { captureId: first.id });
    assert.ok(flows > 0);

    // a read after it: answered from the database opened again
    await invalidate(store as DuckDbStore);
    assert.deepEqual(
      (await store.listCaptures()).map((c) => c.id),
      [first.id],
    );
    assert.equal(await store.countRows('flows', { captureId: first.id }), flows);

    // an import after it (its transaction is the first statement): stored whole
    await invalidate(store as DuckDbStore);
    const second = await ingestFiles(store, dir, [join(FIXTURES, 'arp-requests.pcap')]);
    assert.equal(second.packets, (await store.getCapture(second.id))?.packets);
    assert.deepEqual((await store.listCaptures()).map((c) => c.id).sort(), [first.id, second.id].sort());
    assert.equal(await store.countRows('flows', { captureId: first.id }), flows);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
