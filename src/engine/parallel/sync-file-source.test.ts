import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncFileSource } from './sync-file-source.js';
import { openCapture } from '../../wire/open.js';
import { READ_NEED_MORE, READ_RECORD } from '../../wire/reader.js';
import { PacketRecord } from '../../wire/record.js';
import { openFileSource } from '../sources/file-source.js';
import { CORPUS_DIR } from '../../../test/golden/paths.js';

test('sync file source: reads every byte in order, short reads at the end, 0 after close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-sync-'));
  try {
    const bytes = new Uint8Array(10000).map((_, i) => (i * 7) & 255);
    const path = join(dir, 'x.bin');
    writeFileSync(path, bytes);
    const s = new SyncFileSource(path, bytes.length);
    const out = new Uint8Array(bytes.length + 100);
    let got = 0;
    for (;;) {
      const n = await s.read(out, got, 3001);
      if (n === 0) break;
      got += n;
    }
    assert.equal(got, bytes.length);
    assert.equal(s.consumed, bytes.length);
    assert.deepEqual(out.subarray(0, got), bytes);
    await s.close();
    assert.equal(await s.read(out, 0, 10), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sync file source: a capture reads to the same records as through the async file source', async () => {
  const path = join(CORPUS_DIR, 'smtp-auth-login.pcap');
  const count = async (sync: boolean) => {
    const src = sync ? new SyncFileSource(path, -1) : await openFileSource(path);
    const r = await openCapture(src);
    const rec = new PacketRecord();
    let n = 0;
    let bytes = 0;
    for (;;) {
      const st = r.read(rec);
      if (st === READ_RECORD) {
        n++;
        bytes += rec.caplen;
      } else if (st === READ_NEED_MORE) await r.fill();
      else break;
    }
    await r.close();
    return [n, bytes];
  };
  assert.deepEqual(await count(true), await count(false));
});
