import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../main.js';
import { MemoryStream } from '../io.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const capture = join(root, 'test/fixtures/tcp-retransmissions-http.pcap');

async function run(argv: string[]) {
  const stdout = new MemoryStream(false);
  const stderr = new MemoryStream(false);
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

test('import --threads: 2 decoding threads store the rows of 1; bad values are usage errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-import-threads-'));
  try {
    for (const bad of ['0', '17', 'two', '-1'])
      assert.equal((await run(['import', capture, '--data', dir, '--threads', bad])).code, 2, bad);
    const rows: string[] = [];
    for (const threads of ['1', '2']) {
      const r = await run(['import', capture, '--data', dir, '--threads', threads, '--force']);
      assert.equal(r.code, 0, r.err);
      const id = r.out.trim();
      for (const table of ['flows', 'hosts', 'alerts']) {
        const t = await run([table, `@${id}`, '--data', dir, '--format', 'json']);
        assert.equal(t.code, 0, t.err);
        rows.push(t.out);
      }
    }
    assert.ok(rows[0]!.length > 100);
    assert.deepEqual(rows.slice(3), rows.slice(0, 3));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
