/** The QUIC content heuristic, apart from the session so that the registry loads it alone. */

/**
 * True when a UDP payload starts like a QUIC long-header packet (header form and fixed bit set) of a version
 * we know, with sane connection id lengths. Allocation-free: it runs as a registry heuristic.
 */
export function looksLikeQuic(b: Uint8Array, off: number, end: number): boolean {
  if (end - off < 21 || (b[off]! & 0xc0) !== 0xc0) return false;
  const v = ((b[off + 1]! << 24) | (b[off + 2]! << 16) | (b[off + 3]! << 8) | b[off + 4]!) >>> 0;
  if (v !== 1 && v !== 0x6b3343cf && (v & 0xffffff00) >>> 0 !== 0xff000000) return false;
  const dl = b[off + 5]!;
  if (dl > 20 || off + 6 + dl >= end) return false;
  return b[off + 6 + dl]! <= 20;
}
