/**
 * Community ID v1 (corelight community-id-spec): "1:" + base64(SHA-1(seed(2) saddr daddr proto(1) 0(1)
 * [sport(2) dport(2)])), endpoints ordered so both directions of a flow give the same id. Computed once
 * per flow when its row is built.
 */
import { sha1Into } from '../shared/sha1.js';

/** ICMP request/reply types that map onto each other as if they were ports (spec, "ICMP"). */
const ICMP4_PAIRS: ReadonlyMap<number, number> = new Map([
  [8, 0],
  [0, 8],
  [13, 14],
  [14, 13],
  [15, 16],
  [16, 15],
  [10, 9],
  [9, 10],
  [17, 18],
  [18, 17],
]);
const ICMP6_PAIRS: ReadonlyMap<number, number> = new Map([
  [128, 129],
  [129, 128],
  [133, 134],
  [134, 133],
  [135, 136],
  [136, 135],
  [130, 131],
  [131, 130],
  [139, 140],
  [140, 139],
  [144, 145],
  [145, 144],
]);

// scratch: the hashed tuple (at most 2 + 16 + 16 + 2 + 4 bytes), the digest, and the two addresses
const BUF = new Uint8Array(40);
const DIGEST = new Uint8Array(20);
const SRC = new Uint8Array(16);
const DST = new Uint8Array(16);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function compare(a: Uint8Array, b: Uint8Array, n: number): number {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

const B64C = new Uint8Array(64).map((_, i) => B64.charCodeAt(i));
const C = new Uint8Array(28);

/** Base64 of the 20-byte digest into C (28 characters, one '=' of padding). */
function base64Digest(d: Uint8Array): void {
  for (let i = 0, o = 0; i < 18; i += 3, o += 4) {
    const n = (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
    C[o] = B64C[n >> 18]!;
    C[o + 1] = B64C[(n >> 12) & 63]!;
    C[o + 2] = B64C[(n >> 6) & 63]!;
    C[o + 3] = B64C[n & 63]!;
  }
  const n = (d[18]! << 16) | (d[19]! << 8);
  C[24] = B64C[n >> 18]!;
  C[25] = B64C[(n >> 12) & 63]!;
  C[26] = B64C[(n >> 6) & 63]!;
  C[27] = 61; // '='
}

/** "1:" + base64 of the 20-byte digest, built as one flat string. */
function digestText(d: Uint8Array): string {
  base64Digest(d);
  // one call with every character: no chain of intermediate strings per id
  // prettier-ignore
  return String.fromCharCode(
    49, 58, C[0]!, C[1]!, C[2]!, C[3]!, C[4]!, C[5]!, C[6]!, C[7]!, C[8]!, C[9]!, C[10]!, C[11]!, C[12]!, C[13]!,
    C[14]!, C[15]!, C[16]!, C[17]!, C[18]!, C[19]!, C[20]!, C[21]!, C[22]!, C[23]!, C[24]!, C[25]!, C[26]!, C[27]!,
  );
}

/** The digest (into DIGEST) of src/dst (n address bytes each, 4 or 16) as communityId defines it. */
function digestOf(
  proto: number,
  src: Uint8Array,
  dst: Uint8Array,
  n: number,
  sport: number | null,
  dport: number | null,
  seed: number,
): void {
  let oneWay = false;
  if ((proto === 1 || proto === 58) && sport !== null) {
    const other = (proto === 1 ? ICMP4_PAIRS : ICMP6_PAIRS).get(sport);
    if (other === undefined) oneWay = true;
    else dport = other;
  }
  const c = compare(src, dst, n);
  const ordered = oneWay || c < 0 || (c === 0 && sport !== null && dport !== null && sport < dport);
  const sa = ordered ? src : dst;
  const da = ordered ? dst : src;
  const sp = ordered ? sport : dport;
  const dp = ordered ? dport : sport;
  const buf = BUF;
  buf[0] = (seed >> 8) & 255;
  buf[1] = seed & 255;
  for (let i = 0; i < n; i++) {
    buf[2 + i] = sa[i]!;
    buf[2 + n + i] = da[i]!;
  }
  let o = 2 + 2 * n;
  buf[o++] = proto & 255;
  buf[o++] = 0;
  if (sp !== null && dp !== null) {
    buf[o++] = (sp >> 8) & 255;
    buf[o++] = sp & 255;
    buf[o++] = (dp >> 8) & 255;
    buf[o++] = dp & 255;
  }
  sha1Into(buf, o, DIGEST);
}

/**
 * @param src,dst 4 (IPv4) or 16 (IPv6) address bytes of the first sender and its peer
 * @param sport,dport ports (TCP/UDP/SCTP) or ICMP type/code; null for other IP protocols
 */
export function communityId(
  proto: number,
  src: Uint8Array,
  dst: Uint8Array,
  sport: number | null,
  dport: number | null,
  seed = 0,
): string {
  const n = Math.min(src.length, dst.length, 16);
  digestOf(proto, src, dst, n, sport, dport, seed);
  return digestText(DIGEST);
}

function wordsInto(w: Uint32Array, ver: number, out: Uint8Array): number {
  const first = ver === 4 ? 3 : 0;
  let o = 0;
  for (let i = first; i < 4; i++) {
    const x = w[i]!;
    out[o++] = x >>> 24;
    out[o++] = (x >>> 16) & 255;
    out[o++] = (x >>> 8) & 255;
    out[o++] = x & 255;
  }
  return o;
}

/** communityId over 4-word addresses (flow keys' form; ver 4 uses the last word): no allocation but the text. */
export function communityIdWords(
  proto: number,
  ver: number,
  src: Uint32Array,
  dst: Uint32Array,
  sport: number | null,
  dport: number | null,
  seed = 0,
): string {
  digestOfWords(proto, ver, src, dst, sport, dport, seed);
  return digestText(DIGEST);
}

/** digestOf over 4-word addresses. */
function digestOfWords(
  proto: number,
  ver: number,
  src: Uint32Array,
  dst: Uint32Array,
  sport: number | null,
  dport: number | null,
  seed: number,
): void {
  const n = wordsInto(src, ver, SRC);
  wordsInto(dst, ver, DST);
  digestOf(proto, SRC, DST, n, sport, dport, seed);
}

/**
 * The text of communityIdWords as its 30 ASCII bytes at out[at..at+30), without making the string (rows
 * written straight as bytes: cli/format/flow-state-json.ts).
 */
export function communityIdWordsInto(
  out: Uint8Array,
  at: number,
  proto: number,
  ver: number,
  src: Uint32Array,
  dst: Uint32Array,
  sport: number | null,
  dport: number | null,
): void {
  digestOfWords(proto, ver, src, dst, sport, dport, 0);
  base64Digest(DIGEST);
  out[at] = 49; // '1'
  out[at + 1] = 58; // ':'
  for (let i = 0; i < 28; i++) out[at + 2 + i] = C[i]!;
}
