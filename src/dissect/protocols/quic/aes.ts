/**
 * AES-128 block encryption (FIPS 197) and AES-128-GCM decryption with tag check (NIST SP 800-38D), pure and
 * synchronous. Only QUIC Initial packets need them: their keys are public (derived from the connection id,
 * RFC 9001 section 5.2), so this is parsing, not security; constant time does not matter here. Pure code
 * keeps the engine free of node:crypto and of WebCrypto's async API in a browser worker.
 */

const SBOX = new Uint8Array(256);
const T0 = new Uint32Array(256);
const T1 = new Uint32Array(256);
const T2 = new Uint32Array(256);
const T3 = new Uint32Array(256);

// Builds the S-box from its definition (multiplicative inverse in GF(2^8) + affine map) and the round tables.
(function init(): void {
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  let x = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x1b : 0);
    x &= 0xff;
  }
  for (let i = 0; i < 256; i++) {
    const inv = i === 0 ? 0 : exp[(255 - log[i]!) % 255]!;
    let s = inv;
    let r = inv;
    for (let k = 0; k < 4; k++) {
      r = ((r << 1) | (r >> 7)) & 0xff;
      s ^= r;
    }
    SBOX[i] = s ^ 0x63;
  }
  for (let i = 0; i < 256; i++) {
    const s = SBOX[i]!;
    const s2 = ((s << 1) ^ (s & 0x80 ? 0x1b : 0)) & 0xff;
    const s3 = s2 ^ s;
    const t = ((s2 << 24) | (s << 16) | (s << 8) | s3) >>> 0;
    T0[i] = t;
    T1[i] = ((t >>> 8) | (t << 24)) >>> 0;
    T2[i] = ((t >>> 16) | (t << 16)) >>> 0;
    T3[i] = ((t >>> 24) | (t << 8)) >>> 0;
  }
})();

/** An expanded AES-128 key. */
export class Aes128 {
  private readonly rk = new Uint32Array(44);

  constructor(key: Uint8Array) {
    const rk = this.rk;
    for (let i = 0; i < 4; i++)
      rk[i] =
        ((key[4 * i]! << 24) | (key[4 * i + 1]! << 16) | (key[4 * i + 2]! << 8) | key[4 * i + 3]!) >>> 0;
    let rcon = 1;
    for (let i = 4; i < 44; i++) {
      let t = rk[i - 1]!;
      if (i % 4 === 0) {
        t =
          ((SBOX[(t >>> 16) & 255]! << 24) |
            (SBOX[(t >>> 8) & 255]! << 16) |
            (SBOX[t & 255]! << 8) |
            SBOX[t >>> 24]!) >>>
          0;
        t = (t ^ (rcon << 24)) >>> 0;
        rcon = ((rcon << 1) ^ (rcon & 0x80 ? 0x1b : 0)) & 0xff;
      }
      rk[i] = (rk[i - 4]! ^ t) >>> 0;
    }
  }

  /** Encrypts the 16 bytes at input[io] into out[oo]. */
  encryptBlock(input: Uint8Array, io: number, out: Uint8Array, oo: number): void {
    const rk = this.rk;
    let s0 =
      (((input[io]! << 24) | (input[io + 1]! << 16) | (input[io + 2]! << 8) | input[io + 3]!) ^ rk[0]!) >>> 0;
    let s1 =
      (((input[io + 4]! << 24) | (input[io + 5]! << 16) | (input[io + 6]! << 8) | input[io + 7]!) ^
        rk[1]!) >>>
      0;
    let s2 =
      (((input[io + 8]! << 24) | (input[io + 9]! << 16) | (input[io + 10]! << 8) | input[io + 11]!) ^
        rk[2]!) >>>
      0;
    let s3 =
      (((input[io + 12]! << 24) | (input[io + 13]! << 16) | (input[io + 14]! << 8) | input[io + 15]!) ^
        rk[3]!) >>>
      0;
    for (let r = 1; r < 10; r++) {
      const k = 4 * r;
      const t0 = T0[s0 >>> 24]! ^ T1[(s1 >>> 16) & 255]! ^ T2[(s2 >>> 8) & 255]! ^ T3[s3 & 255]! ^ rk[k]!;
      const t1 = T0[s1 >>> 24]! ^ T1[(s2 >>> 16) & 255]! ^ T2[(s3 >>> 8) & 255]! ^ T3[s0 & 255]! ^ rk[k + 1]!;
      const t2 = T0[s2 >>> 24]! ^ T1[(s3 >>> 16) & 255]! ^ T2[(s0 >>> 8) & 255]! ^ T3[s1 & 255]! ^ rk[k + 2]!;
      const t3 = T0[s3 >>> 24]! ^ T1[(s0 >>> 16) & 255]! ^ T2[(s1 >>> 8) & 255]! ^ T3[s2 & 255]! ^ rk[k + 3]!;
      s0 = t0 >>> 0;
      s1 = t1 >>> 0;
      s2 = t2 >>> 0;
      s3 = t3 >>> 0;
    }
    const last = (a: number, b: number, c: number, d: number, k: number, o: number): void => {
      const v =
        ((SBOX[a >>> 24]! << 24) |
          (SBOX[(b >>> 16) & 255]! << 16) |
          (SBOX[(c >>> 8) & 255]! << 8) |
          SBOX[d & 255]!) ^
        rk[k]!;
      out[o] = v >>> 24;
      out[o + 1] = (v >>> 16) & 255;
      out[o + 2] = (v >>> 8) & 255;
      out[o + 3] = v & 255;
    };
    last(s0, s1, s2, s3, 40, oo);
    last(s1, s2, s3, s0, 41, oo + 4);
    last(s2, s3, s0, s1, 42, oo + 8);
    last(s3, s0, s1, s2, 43, oo + 12);
  }
}

