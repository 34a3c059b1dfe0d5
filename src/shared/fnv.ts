/** FNV-1a over bytes, for the direct-mapped caches and hash partitions keyed by raw bytes. */

/** The 32-bit FNV-1a hash of b[start, end), as a signed int32 (an index past the end counts as a zero byte). */
export function fnv1a(b: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h;
}

/** Whether a[aOff, aOff + n) and b[bOff, bOff + n) hold the same bytes. */
export function sameBytes(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}
