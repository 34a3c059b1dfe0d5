import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_DIR } from '../../test/golden/paths.js';
import { openStore } from '../store/open.js';
import { main } from '../cli/main.js';
import { MemoryStream } from '../cli/io.js';
import { followStream, type StreamChunk } from './follow-stream.js';
import { ingestFiles } from './ingest.js';

const fx = (n: string) => join(FIXTURE_DIR, n);
const retrans = fx('tcp-retransmissions-http.pcap');
const download = fx('null-loopback-http-download.pcap');

const joined = (chunks: StreamChunk[], dir: 'fwd' | 'rev'): Buffer =>
  Buffer.concat(chunks.filter((c) => c.direction === dir).map((c) => c.bytes));

/** tshark's follow,tcp,raw: node 0's bytes (lines without a tab) and node 1's (tab-indented). */
function tsharkFollow(path: string, stream: number): [Buffer, Buffer] | null {
  const r = spawnSync('tshark', ['-r', path, '-qz', `follow,tcp,raw,${stream}`], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const parts: [string[], string[]] = [[], []];
  for (const line of r.stdout.split('\n')) {
    const m = /^(\t?)([0-9a-f]+)$/.exec(line);
    if (m) parts[m[1] ? 1 : 0].push(m[2]!);
  }
  return [Buffer.from(parts[0].join(''), 'hex'), Buffer.from(parts[1].join(''), 'hex')];
}

test('an HTTP flow: requests and responses in capture order, retransmissions once', async () => {
  const chunks = await followStream({ paths: [retrans] }, 1);
  // frames carrying each turn's first bytes, retransmitted copies (9, 15, 16, 22, 26, ...) skipped, as tshark marks them
  assert.deepEqual(
    chunks.slice(0, 4).map((c) => [c.direction, c.packet, c.gap]),
    [
      ['fwd', 8, 0],
      ['rev', 25, 0],
      ['fwd', 33, 0],
      ['rev', 41, 0],
    ],
  );
  assert.match(Buffer.from(chunks[0]!.bytes).toString('latin1'), /^POST \/exhmedmx HTTP\/1\.1\r\n/);
  assert.match(Buffer.from(chunks[1]!.bytes).toString('latin1'), /^HTTP\/1\.1 200 OK\r\n/);
  assert.equal(chunks[0]!.ts, '2009-11-24T00:51:49.124036Z');
  // each direction alone
  const fwd = await followStream({ paths: [retrans] }, 1, { direction: 'fwd' });
  assert.ok(fwd.every((c) => c.direction === 'fwd'));
  assert.deepEqual(joined(fwd, 'fwd'), joined(chunks, 'fwd'));
});

test('the reassembled bytes equal tshark follow,tcp,raw', async (t) => {
  for (const path of [retrans, download]) {
    const theirs = tsharkFollow(path, 0);
    if (!theirs) return t.skip('tshark not available');
    const ours = await followStream({ paths: [path] }, 1);
    assert.ok(theirs[0].length > 0 && theirs[1].length > 0);
    assert.ok(joined(ours, 'fwd').equals(theirs[0]), `${path} fwd`);
    assert.ok(joined(ours, 'rev').equals(theirs[1]), `${path} rev`);
  }
});

test('a stored capture gives the same chunks, re-read from its kept file; unknown flows are E_NOT_FOUND', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-follow-'));
  const store = await openStore(undefined, dir);
  try {
    const row = await ingestFiles(store, dir, [retrans]);
    const stored = await followStream({ store, dataDir: dir, captureId: row.id }, 1);
    assert.deepEqual(stored, await followStream({ paths: [retrans] }, 1));
    await assert.rejects(followStream({ store, dataDir: dir, captureId: row.id }, 999), /no flow 999/);
    await assert.rejects(followStream({ paths: [retrans] }, 999), /no flow 999/);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('maxBytes cuts the stream and marks the last chunk', async () => {
  const chunks = await followStream({ paths: [download] }, 1, { maxBytes: 100 });
  assert.equal(
    chunks.reduce((s, c) => s + c.bytes.length, 0),
    100,
  );
  assert.equal(chunks[chunks.length - 1]!.truncated, true);
});

test('pcaplens stream prints request then response, escaped, directions marked', async () => {
  const stdout = new MemoryStream(false);
  const stderr = new MemoryStream(false);
  const code = await main(['stream', download, '--flow', '1'], { stdout, stderr });
  assert.equal(code, 0, stderr.text);
  const lines = stdout.text.split('\n');
  assert.match(lines[0]!, /^>> fwd {2}packet 1 {2}2013-01-06T17:22:32\.275121Z {2}\d+ bytes$/);
  assert.equal(lines[1], 'GET /pkg/github.com/gconnell/gopacket/ HTTP/1.1');
  const rev = lines.findIndex((l) => l.startsWith('<< rev'));
  assert.ok(rev > 1);
  assert.equal(lines[rev + 1], 'HTTP/1.1 200 OK');
  // CR LF became line ends; nothing unprintable reaches the terminal
  assert.doesNotMatch(stdout.text, /[\r\x00-\x08\x0b-\x1f\x7f]/);

  const hex = new MemoryStream(false);
  assert.equal(
    await main(['stream', download, '--flow', '1', '--as', 'hex', '--direction', 'rev'], {
      stdout: hex,
      stderr,
    }),
    0,
  );
  assert.match(
    hex.text,
    /^<< rev .*\n0000 {2}48 54 54 50 2f 31 2e 31 {2}20 32 30 30 20 4f 4b 0d {2}HTTP\/1\.1 200 OK\.\n/,
  );

  const bad = await main(['stream', download], { stdout: new MemoryStream(false), stderr });
  assert.equal(bad, 2);
});
