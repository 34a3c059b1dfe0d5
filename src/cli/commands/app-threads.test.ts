/**
 * --threads on the direct application-layer commands: bad values are usage errors, and with the split forced
 * on a small capture (PCAPLENS_APP_SPLIT_MIN_SIZE=0) two threads print byte for byte what one prints.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../main.js';
import { MemoryStream } from '../io.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const corpus = (process.env.PCAPLENS_SHARED ?? '/work/shared') + '/corpus/';
const mixed = join(corpus, 'mixed-many-protocols.pcap');
const capture = existsSync(mixed) ? mixed : join(root, 'test/fixtures/vxlan-http.pcap');

async function run(argv: string[]) {
  const stdout = new MemoryStream(false);
  const stderr = new MemoryStream(false);
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

const saved = process.env.PCAPLENS_APP_SPLIT_MIN_SIZE;
before(() => {
  process.env.PCAPLENS_APP_SPLIT_MIN_SIZE = '0';
});
after(() => {
  if (saved === undefined) delete process.env.PCAPLENS_APP_SPLIT_MIN_SIZE;
  else process.env.PCAPLENS_APP_SPLIT_MIN_SIZE = saved;
});

test('--threads takes 1..16 on summary and the application tables', async () => {
  for (const verb of ['summary', 'http', 'dns'])
    for (const bad of ['0', '17', 'two', '-1', '1.5']) {
      const r = await run([verb, capture, '--threads', bad]);
      assert.equal(r.code, 2, `${verb} --threads ${bad}`);
      // '-1' reads as an option to node's parser: still a usage error, in its words
      assert.match(r.err, bad === '-1' ? /--threads/ : /--threads takes 1\.\.16/, `${verb} --threads ${bad}`);
      assert.equal(r.out, '');
    }
  for (const verb of ['summary', 'http']) {
    const r = await run([verb, '--help']);
    assert.match(r.out, /--threads N/);
  }
});

test('summary, http, dns and tls print the same bytes on one and two threads', async () => {
  for (const [verb, format] of [
    ['summary', 'json'],
    ['summary', 'csv'],
    ['http', 'json'],
    ['dns', 'csv'],
    ['tls', 'json'],
  ] as const) {
    const one = await run([verb, capture, '--format', format, '--threads', '1']);
    const two = await run([verb, capture, '--format', format, '--threads', '2']);
    assert.equal(one.code, 0, one.err);
    assert.equal(two.code, 0, two.err);
    assert.ok(one.out.length > 50, `${verb}: output`);
    assert.equal(two.out, one.out, `${verb} ${format}`);
    assert.equal(two.err, one.err, `${verb} ${format}: warnings`);
  }
});
