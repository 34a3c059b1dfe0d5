/**
 * SHA-1 (FIPS 180-4, section 6.1). Only for identifiers that are defined with it (Community ID v1);
 * never for anything that needs collision resistance. Runs once per flow row, hundreds of thousands of
 * times for a large capture, so it reuses its message schedule and copies only the last block(s) to pad them.
 */
const W = new Int32Array(80);
const H = new Int32Array(5);

/** the last one or two blocks: the message's tail, 0x80, zeros, 64-bit big-endian bit length */
const TAIL = new Uint8Array(128);

function block(data: Uint8Array, off: number): void {
  const w = W;
  for (let t = 0; t < 16; t++) {
    const o = off + 4 * t;
    w[t] = (data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!;
  }
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    w[t] = (x << 1) | (x >>> 31);
  }
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let e = H[4]!;
  // the four rounds of 20 steps as separate loops: no branch on t per step
  for (let t = 0; t < 20; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + (((b & c) | (~b & d)) + 0x5a827999) + e + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (let t = 20; t < 40; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + ((b ^ c ^ d) + 0x6ed9eba1) + e + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (let t = 40; t < 60; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + (((b & c) | (b & d) | (c & d)) + 0x8f1bbcdc) + e + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  for (let t = 60; t < 80; t++) {
    const tmp = (((a << 5) | (a >>> 27)) + ((b ^ c ^ d) + 0xca62c1d6) + e + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = tmp;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
}

/** SHA-1 of data[0..len) written as 20 bytes into out[0..20). */
export function sha1Into(data: Uint8Array, len: number, out: Uint8Array): void {
  const n = Math.max(0, Math.min(len, data.length));
  const padLen = ((n + 9 + 63) >> 6) << 6;
  H[0] = 0x67452301;
  H[1] = 0xefcdab89 | 0;
  H[2] = 0x98badcfe | 0;
  H[3] = 0x10325476;
  H[4] = 0xc3d2e1f0 | 0;
  const full = n & ~63;
  for (let off = 0; off < full; off += 64) block(data, off);
  const tail = TAIL;
  const rest = n - full;
  const tailLen = padLen - full;
  tail.fill(0, 0, tailLen);
  for (let i = 0; i < rest; i++) tail[i] = data[full + i]!;
  tail[rest] = 0x80;
  // the length in bits (bytes * 8, exact in a double up to 2^53)
  const bits = n * 8;
  const hi = Math.floor(bits / 0x100000000);
  const lo = bits >>> 0;
  tail[tailLen - 8] = hi >>> 24;
  tail[tailLen - 7] = (hi >>> 16) & 255;
  tail[tailLen - 6] = (hi >>> 8) & 255;
  tail[tailLen - 5] = hi & 255;
  tail[tailLen - 4] = lo >>> 24;
  tail[tailLen - 3] = (lo >>> 16) & 255;
  tail[tailLen - 2] = (lo >>> 8) & 255;
  tail[tailLen - 1] = lo & 255;
  for (let off = 0; off < tailLen; off += 64) block(tail, off);
  for (let i = 0; i < 5; i++) {
    const h = H[i]!;
    out[4 * i] = h >>> 24;
    out[4 * i + 1] = (h >>> 16) & 255;
    out[4 * i + 2] = (h >>> 8) & 255;
    out[4 * i + 3] = h & 255;
  }
}

export function sha1(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(20);
  sha1Into(data, data.length, out);
  return out;
}
