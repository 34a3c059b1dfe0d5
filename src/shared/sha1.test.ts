import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sha1 } from './sha1.js';
import { base64Encode } from './base64.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('sha1 matches FIPS 180 examples', () => {
  assert.equal(hex(sha1(new TextEncoder().encode('abc'))), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(hex(sha1(new Uint8Array(0))), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
  assert.equal(
    hex(sha1(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))),
    '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
  );
});

test('sha1 agrees with node:crypto on every length around block boundaries', () => {
  for (let n = 0; n < 200; n++) {
    const d = new Uint8Array(n).map((_, i) => (i * 31 + n) & 255);
    assert.equal(hex(sha1(d)), createHash('sha1').update(d).digest('hex'), `length ${n}`);
  }
});

test('base64Encode pads like RFC 4648', () => {
  for (const s of ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar']) {
    const b = new TextEncoder().encode(s);
    assert.equal(base64Encode(b), Buffer.from(b).toString('base64'));
  }
});
