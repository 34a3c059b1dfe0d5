/**
 * The import decoding on a worker thread while the main thread writes (ingest-decode.ts) stores exactly what
 * the import on one thread stores: every table row for row in stored order and the capture summary, with
 * small batches so that many chunks wait on the worker's credits; an abort mid-run leaves the store as it was.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { TableName } from '../../shared/filter/tables.js';
import { capturePath } from '../../store/capture-files.js';
import { ingestFiles } from '../ingest.js';
import { decodeOffThread, OFF_THREAD_MIN_SIZE } from './ingest-decode.js';
import {
  assertSameStored,
  CORPUS as corpus,
  FIXTURES as fixtures,
  presentCases,
} from '../test-support/stored-compare.js';

const CASES: string[][] = presentCases([
  [join(fixtures, 'vxlan-http.pcap')],
  [join(fixtures, 'dns-edns-ecs-ipv4-fragments.pcap')],
  [join(fixtures, 'arp-requests.pcap')],
  [join(fixtures, 'broken-unsupported-linktype-284-dsa.pcap')],
  // two files merged in time order
  [join(fixtures, 'dhcp-dora.pcap'), join(fixtures, 'tls12-sni-sct.pcap')],
  [join(corpus, 'android-phone-mixed.pcap')],
  [join(corpus, 'mixed-many-protocols.pcap')],
]);

let dir: string;
let store: DuckDbStore;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-offthread-'));
  store = await DuckDbStore.open(dir);
  await store.migrate();
});
after(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('decoding on a worker thread stores the same rows as decoding on the writing thread', async () => {
  assert.ok(CASES.length >= 5, 'fixtures found');
  const seen: Partial<Record<TableName, number>> = {};
  for (const paths of CASES) {
    const name = paths.map((p) => p.split('/').pop()).join('+');
    const one = await ingestFiles(store, dir, paths, { offThread: false, batchRows: 300 });
    let progress = 0;
    const two = await ingestFiles(store, dir, paths, {
      offThread: true,
      batchRows: 300,
      force: true,
      onProgress: () => progress++,
    });
    assert.ok(progress > 0, `${name}: progress reported`);
    await assertSameStored(store, one, two, name, seen);
  }
  for (const t of ['flows', 'packets'] as const)
    assert.ok((seen[t] ?? 0) > 300, `${t}: more rows compared than one batch holds (${seen[t]})`);
  for (const t of ['hosts', 'dns', 'http', 'tls', 'dhcp', 'alerts'] as const)
    assert.ok((seen[t] ?? 0) > 0, `${t} rows compared`);
});

test('an import aborted while the worker decodes stores nothing and stops the worker', async () => {
  const path = join(corpus, 'mixed-many-protocols.pcap');
  if (!existsSync(path)) return assert.fail(`${path} missing`);
  const before = (await store.listCaptures()).length;
  const ac = new AbortController();
  let written = 0;
  await assert.rejects(
    ingestFiles(store, dir, [path], {
      offThread: true,
      batchRows: 50,
      force: true,
      signal: ac.signal,
      onProgress: () => {
        if (++written === 1) ac.abort(new Error('stop here'));
      },
    }),
    /stop here/,
  );
  assert.equal((await store.listCaptures()).length, before);
});

test('decoding off the thread names the copy by its digest while it reads; the same content is found stored', async () => {
  const own = await mkdtemp(join(tmpdir(), 'pcaplens-offthread-named-'));
  const s = await DuckDbStore.open(own);
  try {
    await s.migrate();
    const path = join(fixtures, 'vxlan-http.pcap');
    const sha = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
    const first = await ingestFiles(s, own, [path], { offThread: true });
    assert.equal(first.sha256, sha);
    assert.equal(first.existing, undefined);
    const [file] = await s.captureFiles(first.id);
    assert.equal(file?.sha256, sha);
    assert.equal(file?.path, capturePath(own, sha));
    assert.deepEqual(await readFile(file.path), await readFile(path));
    // not read again: the digest is known before the reading ends, and the import is rolled back
    const again = await ingestFiles(s, own, [path], { offThread: true });
    assert.equal(again.existing, true);
    assert.equal(again.id, first.id);
    assert.equal((await s.listCaptures()).length, 1);
    assert.deepEqual(await readdir(join(own, 'captures')), [sha]); // no temporary copy left behind
    const forced = await ingestFiles(s, own, [path], { offThread: true, force: true });
    assert.notEqual(forced.id, first.id);
    assert.equal(forced.packets, first.packets);
    assert.deepEqual(await readdir(join(own, 'captures')), [sha]);
  } finally {
    await s.close();
    await rm(own, { recursive: true, force: true });
  }
});

test('large inputs decode off the writing thread unless told otherwise', () => {
  const saved = process.env.PCAPLENS_INGEST_OFF_THREAD;
  try {
    delete process.env.PCAPLENS_INGEST_OFF_THREAD;
    assert.equal(decodeOffThread(OFF_THREAD_MIN_SIZE), true);
    assert.equal(decodeOffThread(OFF_THREAD_MIN_SIZE - 1), false);
    assert.equal(decodeOffThread(OFF_THREAD_MIN_SIZE, false), false);
    process.env.PCAPLENS_INGEST_OFF_THREAD = '1';
    assert.equal(decodeOffThread(10), true);
    process.env.PCAPLENS_INGEST_OFF_THREAD = '0';
    assert.equal(decodeOffThread(OFF_THREAD_MIN_SIZE * 4), false);
  } finally {
    if (saved === undefined) delete process.env.PCAPLENS_INGEST_OFF_THREAD;
    else process.env.PCAPLENS_INGEST_OFF_THREAD = saved;
  }
});
