import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latin1 } from '../../../shared/bytes-text.js';
import { TrimmedTextCache } from './text-cache.js';

test('TrimmedTextCache gives latin1(...).trim() for repeated, evicted, long and capped strings', () => {
  const cache = new TrimmedTextCache(16, 8);
  let seed = 3;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8) % n;
  // few distinct byte values (spaces, NBSP, tab, letters, high bytes) so strings repeat and collide
  const alphabet = [0x20, 0x09, 0xa0, 0x61, 0x62, 0x41, 0xe9, 0x3a];
  const buf = new Uint8Array(64);
  let hits = 0;
  const seen = new Set<string>();
  for (let k = 0; k < 20000; k++) {
    const start = rnd(8);
    const n = rnd(12);
    for (let i = start; i < start + n; i++) buf[i] = alphabet[rnd(rnd(3) === 0 ? 8 : 3)]!;
    const cap = rnd(5) === 0 ? rnd(10) : 256;
    const want = latin1(buf, start, start + n, cap).trim();
    const key = `${cap} ${[...buf.subarray(start, start + n)].join()}`;
    if (seen.has(key)) hits++;
    seen.add(key);
    assert.equal(cache.text(buf, start, start + n, cap), want);
  }
  assert.ok(hits > 1000);
  // past the buffer's end it is latin1's text too
  assert.equal(cache.text(buf, 60, 70, 256), latin1(buf, 60, 70, 256).trim());
});
