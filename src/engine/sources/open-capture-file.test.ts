import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAll } from '../../wire/test-support/read-all.js';
import { FileSource } from './file-source.js';
import { READ_AHEAD_MAX_FILES, openCaptureFile } from './open-capture-file.js';

const FIXTURE = join(import.meta.dirname, '../../../test/fixtures/null-loopback-http-download.pcap');

/** The fixture's records repeated until the file passes `size` bytes (the same 24-byte pcap header). */
function bigCopy(dir: string, size: number): { path: string; records: number } {
  const src = readFileSync(FIXTURE);
  const body = src.subarray(24);
  const copies = Math.ceil(size / body.length);
  const path = join(dir, 'big.pcap');
  writeFileSync(path, Buffer.concat([src.subarray(0, 24), ...Array<Buffer>(copies).fill(body)]));
  return { path, records: copies };
}

test('open capture file: one of a few inputs reads 4 MiB chunks ahead, one of many reads 1 MiB without', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-ocf-'));
  try {
    const { path, records } = bigCopy(dir, 12 << 20);
    const one = await openCaptureFile(path, 1);
    assert.ok(one.source instanceof FileSource && one.source.readsAhead);
    assert.ok(one.source.consumed >= 4 << 20, `first fill read ${one.source.consumed} bytes`);
    const few = await readAll(one.reader);
    await one.reader.close();

    const many = await openCaptureFile(path, READ_AHEAD_MAX_FILES + 1);
    assert.ok(many.source instanceof FileSource && !many.source.readsAhead);
    assert.equal(many.source.consumed, 1 << 20);
    const tally = await readAll(many.reader);
    await many.reader.close();

    assert.equal(few.packets % records, 0);
    assert.deepEqual(tally, few);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('open capture file: a file that is not a capture is closed and rejected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-ocf-'));
  try {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'not a capture at all');
    await assert.rejects(openCaptureFile(path, 1), /not a pcap or pcapng file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
