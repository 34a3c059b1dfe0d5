import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { BodyReader, type BodyInfo } from '../dissect/protocols/http/body.js';
import { registerInflateBackend, type InflateFormat } from '../shared/inflate.js';
import { nativeInflate } from './app-run.js';

/** A body's info pushed in pieces of `piece` bytes, then ended (a cut body when `cut` bytes are missing). */
function read(data: Uint8Array, coding: string, piece: number, cut = 0, maxDecoded = 64 << 20): BodyInfo {
  const r = new BodyReader('length', data.length, coding, { maxDecoded, keepBytes: 8192 });
  const sent = data.subarray(0, data.length - cut);
  for (let i = 0; i < sent.length; i += piece) r.push(sent, i, Math.min(sent.length, i + piece));
  if (cut > 0) r.end();
  return r.info();
}

const text = new TextEncoder().encode('<html>' + 'pcaplens body '.repeat(3000) + '</html>');
// 300 KiB of barely compressible bytes: past the one-step size, so that body streams
const noisy = Uint8Array.from({ length: 300 << 10 }, (_, i) => (i * 2654435761) >>> 24);
const cases: {
  name: string;
  data: Uint8Array;
  coding: string;
  cut?: number;
  max?: number;
  native: boolean;
}[] = [
  { name: 'gzip', data: gzipSync(text), coding: 'gzip', native: true },
  {
    name: 'two gzip members',
    data: Buffer.concat([gzipSync(text), gzipSync(text)]),
    coding: 'gzip',
    native: true,
  },
  { name: 'zlib deflate', data: deflateSync(text), coding: 'deflate', native: true },
  { name: 'raw deflate', data: deflateRawSync(text), coding: 'deflate', native: true },
  { name: 'large gzip (streams)', data: gzipSync(noisy, { level: 0 }), coding: 'gzip', native: false },
  {
    name: 'corrupt gzip',
    data: Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 1, 2]),
    coding: 'gzip',
    native: true,
  },
  { name: 'cut gzip', data: gzipSync(noisy.subarray(0, 50_000)), coding: 'gzip', cut: 100, native: true },
  { name: 'bomb', data: gzipSync(new Uint8Array(4 << 20)), coding: 'gzip', max: 1 << 20, native: true },
];

test("HTTP bodies: the native one-step decoder gives the streaming decoder's results, or leaves the body to it", () => {
  const asked: InflateFormat[] = [];
  try {
    for (const c of cases) {
      registerInflateBackend(null);
      const streamed = read(c.data, c.coding, 1460, c.cut, c.max);
      asked.length = 0;
      registerInflateBackend((f, d, m) => {
        asked.push(f);
        return nativeInflate(f, d, m);
      });
      for (const piece of [1460, 7]) {
        const got = read(c.data, c.coding, piece, c.cut, c.max);
        assert.deepEqual(got, streamed, `${c.name}, pieces of ${piece}`);
      }
      assert.equal(asked.length > 0, c.native, `${c.name}: native decoder asked`);
    }
    // the formats told apart: zlib-wrapped and raw deflate
    assert.equal(nativeInflate('zlib', deflateSync(text), 1 << 20)?.length, text.length);
    assert.equal(nativeInflate('raw', deflateRawSync(text), 1 << 20)?.length, text.length);
    // output past the cap, or input it cannot decode: null (the streaming decoder decides)
    assert.equal(nativeInflate('gzip', gzipSync(text), 100), null);
    assert.equal(nativeInflate('gzip', Uint8Array.from([1, 2, 3]), 100), null);
    const decoded = read(gzipSync(text), 'gzip', 1460);
    assert.equal(decoded.len, text.length);
    assert.equal(decoded.decodeError, false);
    assert.ok(decoded.sha256);
  } finally {
    registerInflateBackend(nativeInflate);
  }
});
