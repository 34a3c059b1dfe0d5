import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync, deflateSync, zlibSync } from 'fflate';
import { HEAD_BAD, HEAD_MORE, header, looksLikeHttp, parseHttpHead, type HttpHead } from './head.js';
import { BodyReader } from './body.js';
import { DEFAULT_HTTP_LIMITS, HttpSession, type HttpTransaction } from './session.js';
import { basicAuth, fileName } from './extract.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

/** testdata/chdlc-http.stream: the first request and response segments of chdlc-http.pcap (suricata-verify, MIT). */
const REAL = readFileSync(new URL('./testdata/chdlc-http.stream', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => Uint8Array.from(Buffer.from(l.slice(2), 'hex')));

// written for these tests: a POST with a Content-Length body and an empty chunked response
const POST_HEAD =
  'POST /exhmedmx HTTP/1.1\r\nCache-Control: no-store\r\n' +
  'Accept-Encoding: identity\r\nHost: \r\nUser-Agent: Nokia-ehperb/1\r\nContent-Length: 1090\r\nContent-Type: text/xml\r\n\r\n';
const RESP_CHUNKED =
  'HTTP/1.1 200 OK\r\nServer: Apache/1.3.31 (Unix)\r\n' +
  'Transfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n0\r\n\r\n';

test('parses a real request head (chdlc-http.pcap)', () => {
  const b = REAL[0]!;
  const h = parseHttpHead(b, 0, b.length) as HttpHead;
  assert.equal(h.isRequest, true);
  assert.equal(h.method, 'GET');
  assert.ok(h.uri.startsWith('/CNT/iview/161445187/direct;wi.160;hi.600/01/1258222645646?click=http://'));
  assert.equal(h.version, 'HTTP/1.0');
  assert.equal(h.headLen, b.length);
  assert.equal(header(h, 'host'), 'view.atdmt.com');
  assert.equal(header(h, 'USER-AGENT'), 'Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)');
  assert.equal(h.headers.length, 7);
  assert.equal(parseHttpHead(b, 0, 40), HEAD_MORE);
  const p = enc(POST_HEAD);
  assert.equal(header(parseHttpHead(p, 0, p.length) as HttpHead, 'host'), '');
});

test('parses a real response head, LF-only heads and folded headers', () => {
  const b = REAL[1]!;
  const r = parseHttpHead(b, 0, b.length) as HttpHead;
  assert.equal(r.isRequest, false);
  assert.equal(r.status, 200);
  assert.equal(r.reason, 'OK');
  assert.equal(header(r, 'content-length'), '8079');
  assert.equal(r.headers.filter(([k]) => k === 'Set-Cookie').length, 2);
  const lf = enc('HTTP/1.0 404 Not Found\nX-A: one\n  two\n\n');
  const h = parseHttpHead(lf, 0, lf.length) as HttpHead;
  assert.equal(h.status, 404);
  assert.equal(header(h, 'x-a'), 'one two');
  // names compare as toLowerCase would: latin1 letters fold too, lengths that change when lowered still match
  const odd = {
    ...h,
    headers: [['X-ÀB', 'latin1'] as [string, string], ['İd', 'dotted'] as [string, string]],
  };
  assert.equal(header(odd, 'x-àb'), 'latin1');
  assert.equal(header(odd, 'x-ab'), null);
  assert.equal(header(odd, 'İd'.toLowerCase()), 'dotted');
});

test('content heuristic', () => {
  assert.equal(looksLikeHttp(enc('GET / HTTP/1.1\r\n'), 0, 16), true);
  assert.equal(looksLikeHttp(enc('HTTP/1.1 200 OK'), 0, 15), true);
  assert.equal(looksLikeHttp(enc('OPTIONS * HTTP/1.1'), 0, 18), true);
  assert.equal(looksLikeHttp(enc('CONNECT example.com:443 HTTP/1.1'), 0, 30), true);
  assert.equal(looksLikeHttp(enc('HELO mail.example.com'), 0, 20), false);
  assert.equal(looksLikeHttp(Uint8Array.of(0x16, 3, 1, 0, 0xc8, 1), 0, 6), false);
  assert.equal(looksLikeHttp(enc('GETX / HTTP/1.1'), 0, 15), false);
});

test('header flood: fields past the cap are counted, an oversized head is refused', () => {
  let s = 'GET / HTTP/1.1\r\n';
  for (let i = 0; i < 1000; i++) s += `X-${i}: v\r\n`;
  const b = enc(s + '\r\n');
  const h = parseHttpHead(b, 0, b.length, { maxHead: 64 * 1024, maxHeaders: 128 }) as HttpHead;
  assert.equal(h.headers.length, 128);
  assert.equal(h.droppedHeaders, 872);
  assert.equal(parseHttpHead(b, 0, b.length, { maxHead: 4096, maxHeaders: 128 }), HEAD_BAD);
  // a never-ending head is refused once it passes the cap, without waiting for the end
  const endless = enc('GET / HTTP/1.1\r\n' + 'X: y\r\n'.repeat(10000));
  assert.equal(parseHttpHead(endless, 0, endless.length, { maxHead: 4096, maxHeaders: 128 }), HEAD_BAD);
});

function run(
  chunks: [0 | 1, Uint8Array][],
  limits?: ConstructorParameters<typeof HttpSession>[1],
): HttpTransaction[] {
  const out: HttpTransaction[] = [];
  const s = new HttpSession((tx) => out.push(tx), limits);
  let n = 0;
  for (const [dir, b] of chunks) s.data(dir, b, ++n, 1000 + n, 0);
  s.close();
  return out;
}

test('session: request body by Content-Length split over segments, chunked empty response', () => {
  const body = enc('<NWIXML:' + 'x'.repeat(1082));
  const req = cat(enc(POST_HEAD), body);
  const txs = run([
    [0, req.subarray(0, 100)],
    [0, req.subarray(100, 700)],
    [0, req.subarray(700)],
    [1, enc(RESP_CHUNKED)],
  ]);
  assert.equal(txs.length, 1);
  const tx = txs[0]!;
  assert.equal(tx.request!.method, 'POST');
  assert.equal(tx.response!.status, 200);
  assert.equal(tx.requestBody!.len, 1090);
  assert.equal(tx.requestBody!.complete, true);
  assert.equal(tx.requestBody!.sha256, createHash('sha256').update(body).digest('hex'));
  assert.equal(tx.responseBody!.framing, 'chunked');
  assert.equal(tx.responseBody!.len, 0);
  assert.equal(tx.responseBody!.complete, true);
  assert.equal(tx.packet, 1);
  assert.equal(tx.clientDir, 0);
});

test('session: pipelined requests pair with responses in order; HEAD and 304 have no body', () => {
  const txs = run([
    [0, enc('HEAD /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n')],
    [
      1,
      enc(
        'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n',
      ),
    ],
  ]);
  assert.deepEqual(
    txs.map((t) => [t.request?.uri, t.response?.status, t.responseBody]),
    [
      ['/a', 200, null],
      ['/b', 304, null],
    ],
  );
});

test('session: chunked gzip body is de-chunked and decoded, hash over the decoded bytes', () => {
  const text = enc('hello world '.repeat(500));
  const gz = gzipSync(text);
  const chunked = cat(
    enc(`${(20).toString(16)};ext=1\r\n`),
    gz.subarray(0, 20),
    enc(`\r\n${(gz.length - 20).toString(16)}\r\n`),
    gz.subarray(20),
    enc('\r\n0\r\nX-Trailer: t\r\n\r\n'),
  );
  const resp = cat(
    enc('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n'),
    chunked,
  );
  const pieces: [0 | 1, Uint8Array][] = [[0, enc('GET /f.txt HTTP/1.1\r\nHost: x\r\n\r\n')]];
  for (let i = 0; i < resp.length; i += 7) pieces.push([1, resp.subarray(i, i + 7)]);
  const [tx] = run(pieces);
  const b = tx!.responseBody!;
  assert.equal(b.wireLen, gz.length);
  assert.equal(b.len, text.length);
  assert.equal(b.complete, true);
  assert.equal(b.sha256, createHash('sha256').update(text).digest('hex'));
  assert.equal(new TextDecoder().decode(b.head.subarray(0, 11)), 'hello world');
});

test('deflate in both zlib and raw form', () => {
  const text = enc('abc'.repeat(1000));
  for (const data of [zlibSync(text), deflateSync(text)]) {
    const r = new BodyReader('length', data.length, 'deflate');
    assert.equal(r.push(data, 0, data.length), data.length);
    const info = r.info();
    assert.equal(info.len, 3000);
    assert.equal(info.decodeError, false);
  }
});

test('gzip bomb: output stops at the cap and the body is flagged', () => {
  const bomb = gzipSync(new Uint8Array(50 << 20), { level: 9 });
  assert.ok(bomb.length < 100_000);
  const r = new BodyReader('length', bomb.length, 'gzip', { maxDecoded: 1 << 20, keepBytes: 64 });
  r.push(bomb, 0, bomb.length);
  const info = r.info();
  assert.equal(info.bomb, true);
  assert.equal(info.len, 1 << 20);
  assert.equal(info.sha256, null);
});

test('corrupt gzip is flagged, not thrown', () => {
  const junk = enc('\x1f\x8b\x08\x00garbage that is not deflate at all');
  const r = new BodyReader('length', junk.length, 'gzip');
  r.push(junk, 0, junk.length);
  const info = r.info();
  assert.equal(info.decodeError, true);
});

test('malformed chunk sizes end the body as broken', () => {
  for (const bad of ['zz\r\n', 'fffffffffffffffff\r\n', '\r\n', 'a'.repeat(2000)]) {
    const r = new BodyReader('chunked', 0, null);
    const b = enc(bad);
    r.push(b, 0, b.length);
    assert.equal(r.done, true, bad.slice(0, 20));
    assert.equal(r.info().complete, false);
  }
});

test('a gap inside a Content-Length body keeps the stream in step', () => {
  const out: HttpTransaction[] = [];
  const s = new HttpSession((tx) => out.push(tx));
  s.data(0, enc('GET /big HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n'), 1, 1, 0);
  s.data(1, enc('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n' + 'a'.repeat(300)), 2, 2, 0);
  s.gap(1, 500);
  s.data(1, enc('b'.repeat(200) + 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'), 3, 3, 0);
  s.close();
  assert.equal(out.length, 2);
  assert.equal(out[0]!.responseBody!.complete, false);
  assert.equal(out[0]!.responseBody!.wireLen, 500);
  assert.equal(out[0]!.responseBody!.sha256, null);
  assert.equal(out[1]!.request!.uri, '/next');
  assert.equal(out[1]!.response!.status, 404);
});

test('a body until close, and upgrade to websocket stops parsing', () => {
  const t1 = run([
    [0, enc('GET / HTTP/1.0\r\n\r\n')],
    [1, enc('HTTP/1.0 200 OK\r\n\r\nall of this')],
  ]);
  assert.equal(t1[0]!.responseBody!.len, 11);
  assert.equal(t1[0]!.responseBody!.complete, true);
  const t2 = run([
    [0, enc('GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n')],
    [1, enc('HTTP/1.1 101 Switching Protocols\r\n\r\n\x81\x05hello')],
    [0, enc('\x81\x85GET / HTTP/1.1\r\n\r\n')],
  ]);
  assert.equal(t2.length, 1);
  assert.equal(t2[0]!.response!.status, 101);
});

test('non-HTTP bytes on a direction are given up quickly', () => {
  const out: HttpTransaction[] = [];
  const s = new HttpSession((tx) => out.push(tx));
  s.data(
    0,
    Uint8Array.of(
      0x16,
      3,
      1,
      2,
      0,
      1,
      0,
      1,
      0xfc,
      3,
      3,
      0x41,
      0x9b,
      0x22,
      0x51,
      0x07,
      0x80,
      0x13,
      0x40,
      0x23,
    ),
    1,
    1,
    0,
  );
  s.close();
  assert.equal(out.length, 0);
  assert.equal(s.badHeads, 1);
});

test('Basic credentials and file names', () => {
  const h = parseHttpHead(
    enc('GET /files/report%202024.pdf?x=1 HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNzOndvcmQ=\r\n\r\n'),
    0,
    200,
  ) as HttpHead;
  assert.deepEqual(basicAuth(h), { user: 'user', password: 'pass:word' });
  assert.equal(fileName(h, null, false), 'report 2024.pdf');
  const r = parseHttpHead(
    enc('HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename="a b.zip"\r\n\r\n'),
    0,
    100,
  ) as HttpHead;
  assert.equal(fileName(h, r, true), 'a b.zip');
  const bad = parseHttpHead(enc('GET / HTTP/1.1\r\nAuthorization: Basic !!!\r\n\r\n'), 0, 100) as HttpHead;
  assert.equal(basicAuth(bad), null);
});

test('random bytes never throw', () => {
  let seed = 3;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
  for (let n = 0; n < 300; n++) {
    const s = new HttpSession(() => {});
    const b = enc(POST_HEAD + RESP_CHUNKED);
    for (let k = 0; k < 5; k++) b[rnd() % b.length] = rnd();
    s.data(0, b, 1, 1, 0);
    s.data(1, b, 2, 2, 0);
    s.close();
  }
});

test('a keep-alive junk byte before a request (midstream pickup) is skipped', () => {
  const txs = run([
    [0, Uint8Array.of(0)],
    [0, enc('GET /ping HTTP/1.1\r\nHost: h\r\n\r\n')],
    [1, enc('HTTP/1.1 204 No Content\r\n\r\n')],
  ]);
  assert.equal(txs[0]!.request!.uri, '/ping');
});

test('a body read without hash and head (no file rows): the same lengths and flags, no sha256, no head', () => {
  const text = enc('line of text\n'.repeat(3000));
  const gz = gzipSync(text);
  for (const [data, coding] of [
    [text, null],
    [gz, 'gzip'],
  ] as const) {
    const full = new BodyReader('length', data.length, coding);
    const bare = new BodyReader('length', data.length, coding, {
      maxDecoded: 64 << 20,
      keepBytes: 0,
      hash: false,
    });
    // in uneven pieces, as segments come
    for (let o = 0; o < data.length; o += 1000) {
      full.push(data, o, Math.min(data.length, o + 1000));
      bare.push(data, o, Math.min(data.length, o + 1000));
    }
    const f = full.info();
    const b = bare.info();
    assert.equal(f.sha256, createHash('sha256').update(text).digest('hex'));
    assert.equal(f.head.length, 4096);
    assert.equal(b.sha256, null);
    assert.equal(b.head.length, 0);
    assert.deepEqual({ ...b, sha256: null, head: null }, { ...f, sha256: null, head: null });
    assert.equal(b.len, text.length);
  }
});

test('session: heads of any size up to maxHead, split anywhere, parse the same; one past it is refused', () => {
  for (const fields of [1, 60, 200, 900]) {
    let head = 'GET /big HTTP/1.1\r\nHost: h\r\n';
    for (let i = 0; i < fields; i++) head += `X-Field-${i}: value ${i}\r\n`;
    const req = enc(head + '\r\n');
    const whole = run([[0, req]]);
    assert.equal(whole.length, 1, `${fields} fields`);
    assert.equal(whole[0]!.request!.headers.length, Math.min(fields + 1, 128));
    for (const step of [1, 7, 2047, 2049, 5000]) {
      const chunks: [0 | 1, Uint8Array][] = [];
      for (let o = 0; o < req.length; o += step) chunks.push([0, req.subarray(o, o + step)]);
      const got = run(chunks);
      assert.deepEqual(
        got.map((t) => t.request),
        whole.map((t) => t.request),
        `${fields} fields in pieces of ${step}`,
      );
    }
  }
  // past maxHead (16 KiB here) the direction is given up: no transaction
  let huge = 'GET / HTTP/1.1\r\n';
  while (huge.length < 20_000) huge += 'X-Pad: ' + 'p'.repeat(100) + '\r\n';
  const limits = { ...DEFAULT_HTTP_LIMITS, head: { maxHead: 16 * 1024, maxHeaders: 128 } };
  assert.equal(run([[0, enc(huge + '\r\n')]], limits).length, 0);
});
