/** Text and byte forms of the 4-word address representation used by flow keys and hosts (row time only). */
import { ipv4ToString, ipv6ToString, macToString } from '../shared/addr.js';

export function wordsToBytes(w: Uint32Array, ver: number): Uint8Array {
  if (ver === 4)
    return new Uint8Array([w[3]! >>> 24, (w[3]! >>> 16) & 255, (w[3]! >>> 8) & 255, w[3]! & 255]);
  const out = new Uint8Array(16);
  for (let i = 0; i < 4; i++) {
    out[4 * i] = w[i]! >>> 24;
    out[4 * i + 1] = (w[i]! >>> 16) & 255;
    out[4 * i + 2] = (w[i]! >>> 8) & 255;
    out[4 * i + 3] = w[i]! & 255;
  }
  return out;
}

/** ver 4 / 6: an IP address; ver 0: a MAC held in words 2 (high 16 bits) and 3 (low 32 bits). */
export function wordsToString(w: Uint32Array, ver: number): string {
  if (ver === 4) return ipv4ToString(w[3]!);
  if (ver === 6) return ipv6ToString(wordsToBytes(w, 6), 0);
  const m = new Uint8Array([
    w[2]! >>> 8,
    w[2]! & 255,
    w[3]! >>> 24,
    (w[3]! >>> 16) & 255,
    (w[3]! >>> 8) & 255,
    w[3]! & 255,
  ]);
  return macToString(m, 0);
}

/** A 48-bit MAC as a number (exact in a double) from 6 bytes. */
export function macNumber(b: Uint8Array, off: number): number {
  return (
    (b[off]! * 0x10000 + ((b[off + 1]! << 8) | b[off + 2]!)) * 0x1000000 +
    ((b[off + 3]! << 16) | (b[off + 4]! << 8) | b[off + 5]!)
  );
}

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16));

/** aa:bb:cc:dd:ee:ff from a 48-bit number. */
export function macNumberToString(v: number): string {
  const hi = Math.floor(v / 0x100000000) & 0xffff;
  const lo = (v % 0x100000000) >>> 0;
  return (
    HEX2[hi >>> 8]! +
    ':' +
    HEX2[hi & 255]! +
    ':' +
    HEX2[lo >>> 24]! +
    ':' +
    HEX2[(lo >>> 16) & 255]! +
    ':' +
    HEX2[(lo >>> 8) & 255]! +
    ':' +
    HEX2[lo & 255]!
  );
}
