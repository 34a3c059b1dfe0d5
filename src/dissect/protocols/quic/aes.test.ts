import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv } from 'node:crypto';
import { Aes128, aes128GcmOpen } from './aes.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

test('AES-128 matches FIPS 197 appendix C.1', () => {
  const aes = new Aes128(hex('000102030405060708090a0b0c0d0e0f'));
  const out = new Uint8Array(16);
  aes.encryptBlock(hex('00112233445566778899aabbccddeeff'), 0, out, 0);
  assert.equal(Buffer.from(out).toString('hex'), '69c4e0d86a7b0430d8cdb78070b4c55a');
});

test('AES-128-GCM open agrees with node:crypto and rejects a bad tag', () => {
  for (const [ptLen, aadLen] of [
    [0, 0],
    [1, 5],
    [16, 16],
    [1200, 40],
    [33, 0],
  ] as const) {
    const key = Uint8Array.from({ length: 16 }, (_, i) => i * 7 + ptLen);
    const iv = Uint8Array.from({ length: 12 }, (_, i) => i + 3);
    const pt = Uint8Array.from({ length: ptLen }, (_, i) => (i * 13) & 255);
    const aad = Uint8Array.from({ length: aadLen }, (_, i) => i);
    const c = createCipheriv('aes-128-gcm', key, iv);
    c.setAAD(aad);
    const ct = Buffer.concat([c.update(pt), c.final(), c.getAuthTag()]);
    const sealed = new Uint8Array(ct);
    const opened = aes128GcmOpen(new Aes128(key), iv, aad, sealed);
    assert.deepEqual(opened, pt);
    sealed[sealed.length - 1] = sealed[sealed.length - 1]! ^ 1;
    assert.equal(aes128GcmOpen(new Aes128(key), iv, aad, sealed), null);
  }
});
