import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isPcaplensError } from '../../shared/errors.js';
import { openCapture } from '../../wire/open.js';
import { CORPUS_DIR, corpusAvailable, num, one, readOracle } from '../../wire/test-support/oracle.js';
import { readAll } from '../../wire/test-support/read-all.js';
import { openFileAt, openFileSource } from './file-source.js';

const SKIP = corpusAvailable() ? false : `corpus not found at ${CORPUS_DIR} (set PCAPLENS_CORPUS)`;

function tempDir(): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-src-'));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

test('file source: a missing file is E_NOT_FOUND, a directory E_IO', async () => {
  using t = tempDir();
  await assert.rejects(
    openFileSource(join(t.dir, 'nope.pcap')),
    (e: unknown) => isPcaplensError(e) && e.code === 'E_NOT_FOUND',
  );
  await assert.rejects(openFileSource(t.dir), (e: unknown) => isPcaplensError(e) && e.code === 'E_IO');
});

test('file source: reads a plain file, counting consumed bytes', async () => {
  using t = tempDir();
  const p = join(t.dir, 'x.bin');
  writeFileSync(p, Uint8Array.from([1, 2, 3, 4, 5]));
  const s = await openFileSource(p);
  assert.equal(s.compressed, false);
  assert.equal(s.size, 5);
  const buf = new Uint8Array(8);
  assert.equal(await s.read(buf, 1, 3), 3);
  assert.equal(await s.read(buf, 4, 4), 2);
  assert.equal(await s.read(buf, 0, 4), 0);
  assert.deepEqual([...buf], [0, 1, 2, 3, 4, 5, 0, 0]);
  assert.equal(s.consumed, 5);
  await s.close();
  await s.close(); // closing twice is harmless
});

test('file source: an empty file is not a capture', async () => {
  using t = tempDir();
  const p = join(t.dir, 'empty.pcap');
  writeFileSync(p, new Uint8Array(0));
  await assert.rejects(
    openCapture(await openFileSource(p)),
    (e: unknown) => isPcaplensError(e) && e.code === 'E_NOT_CAPTURE' && /empty/.test(e.message),
  );
});

for (const name of ['smb2-file-transfer.pcap', 'pcapng-be-multi-section-all-blocks.pcapng']) {
  test(`gzip source: ${name} compressed at test time reads like the original`, { skip: SKIP }, async () => {
    using t = tempDir();
    const raw = readFileSync(join(CORPUS_DIR, name));
    const gz = gzipSync(raw);
    const p = join(t.dir, `${name}.gz`);
    writeFileSync(p, gz);
    const src = await openFileSource(p);
    assert.equal(src.compressed, true);
    assert.equal(src.size, gz.length);
    const r = await openCapture(src, { chunkSize: 4096 });
    assert.equal(r.compressed, true);
    const tally = await readAll(r);
    const o = readOracle(name);
    assert.equal(tally.packets, num(o, 'packets'));
    assert.equal(tally.bytesOnWire, num(o, 'bytes_on_wire_total'));
    assert.equal(tally.bytesCaptured, num(o, 'bytes_captured_total'));
    assert.equal(tally.lastTs, one(o, 'last_frame_time_epoch'));
    assert.deepEqual(r.problems, []);
    assert.equal(src.consumed, gz.length, 'all compressed bytes consumed');
    await r.close();
  });
}

test(
  'gzip source: a cut-off gzip file ends the reader with a problem, not an exception',
  { skip: SKIP },
  async () => {
    using t = tempDir();
    const name = 'smb2-file-transfer.pcap';
    const gz = gzipSync(readFileSync(join(CORPUS_DIR, name)));
    const p = join(t.dir, 'cut.pcap.gz');
    writeFileSync(p, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await openCapture(await openFileSource(p));
    const tally = await readAll(r);
    await r.close();
    assert.ok(tally.packets > 0 && tally.packets < num(readOracle(name), 'packets'));
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.code, 'E_TRUNCATED');
  },
);

test('gzip source: gzip of something else is E_NOT_CAPTURE at open', async () => {
  using t = tempDir();
  const p = join(t.dir, 'text.gz');
  writeFileSync(p, gzipSync(Buffer.from('hello, this is not a capture\n')));
  await assert.rejects(
    openCapture(await openFileSource(p)),
    (e: unknown) => isPcaplensError(e) && e.code === 'E_NOT_CAPTURE' && /68 65 6c 6c/.test(e.message),
  );
});

test('file source at an offset: reads every byte from there in order, short reads at the end, 0 after close', async () => {
  using t = tempDir();
  const bytes = new Uint8Array(10000).map((_, i) => (i * 7) & 255);
  const path = join(t.dir, 'x.bin');
  writeFileSync(path, bytes);
  const start = 1234;
  const s = await openFileAt(path, bytes.length, start);
  // offsets stay the file's: what was skipped counts as consumed
  assert.equal(s.consumed, start);
  const out = new Uint8Array(bytes.length + 100);
  let got = 0;
  for (;;) {
    const n = await s.read(out, got, 3001);
    if (n === 0) break;
    got += n;
  }
  assert.equal(got, bytes.length - start);
  assert.equal(s.consumed, bytes.length);
  assert.deepEqual(out.subarray(0, got), bytes.subarray(start));
  await s.close();
  assert.equal(await s.read(out, 0, 10), 0);
  await assert.rejects(
    openFileAt(join(t.dir, 'nope.bin'), -1, 0),
    (e: unknown) => isPcaplensError(e) && e.code === 'E_NOT_FOUND',
  );
});

test(
  'file source at an offset: a capture read from its start gives the records openFileSource gives',
  { skip: SKIP },
  async () => {
    const path = join(CORPUS_DIR, 'smtp-auth-login.pcap');
    const tally = async (at: boolean) => {
      const r = await openCapture(at ? await openFileAt(path, -1, 0) : await openFileSource(path));
      const got = await readAll(r);
      await r.close();
      return got;
    };
    assert.deepEqual(await tally(true), await tally(false));
  },
);
