import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { QuicSession, looksLikeQuic } from './session.js';
import { initialKeys, openInitial, parseLongHeader, varint } from './initial.js';
import { CryptoStream } from './crypto-stream.js';
import { ja3, ja4 } from '../tls/fingerprint.js';

/** testdata/*.hex: UDP payloads of client Initial datagrams (`tshark -e udp.payload`), one per line. */
function datagrams(name: string): Uint8Array[] {
  return readFileSync(new URL(`./testdata/${name}.hex`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((l) => Uint8Array.from(Buffer.from(l.trim(), 'hex')));
}

test('RFC 9001 appendix A.1: client Initial keys from DCID 8394c8f03e515708', () => {
  const dcid = Uint8Array.from(Buffer.from('8394c8f03e515708', 'hex'));
  const k = initialKeys(dcid, 1, 'client')!;
  assert.equal(Buffer.from(k.iv).toString('hex'), 'fa044b2f42a3fd3b46fb255c');
  // the hp key is checked through its effect: AES-ECB(hp, sample) from appendix A.2
  const sample = Uint8Array.from(Buffer.from('d1b1c98dd7689fb8ec11d242b123dc9b', 'hex'));
  const mask = new Uint8Array(16);
  k.hp.encryptBlock(sample, 0, mask, 0);
  assert.equal(Buffer.from(mask.subarray(0, 5)).toString('hex'), '437b9aec36');
});

test('QUIC v1 Initial from Firefox (quic-firefox-cloudflare.pcap frame 1): SNI, ALPN, JA3 as tshark', () => {
  const [d1] = datagrams('firefox-cloudflare-initials');
  assert.equal(looksLikeQuic(d1!, 0, d1!.length), true);
  const s = new QuicSession();
  s.datagram(0, d1!, 0, d1!.length, 1, 10, 0);
  const ch = s.info.clientHello!;
  assert.equal(s.info.version, 1);
  assert.equal(s.info.dcid, 'c5a5015ae8f479784a');
  assert.equal(ch.serverName, 'blog.cloudflare.com');
  assert.deepEqual(ch.alpn, ['h3']);
  assert.equal(ja3(ch).ja3, 'b719940c5ab9a3373cb4475d8143ff88');
  assert.match(ja4(ch, 'q').ja4, /^q13d\d{4}h3_/);
  assert.equal(s.info.packet, 1);
  assert.equal(s.finished, true);
});

test('QUIC Retry (ppp-quic-retry.pcap): first Initial and the post-Retry Initial with a new DCID both decrypt', () => {
  const [a, b] = datagrams('ppp-retry-initials');
  const s1 = new QuicSession();
  s1.datagram(0, a!, 0, a!.length, 5, 0, 0);
  assert.equal(s1.info.clientHello?.serverName, 'server4:443');
  const s2 = new QuicSession();
  s2.datagram(0, b!, 0, b!.length, 7, 0, 0);
  assert.equal(s2.info.undecryptable, 0);
  assert.equal(s2.info.clientHello?.serverName, 'server4:443');
});

test('corrupted Initials fail the tag check instead of producing garbage; floods are bounded', () => {
  const [d1] = datagrams('firefox-cloudflare-initials');
  const bad = d1!.slice();
  bad[200] = bad[200]! ^ 0x55;
  const h = parseLongHeader(bad, 0, bad.length)!;
  assert.equal(openInitial(bad, h, initialKeys(h.dcid, h.version, 'client')!), null);
  const s = new QuicSession(4);
  for (let i = 0; i < 100; i++) s.datagram(0, bad, 0, bad.length, i + 1, 0, 0);
  assert.equal(s.info.undecryptable, 4);
  assert.equal(s.finished, true);
  // truncations and random bytes never throw
  for (let n = 0; n < d1!.length; n += 17) new QuicSession().datagram(0, d1!, 0, n, 1, 0, 0);
  let seed = 5;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
  for (let k = 0; k < 300; k++) {
    const b = new Uint8Array(1200);
    for (let i = 0; i < b.length; i++) b[i] = rnd();
    b[0] = 0xc0;
    b.set([0, 0, 0, 1], 1);
    new QuicSession().datagram(0, b, 0, b.length, 1, 0, 0);
  }
});

test('varints and an out-of-order CRYPTO stream', () => {
  assert.deepEqual(
    varint(Uint8Array.of(0xc2, 0x19, 0x7c, 0x5e, 0xff, 0x14, 0xe8, 0x8c), 0, 8),
    [151288809941952652, 8],
  );
  assert.deepEqual(varint(Uint8Array.of(0x7b, 0xbd), 0, 2), [15293, 2]);
  assert.equal(varint(Uint8Array.of(0x7b), 0, 1), null);
  const c = new CryptoStream(16);
  c.add(4, Uint8Array.of(4, 5, 6));
  assert.equal(c.contiguous().length, 0);
  c.add(0, Uint8Array.of(0, 1, 2, 3, 4));
  assert.deepEqual(Array.from(c.contiguous()), [0, 1, 2, 3, 4, 5, 6]);
  c.add(10, new Uint8Array(100)); // clipped at the cap
  c.add(7, new Uint8Array(3));
  assert.equal(c.contiguous().length, 16);
});
