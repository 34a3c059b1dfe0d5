import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latin1 } from './bytes-text.js';

/** The definition latin1 had before it was made in one call: a string per byte. */
function latin1ByteAtATime(buf: Uint8Array, start: number, end: number, max = 4096): string {
  const stop = Math.min(end, start + max, buf.length);
  let s = '';
  for (let i = start; i < stop; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

test('latin1: every byte value is its own code point, as the byte-at-a-time definition gives', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const text = latin1(all, 0, 256, 256);
  assert.equal(text.length, 256);
  for (let i = 0; i < 256; i++) assert.equal(text.charCodeAt(i), i, `byte ${i}`);
  assert.equal(text, latin1ByteAtATime(all, 0, 256, 256));
  // 0x80-0x9f stay C1 code points (WHATWG "latin1" would turn 0x80 into the euro sign)
  assert.equal(
    latin1(all, 0x80, 0xa0),
    '\u0080\u0081\u0082\u0083\u0084\u0085\u0086\u0087\u0088\u0089\u008a\u008b\u008c\u008d\u008e\u008f\u0090\u0091\u0092\u0093\u0094\u0095\u0096\u0097\u0098\u0099\u009a\u009b\u009c\u009d\u009e\u009f',
  );
});

test('latin1: ranges short and long, cut by max, by end and by the buffer, as before', () => {
  const buf = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 131 + (i >> 7)) & 0xff);
  for (const [start, end, max] of [
    [0, 0, 4096],
    [5, 3, 4096],
    [0, 15, 4096],
    [0, 16, 4096],
    [7, 40, 4096],
    [0, 20_000, 4096],
    [100, 20_000, 8192],
    [100, 20_000, 8193],
    [0, 20_000, 20_000],
    [0, 25_000, 30_000],
    [19_990, 30_000, 4096],
    [0, 100, 10],
    [50, 60, 0],
  ] as const) {
    assert.equal(
      latin1(buf, start, end, max),
      latin1ByteAtATime(buf, start, end, max),
      `${start} ${end} ${max}`,
    );
  }
  assert.equal(latin1(buf, 0, 20_000).length, 4096);
  assert.equal(latin1(buf, 0, 20_000, 20_000).length, 20_000);
});
