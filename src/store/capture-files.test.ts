import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  capturePath,
  copyCaptureFile,
  dropCaptureCopy,
  hashFile,
  keepCaptureCopy,
  type KeptCaptureFile,
} from './capture-files.js';
import { openStore } from './open.js';

const CORPUS = join(process.env.PCAPLENS_SHARED ?? '/work/shared', 'corpus');

/** The steps of an import for one file: copied, hashed from the copy, named by its digest. */
async function storeCaptureFile(dataDir: string, srcPath: string): Promise<KeptCaptureFile> {
  const copy = await copyCaptureFile(dataDir, srcPath);
  try {
    return await keepCaptureCopy(dataDir, copy, copy.sha256 ?? (await hashFile(copy.tmp)).sha256);
  } catch (e) {
    await dropCaptureCopy(copy);
    throw e;
  }
}

test('capture files are stored whole under their SHA-256, once', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-files-'));
  try {
    const src = join(CORPUS, 'dhcp-dora.pcap');
    const bytes = await readFile(src);
    const want = createHash('sha256').update(bytes).digest('hex');
    const a = await storeCaptureFile(dir, src);
    assert.deepEqual(a, { sha256: want, path: capturePath(dir, want), size: bytes.length });
    assert.deepEqual(await readFile(a.path), bytes);
    const b = await storeCaptureFile(dir, src);
    assert.equal(b.path, a.path);
    assert.deepEqual(await readdir(join(dir, 'captures')), [want]); // no temp files left behind
    await assert.rejects(storeCaptureFile(dir, join(CORPUS, 'no-such-file.pcap')), { code: 'E_NOT_FOUND' });
    assert.deepEqual(await readdir(join(dir, 'captures')), [want]);
    assert.throws(() => capturePath(dir, '../etc/passwd'), { code: 'E_USAGE' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('openStore: DuckDB in the data directory by default, migrated', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-open-'));
  try {
    const s = await openStore(undefined, dir);
    assert.equal(s.kind, 'duckdb');
    assert.deepEqual(await s.listCaptures(), []);
    await s.close();
    assert.ok((await readdir(dir)).includes('pcaplens.duckdb'));
    await assert.rejects(openStore('postgres://nobody@127.0.0.1:1/none', dir), { code: 'E_STORE' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
