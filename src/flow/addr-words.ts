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

const HEXC = new Uint8Array(16).map((_, i) => '0123456789abcdef'.charCodeAt(i));

// A direct-mapped cache of MAC text: flows of one capture share a few hosts and routers, so most rows find
// their address strings here (and shared/addr.ts's ipv4Text) instead of building them again.
const CACHE_SIZE = 4096;
const macKeys = new Float64Array(CACHE_SIZE).fill(-1);
const macText: string[] = new Array<string>(CACHE_SIZE).fill('');

/** aa:bb:cc:dd:ee:ff from a 48-bit number (cached). */
export function macNumberToString(v: number): string {
  const hi = Math.floor(v / 0x100000000) & 0xffff;
  const lo = (v % 0x100000000) >>> 0;
  const i = (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 20) & (CACHE_SIZE - 1);
  if (macKeys[i] === v) return macText[i]!;
  const h = HEXC;
  // prettier-ignore
  const s = String.fromCharCode(
    h[hi >>> 12]!, h[(hi >>> 8) & 15]!, 58, h[(hi >>> 4) & 15]!, h[hi & 15]!, 58,
    h[lo >>> 28]!, h[(lo >>> 24) & 15]!, 58, h[(lo >>> 20) & 15]!, h[(lo >>> 16) & 15]!, 58,
    h[(lo >>> 12) & 15]!, h[(lo >>> 8) & 15]!, 58, h[(lo >>> 4) & 15]!, h[lo & 15]!,
  );
  macKeys[i] = v;
  macText[i] = s;
  return s;
}
