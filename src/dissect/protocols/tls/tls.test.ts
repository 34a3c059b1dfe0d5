import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TlsSession, looksLikeTls } from './session.js';
import { ja3, ja3s, ja4 } from './fingerprint.js';
import { clientMaxVersion, isGrease, parseClientHello, versionName, type ClientHello } from './hello.js';
import { parseCertificate } from './x509.js';

/**
 * testdata/*.stream: the first TCP segments of stream 0 of the corpus captures, as `tshark -z follow,tcp,raw`
 * prints them: one segment per line, "c" client to server, "s" server to client, payload in hex.
 */
function segments(name: string): [0 | 1, Uint8Array][] {
  const text = readFileSync(new URL(`./testdata/${name}.stream`, import.meta.url), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => [l[0] === 'c' ? 0 : 1, Uint8Array.from(Buffer.from(l.slice(2), 'hex'))]);
}

function feed(segs: [0 | 1, Uint8Array][], pieceSize = 0): TlsSession {
  const s = new TlsSession();
  segs.forEach(([dir, b], i) => {
    if (pieceSize === 0) s.data(dir, b, i + 1, 100 + i, 0);
    else
      for (let o = 0; o < b.length; o += pieceSize)
        s.data(dir, b.subarray(o, o + pieceSize), i + 1, 100 + i, 0);
  });
  return s;
}

test('TLS 1.2 (tls12-sni-sct.pcap): SNI, JA3/JA3S as tshark computes them, leaf certificate', () => {
  const segs = segments('tls12-sni-sct');
  assert.equal(looksLikeTls(segs[0]![1], 0, segs[0]![1].length), true);
  for (const piece of [0, 1, 7, 1000]) {
    const { info } = feed(segs, piece);
    const ch = info.clientHello!;
    assert.equal(ch.serverName, 'ritter.vg', `piece ${piece}`);
    assert.equal(info.clientDir, 0);
    assert.equal(info.packet, 1);
    assert.equal(ja3(ch).ja3, 'b1afe2c6450b5e4734275e639199d5fe');
    assert.equal(
      ja3(ch).ja3String,
      '771,4865-4866-4867-49195-49199-49196-49200-52393-52392-52244-52243-49171-49172-156-157-47-53-10,65281-0-23-35-13-5-18-16-30032-11-40-45-43-10-24-21,29-23-24,0',
    );
    assert.equal(ja3s(info.serverHello!).ja3s, 'c6fb5c8105271d5fb88ecf79cac4e1d5');
    assert.equal(versionName(info.serverHello!.legacyVersion), 'TLS 1.2');
    const c = info.certificate!;
    assert.equal(info.certCount, 3);
    assert.equal(c.subjectCN, 'ritter.vg');
    assert.equal(c.issuerCN, 'COMODO RSA Domain Validation Secure Server CA');
    assert.equal(c.issuerO, 'COMODO CA Limited');
    assert.equal(c.serial, '7b60cd98584a56ec9c2145c40c54f830');
    assert.equal(c.notBefore, '2014-07-31T00:00:00Z');
    assert.equal(c.notAfter, '2019-07-30T23:59:59Z');
    assert.deepEqual(c.sanDns, ['ritter.vg', 'www.ritter.vg']);
    assert.equal(c.selfSigned, false);
    // sha256sum of the DER that tshark shows as tls.handshake.certificate
    assert.equal(c.sha256, '4c3fbfbac7589ee68d753f806acc822cbd5082c735fdc3fce3924dc32959288f');
    assert.equal(c.subject, 'OU=Domain Control Validated, OU=PositiveSSL, CN=ritter.vg');
  }
});

