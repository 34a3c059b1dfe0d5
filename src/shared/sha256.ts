/**
 * SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104) and HKDF (RFC 5869), pure and synchronous so the engine stays
 * free of node:crypto (and of async WebCrypto in a worker). Used for certificate fingerprints, JA4 and the
 * QUIC Initial key schedule: small inputs, a few times per connection.
 */
import { toHex } from './md5.js';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** Incremental SHA-256, for bodies and files that arrive in pieces. */
export class Sha256 {
  private readonly h = new Int32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  private readonly block = new Uint8Array(64);
  private readonly bv = new DataView(this.block.buffer);
  private readonly w = new Int32Array(64);
  private fill = 0;
  private total = 0;

  update(data: Uint8Array, start = 0, end = data.length): this {
    this.total += end - start;
    let i = start;
    if (this.fill > 0) {
      const n = Math.min(64 - this.fill, end - i);
      for (let k = 0; k < n; k++) this.block[this.fill + k] = data[i + k]!;
      this.fill += n;
      i += n;
      if (this.fill < 64) return this;
      this.compress(this.block, 0);
      this.fill = 0;
    }
    // whole blocks straight from the input: no copy, no view per block
    for (; i + 64 <= end; i += 64) this.compress(data, i);
    let k = 0;
    for (; i < end; k++, i++) this.block[k] = data[i]!;
    this.fill = k;
    return this;
  }

  digest(): Uint8Array {
    const bits = this.total * 8;
    this.block[this.fill++] = 0x80;
    if (this.fill > 56) {
      this.block.fill(0, this.fill);
      this.compress(this.block, 0);
      this.fill = 0;
    }
    this.block.fill(0, this.fill);
    this.bv.setUint32(56, Math.floor(bits / 0x100000000) >>> 0);
    this.bv.setUint32(60, bits >>> 0);
    this.compress(this.block, 0);
    const out = new Uint8Array(32);
    const ov = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) ov.setUint32(4 * i, this.h[i]!);
    return out;
  }

  private compress(src: Uint8Array, off: number): void {
    const W = this.w;
    const H = this.h;
    for (let t = 0, o = off; t < 16; t++, o += 4) {
      W[t] = (src[o]! << 24) | (src[o + 1]! << 16) | (src[o + 2]! << 8) | src[o + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const w15 = W[t - 15]!;
      const w2 = W[t - 2]!;
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
      W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
    }
    let a = H[0]!;
    let b = H[1]!;
    let c = H[2]!;
    let d = H[3]!;
    let e = H[4]!;
    let f = H[5]!;
    let g = H[6]!;
    let h = H[7]!;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[t]! + W[t]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    H[0] = H[0]! + a;
    H[1] = H[1]! + b;
    H[2] = H[2]! + c;
    H[3] = H[3]! + d;
    H[4] = H[4]! + e;
    H[5] = H[5]! + f;
    H[6] = H[6]! + g;
    H[7] = H[7]! + h;
  }
}

/** What createSha256 returns: the incremental interface of Sha256. */
export interface IncrementalSha256 {
  update(data: Uint8Array, start?: number, end?: number): IncrementalSha256;
  digest(): Uint8Array;
}

let backend: (() => IncrementalSha256) | null = null;

/**
 * A host may give a faster implementation for bulk hashing (file bodies): Node's native one, registered by the
 * engine. The digests are the same; layers that must stay free of node:* call createSha256 and never know.
 */
export function registerSha256Backend(make: (() => IncrementalSha256) | null): void {
  backend = make;
}

/** An incremental SHA-256: the registered backend's, else the pure one. */
export function createSha256(): IncrementalSha256 {
  return backend ? backend() : new Sha256();
}

/** SHA-256 digest (32 bytes) of the concatenation of parts. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const s = new Sha256();
  for (const p of parts) s.update(p);
  return s.digest();
}

export function sha256Hex(data: Uint8Array): string {
  return toHex(sha256(data));
}

/** HMAC-SHA256 (RFC 2104). */
export function hmacSha256(key: Uint8Array, ...msg: Uint8Array[]): Uint8Array {
  const k = new Uint8Array(64);
  k.set(key.length > 64 ? sha256(key) : key);
  const ipad = new Uint8Array(64);
  const opad = new Uint8Array(64);
  for (let i = 0; i < 64; i++) {
    ipad[i] = k[i]! ^ 0x36;
    opad[i] = k[i]! ^ 0x5c;
  }
  return sha256(opad, sha256(ipad, ...msg));
}

/** HKDF-Extract (RFC 5869 section 2.2). */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  return hmacSha256(salt, ikm);
}

/** HKDF-Expand (RFC 5869 section 2.3); length capped at 255 * 32 by the RFC. */
export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const n = Math.min(255, Math.ceil(length / 32));
  const out = new Uint8Array(n * 32);
  let prev: Uint8Array = new Uint8Array(0);
  for (let i = 1; i <= n; i++) {
    prev = hmacSha256(prk, prev, info, Uint8Array.of(i));
    out.set(prev, (i - 1) * 32);
  }
  return out.subarray(0, Math.min(length, out.length));
}

/** TLS 1.3 HKDF-Expand-Label (RFC 8446 section 7.1) with the "tls13 " prefix. */
export function hkdfExpandLabel(
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const full = new TextEncoder().encode('tls13 ' + label);
  const info = new Uint8Array(2 + 1 + full.length + 1 + context.length);
  info[0] = length >> 8;
  info[1] = length & 255;
  info[2] = full.length;
  info.set(full, 3);
  info[3 + full.length] = context.length;
  info.set(context, 4 + full.length);
  return hkdfExpand(secret, info, length);
}