/** GF(2^128) multiply of x by h, both as 16 bytes, result into x (SP 800-38D algorithm 1). */
function gmul(x: Uint8Array, h: Uint8Array): void {
  let z0 = 0;
  let z1 = 0;
  let z2 = 0;
  let z3 = 0;
  let v0 = ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
  let v1 = ((h[4]! << 24) | (h[5]! << 16) | (h[6]! << 8) | h[7]!) >>> 0;
  let v2 = ((h[8]! << 24) | (h[9]! << 16) | (h[10]! << 8) | h[11]!) >>> 0;
  let v3 = ((h[12]! << 24) | (h[13]! << 16) | (h[14]! << 8) | h[15]!) >>> 0;
  for (let i = 0; i < 128; i++) {
    if ((x[i >> 3]! >> (7 - (i & 7))) & 1) {
      z0 ^= v0;
      z1 ^= v1;
      z2 ^= v2;
      z3 ^= v3;
    }
    const lsb = v3 & 1;
    v3 = ((v3 >>> 1) | (v2 << 31)) >>> 0;
    v2 = ((v2 >>> 1) | (v1 << 31)) >>> 0;
    v1 = ((v1 >>> 1) | (v0 << 31)) >>> 0;
    v0 = (v0 >>> 1) ^ (lsb ? 0xe1000000 : 0);
  }
  const w = [z0, z1, z2, z3];
  for (let i = 0; i < 4; i++) {
    x[4 * i] = w[i]! >>> 24;
    x[4 * i + 1] = (w[i]! >>> 16) & 255;
    x[4 * i + 2] = (w[i]! >>> 8) & 255;
    x[4 * i + 3] = w[i]! & 255;
  }
}

function ghashBlocks(acc: Uint8Array, h: Uint8Array, data: Uint8Array): void {
  for (let o = 0; o < data.length; o += 16) {
    const n = Math.min(16, data.length - o);
    for (let i = 0; i < n; i++) acc[i] = acc[i]! ^ data[o + i]!;
    gmul(acc, h);
  }
}

/**
 * AES-128-GCM decryption with a 96-bit nonce and a 16-byte tag at the end of sealed. Returns the plaintext, or
 * null when the tag does not match (wrong key, corrupt packet).
 */
export function aes128GcmOpen(
  aes: Aes128,
  nonce: Uint8Array,
  aad: Uint8Array,
  sealed: Uint8Array,
): Uint8Array | null {
  if (sealed.length < 16 || nonce.length !== 12) return null;
  const ct = sealed.subarray(0, sealed.length - 16);
  const h = new Uint8Array(16);
  aes.encryptBlock(h, 0, h, 0);
  const ctr = new Uint8Array(16);
  ctr.set(nonce);
  ctr[15] = 1;
  const ekj0 = new Uint8Array(16);
  aes.encryptBlock(ctr, 0, ekj0, 0);
  // tag = E(K, J0) xor GHASH(A || C || len(A) || len(C))
  const acc = new Uint8Array(16);
  ghashBlocks(acc, h, aad);
  ghashBlocks(acc, h, ct);
  const lens = new Uint8Array(16);
  const dv = new DataView(lens.buffer);
  dv.setUint32(4, aad.length * 8);
  dv.setUint32(12, ct.length * 8);
  ghashBlocks(acc, h, lens);
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= acc[i]! ^ ekj0[i]! ^ sealed[ct.length + i]!;
  if (diff !== 0) return null;
  const out = new Uint8Array(ct.length);
  const ks = new Uint8Array(16);
  let counter = 1;
  for (let o = 0; o < ct.length; o += 16) {
    counter = (counter + 1) >>> 0;
    ctr[12] = counter >>> 24;
    ctr[13] = (counter >>> 16) & 255;
    ctr[14] = (counter >>> 8) & 255;
    ctr[15] = counter & 255;
    aes.encryptBlock(ctr, 0, ks, 0);
    const n = Math.min(16, ct.length - o);
    for (let i = 0; i < n; i++) out[o + i] = ct[o + i]! ^ ks[i]!;
  }
  return out;
}
