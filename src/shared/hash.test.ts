import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { md5Hex, md5, toHex } from './md5.js';
import { sha256Hex, hmacSha256, hkdfExpand, hkdfExtract } from './sha256.js';

const enc = new TextEncoder();

test('md5 matches RFC 1321 test suite', () => {
  assert.equal(md5Hex(''), 'd41d8cd98f00b204e9800998ecf8427e');
  assert.equal(md5Hex('abc'), '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(md5Hex('message digest'), 'f96b697d7cb7938d525a2f31aaf161d0');
  assert.equal(
    md5Hex('12345678901234567890123456789012345678901234567890123456789012345678901234567890'),
    '57edf4a22be3c955ac49da2e2107b67a',
  );
});

test('md5 and sha256 agree with node:crypto across block-boundary lengths', () => {
  for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]) {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 255;
    assert.equal(toHex(md5(b)), createHash('md5').update(b).digest('hex'), `md5 n=${n}`);
    assert.equal(sha256Hex(b), createHash('sha256').update(b).digest('hex'), `sha256 n=${n}`);
  }
  assert.equal(
    sha256Hex(enc.encode('abc')),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  );
});

test('hmac and hkdf agree with node:crypto', () => {
  const key = enc.encode('k'.repeat(100));
  const msg = enc.encode('The quick brown fox');
  assert.equal(toHex(hmacSha256(key, msg)), createHmac('sha256', key).update(msg).digest('hex'));
  const salt = Uint8Array.from([1, 2, 3]);
  const ikm = Uint8Array.from([9, 8, 7, 6]);
  const info = enc.encode('info');
  const mine = hkdfExpand(hkdfExtract(salt, ikm), info, 42);
  const theirs = new Uint8Array(hkdfSync('sha256', ikm, salt, info, 42));
  assert.equal(toHex(mine), toHex(theirs));
});

test('incremental sha256 equals one-shot for uneven pieces', async () => {
  const { Sha256 } = await import('./sha256.js');
  const b = new Uint8Array(1000);
  for (let i = 0; i < b.length; i++) b[i] = (i * 13) & 255;
  const s = new Sha256();
  for (let i = 0; i < b.length;) {
    const n = 1 + (i % 70);
    s.update(b, i, Math.min(b.length, i + n));
    i += n;
  }
  assert.equal(toHex(s.digest()), createHash('sha256').update(b).digest('hex'));
});
