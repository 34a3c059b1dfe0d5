import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAll } from '../../wire/test-support/read-all.js';
import { FileSource } from './file-source.js';
import { CACHE_HOT_CHUNK, READ_AHEAD_MAX_FILES, openCaptureFile } from './open-capture-file.js';

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

test('open capture file: a regular file is read in cache-sized chunks on this thread, one or many at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-ocf-'));
  try {
    const { path, records } = bigCopy(dir, 12 << 20);
    const one = await openCaptureFile(path, 1);
    assert.ok(one.source instanceof FileSource && !one.source.readsAhead);
    assert.equal(one.source.consumed, CACHE_HOT_CHUNK, 'the first fill reads one chunk');
    // the reading gives the event loop turns (every 4 MiB): an immediate queued now runs before it is over
    let turns = 0;
    let reading = true;
    const tick = (): void => {
      if (!reading) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const few = await readAll(one.reader);
    reading = false;
    await one.reader.close();
    assert.ok(turns >= 2, `the event loop had ${turns} turns while 12 MiB were read`);

    const many = await openCaptureFile(path, READ_AHEAD_MAX_FILES + 1);
    assert.ok(many.source instanceof FileSource && !many.source.readsAhead);
    assert.equal(many.source.consumed, CACHE_HOT_CHUNK);
    const tally = await readAll(many.reader);
    await many.reader.close();

    assert.equal(few.packets % records, 0);
    assert.deepEqual(tally, few);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('open capture file: a pipe is read in sequence, the next 4 MiB chunk ahead on the thread pool', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-ocf-'));
  try {
    const { path } = bigCopy(dir, 6 << 20);
    const fifo = join(dir, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    // the writer opens the pipe when the reader does, and is done when the reader has read it all
    const writing = new Promise<void>((resolve, reject) =>
      createReadStream(path).pipe(createWriteStream(fifo)).on('finish', resolve).on('error', reject),
    );
    const piped = await openCaptureFile(fifo, 1);
    assert.ok(piped.source instanceof FileSource && piped.source.readsAhead);
    assert.equal(piped.source.size, -1);
    const tally = await readAll(piped.reader);
    await piped.reader.close();
    await writing;

    const plain = await openCaptureFile(path, 1);
    assert.deepEqual(tally, await readAll(plain.reader));
    await plain.reader.close();
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