test('TLS 1.3 (sll2-tls13-sni.pcap): SNI, ALPN, versions, JA3/JA3S, JA4', () => {
  const s = feed(segments('sll2-tls13-sni'));
  const ch = s.info.clientHello!;
  assert.equal(ch.serverName, 'zeek.org');
  assert.deepEqual(ch.alpn, ['h2', 'http/1.1']);
  assert.deepEqual(ch.extensions, [0, 5, 10, 11, 16, 17, 23, 35, 13, 43, 45, 50, 51]);
  assert.equal(versionName(clientMaxVersion(ch)), 'TLS 1.3');
  assert.equal(ja3(ch).ja3, 'bddb16608b241c89053080cf80771423');
  assert.equal(ja3s(s.info.serverHello!).ja3s, '15af977ce25de452b96affa2addb1036');
  assert.equal(s.info.serverHello!.selectedVersion, 0x0304);
  assert.equal(s.info.certificate, null); // encrypted in 1.3
  assert.match(ja4(ch).ja4, /^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
  assert.equal(s.finished, true);
});

test('JA4 of a published Chrome ClientHello (FoxIO example values)', () => {
  const h = (s: string): number[] => s.split(',').map((x) => parseInt(x, 16));
  const ch: ClientHello = {
    legacyVersion: 0x0303,
    ciphers: [0x2a2a, ...h('1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035')],
    extensions: [
      0x8a8a,
      ...h('002d,0033,0010,fe0d,0017,44cd,0000,000b,000a,002b,ff01,0023,0012,0005,000d,001b'),
      0x1a1a,
    ],
    serverName: 'tls.browserleaks.com',
    alpn: ['h2', 'http/1.1'],
    groups: [],
    pointFormats: [],
    sigAlgs: h('0403,0804,0401,0503,0805,0501,0806,0601'),
    versions: [0x3a3a, 0x0304, 0x0303],
    sessionIdLen: 32,
  };
  const r = ja4(ch);
  assert.equal(r.ja4, 't13d1516h2_8daaf6152771_d8a2da3f94cd');
  assert.equal(
    r.ja4Raw,
    't13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0017,001b,0023,002b,002d,0033,44cd,fe0d,ff01_0403,0804,0401,0503,0805,0501,0806,0601',
  );
  assert.equal(ja4({ ...ch, serverName: null, alpn: [] }, 'q').ja4.slice(0, 10), 'q13i151600');
  assert.equal(ja4({ ...ch, alpn: ['\x00ab'] }).ja4.slice(8, 10), '02');
  assert.ok(isGrease(0xfafa) && !isGrease(0xfa0a) && !isGrease(0x0a1a));
});

test('hostile TLS: bad record headers, absurd handshake lengths, truncated hellos, random bytes', () => {
  const s = new TlsSession();
  s.data(0, Uint8Array.of(0x47, 0x45, 0x54, 0x20, 0x2f, 0x20), 1, 0, 0);
  assert.equal(s.info.notTls, true);
  // handshake message claiming 16 MiB inside a small record: skipped, no huge allocation
  const t = new TlsSession();
  t.data(0, Uint8Array.of(0x16, 3, 1, 0, 8, 1, 0xff, 0xff, 0xff, 3, 3, 0, 0), 1, 0, 0);
  assert.equal(t.info.clientHello, null);
  // ClientHello cut at every possible length never throws and never invents data
  const ch = segments('tls12-sni-sct')[0]![1].subarray(9, 9 + 0x1fc);
  for (let n = 0; n < ch.length; n++) {
    const r = parseClientHello(ch, 0, n);
    if (r && r.serverName !== null) assert.equal(r.serverName, 'ritter.vg');
  }
  let seed = 11;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
  const base = segments('tls12-sni-sct');
  for (let k = 0; k < 200; k++) {
    const s2 = new TlsSession();
    for (const [dir, b] of base) {
      const m = b.slice();
      for (let j = 0; j < 4; j++) m[(rnd() * 31) % m.length] = rnd();
      s2.data(dir, m, 1, 0, 0);
    }
  }
  for (let k = 0; k < 200; k++) {
    const b = new Uint8Array(300);
    for (let i = 0; i < b.length; i++) b[i] = rnd();
    b[0] = 0x30;
    b[1] = 0x82;
    parseCertificate(b, 0, b.length);
  }
});

test('a gap inside an application-data record keeps the record layer in step', () => {
  const s = new TlsSession();
  const rec = (type: number, len: number): Uint8Array => {
    const b = new Uint8Array(5 + len);
    b.set([type, 3, 3, len >> 8, len & 255]);
    return b;
  };
  const a = rec(23, 1000);
  s.data(1, a.subarray(0, 300), 1, 0, 0);
  s.gap(1, 500);
  s.data(1, a.subarray(800), 2, 0, 0);
  s.data(1, rec(21, 2), 3, 0, 0);
  assert.equal(s.info.alerts, 1);
  assert.equal(s.info.notTls, false);
});

test('without certificates: the same hellos, no certificate, and the session finishes after the same segment', () => {
  for (const name of ['tls12-sni-sct', 'sll2-tls13-sni']) {
    const segs = segments(name);
    const full = new TlsSession();
    const bare = new TlsSession(false);
    let finishedAt = -1;
    segs.forEach(([dir, b], i) => {
      full.data(dir, b, i + 1, 100 + i, 0);
      bare.data(dir, b, i + 1, 100 + i, 0);
      assert.equal(bare.finished, full.finished, `${name} segment ${i}`);
      if (full.finished && finishedAt < 0) finishedAt = i;
    });
    assert.ok(finishedAt >= 0, `${name} finishes`);
    assert.equal(bare.info.certificate, null);
    assert.equal(bare.info.certCount, 0);
    assert.deepEqual(
      { ...bare.info, certificate: null, certCount: 0 },
      {
        ...full.info,
        certificate: null,
        certCount: 0,
      },
    );
  }
  // the TLS 1.2 capture does carry a certificate chain, which the full session reads
  const t12 = feed(segments('tls12-sni-sct'));
  assert.equal(t12.info.certCount, 3);
});

test('handshake messages read in place (whole in a segment) or gathered (cut anywhere) give the same info', () => {
  for (const name of ['tls12-sni-sct', 'sll2-tls13-sni']) {
    const segs = segments(name);
    const whole = feed(segs);
    // piece 0: segments as captured, where hellos and the certificate chain sit whole in their segments
    for (const piece of [1, 3, 5, 100, 1000, 1449])
      assert.deepEqual(feed(segs, piece).info, whole.info, `${name} in pieces of ${piece}`);
    // and the whole stream of each direction at once: several messages in one call
    const joined = ([0, 1] as const).map((d): [0 | 1, Uint8Array] => [
      d,
      Uint8Array.from(segs.filter(([dir]) => dir === d).flatMap(([, b]) => [...b])),
    ]);
    const once = feed(joined).info;
    assert.deepEqual(
      { ...once, packet: 0, tsSec: 0 },
      { ...whole.info, packet: 0, tsSec: 0 },
      `${name} joined`,
    );
  }
});

test('a certificate parsed again (cached by its bytes) is the same, in an object of its own; other bytes differ', () => {
  const s = feed(segments('tls12-sni-sct'));
  const leaf = s.info.certificate!;
  assert.ok(leaf.sanDns.length > 0);
  // the leaf's DER: find it in the server's bytes by parsing at each offset until the same certificate comes
  const server = Buffer.concat(
    segments('tls12-sni-sct')
      .filter(([d]) => d === 1)
      .map(([, b]) => b),
  );
  let at = -1;
  for (let i = 0; i < server.length && at < 0; i++)
    if (server[i] === 0x30 && server[i + 1] === 0x82) {
      const len = 4 + ((server[i + 2]! << 8) | server[i + 3]!);
      const c = parseCertificate(server, i, i + len);
      if (c && c.sha256 === leaf.sha256) at = i;
    }
  assert.ok(at >= 0);
  const len = 4 + ((server[at + 2]! << 8) | server[at + 3]!);
  const copy = new Uint8Array(len + 7);
  copy.set(server.subarray(at, at + len), 7);
  const a = parseCertificate(copy, 7, copy.length)!;
  const b = parseCertificate(copy, 7, copy.length)!;
  assert.deepEqual(a, leaf);
  assert.deepEqual(b, leaf);
  assert.notEqual(a, b);
  assert.notEqual(a.sanDns, b.sanDns);
  a.sanDns.push('x');
  assert.deepEqual(parseCertificate(copy, 7, copy.length), leaf);
  // one byte of the signature changed: another certificate (its own hash), not the cached one
  copy[copy.length - 5] = copy[copy.length - 5]! ^ 1;
  const other = parseCertificate(copy, 7, copy.length)!;
  assert.equal(other.subject, leaf.subject);
  assert.notEqual(other.sha256, leaf.sha256);
});
