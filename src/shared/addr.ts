/** Text forms of link and network addresses. Called when a row is emitted, never per packet. */

const HEX = '0123456789abcdef';

/** aa:bb:cc:dd:ee:ff from 6 bytes at off. */
export function macToString(buf: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const b = buf[off + i] ?? 0;
    if (i) s += ':';
    s += HEX[b >> 4]! + HEX[b & 15]!;
  }
  return s;
}

/** Dotted quad from an unsigned 32-bit number. */
export function ipv4ToString(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

// A direct-mapped cache of dotted quads: the rows of one capture (flows, DNS answers) name the same few hosts
// again and again, so most find their address string here instead of building it again.
const V4_SLOTS = 4096;
const v4Keys = new Float64Array(V4_SLOTS).fill(-1);
const v4Texts: string[] = new Array<string>(V4_SLOTS).fill('');

/** ipv4ToString through the cache. */
export function ipv4Text(v: number): string {
  const k = v >>> 0;
  const i = (Math.imul(k, 0x9e3779b1) >>> 20) & (V4_SLOTS - 1);
  if (v4Keys[i] === k) return v4Texts[i]!;
  const s = ipv4ToString(k);
  v4Keys[i] = k;
  v4Texts[i] = s;
  return s;
}

/** RFC 5952 text form (lower case, longest zero run compressed, IPv4-mapped shown dotted) from 16 bytes at off. */
export function ipv6ToString(buf: Uint8Array, off: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((buf[off + 2 * i] ?? 0) << 8) | (buf[off + 2 * i + 1] ?? 0));
  if (
    words[0] === 0 &&
    words[1] === 0 &&
    words[2] === 0 &&
    words[3] === 0 &&
    words[4] === 0 &&
    words[5] === 0xffff
  ) {
    return `::ffff:${buf[off + 12]}.${buf[off + 13]}.${buf[off + 14]}.${buf[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Parses dotted-quad IPv4 into an unsigned 32-bit number, or -1. */
export function parseIpv4(s: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return -1;
  let v = 0;
  for (let i = 1; i <= 4; i++) {
    const n = Number(m[i]);
    if (n > 255) return -1;
    v = v * 256 + n;
  }
  return v;
}
