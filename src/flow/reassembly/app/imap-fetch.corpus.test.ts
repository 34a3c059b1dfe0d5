/**
 * IMAP FETCH literals on imap-login.pcap (arkime, Apache-2.0): "a0007 FETCH 12 RFC822" returns the message as
 * a {3339} literal; it comes out in files as message/rfc822 with the SHA-256 of exactly those bytes, taken
 * here from tshark's `follow,tcp,raw` of the server side. The 13 BODY[HEADER.FIELDS ...] literals of the
 * earlier FETCH are header excerpts, not messages: skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, FIXTURE_DIR } from '../../../../test/golden/paths.js';
import { analyzeCapture } from '../../test-support/run-capture.js';
import type { CredentialRow, FileRow } from '../../../shared/app-rows.js';
import { AppLayer } from './app-layer.js';

const NAME = 'imap-login.pcap';
const path = [FIXTURE_DIR, CORPUS_DIR].map((d) => join(d, NAME)).find((p) => existsSync(p)) ?? null;
const HAVE_TSHARK = spawnSync('tshark', ['-v'], { encoding: 'utf8' }).status === 0;
if (!HAVE_TSHARK && process.env.CI) throw new Error('tshark is required under CI for the IMAP oracle');

/** The server's bytes of the first TCP stream, in order, from tshark. */
function serverBytes(p: string): Buffer {
  const r = spawnSync('tshark', ['-n', '-r', p, '-q', '-z', 'follow,tcp,raw,0'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, r.stderr);
  // follow,raw: the second node's chunks are the lines indented by a tab
  const hex = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('\t'))
    .map((l) => l.trim())
    .join('');
  return Buffer.from(hex, 'hex');
}

test(
  `IMAP FETCH RFC822 literal becomes a file: ${NAME}`,
  { skip: path === null ? 'capture not present' : !HAVE_TSHARK ? 'tshark not installed' : false },
  async () => {
    const files: { row: FileRow; content: Uint8Array | null }[] = [];
    const creds: CredentialRow[] = [];
    const app = new AppLayer(
      {
        file: (row, content) => files.push({ row, content: content ? content.slice() : null }),
        credential: (r) => creds.push(r),
      },
      { keepFileBytes: 1 << 20 },
    );
    await analyzeCapture(path!, { onPacket: app.onPacket, onFlowEnd: app.onFlowEnd });
    const server = serverBytes(path!);
    const marker = Buffer.from('* 12 FETCH (RFC822 {3339}\r\n');
    const at = server.indexOf(marker);
    assert.ok(at > 0, 'the literal is in the server stream');
    const literal = server.subarray(at + marker.length, at + marker.length + 3339);
    assert.equal(files.length, 1, 'one message; the header-field literals are not messages');
    const f = files[0]!;
    assert.equal(f.row.proto, 'imap');
    assert.equal(f.row.content_type, 'message/rfc822');
    assert.equal(f.row.direction, 'download');
    assert.equal(f.row.size, 3339);
    assert.equal(f.row.complete, true);
    assert.equal(f.row.sha256, createHash('sha256').update(literal).digest('hex'));
    assert.deepEqual(Buffer.from(f.content!), literal);
    assert.match(f.row.name!, /^Re: The problem with NDS userids/);
    // the LOGIN is still seen (the server side now goes through the byte reader)
    assert.deepEqual(
      creds.map((c) => [c.proto, c.username]),
      [['imap', 'neulingern']],
    );
  },
);
