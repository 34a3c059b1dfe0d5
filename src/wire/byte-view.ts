/**
 * Bounds-checked reads over a byte buffer. Callers check `off + n <= end` once per header (cheaper than per
 * field) with `has()`, then read with the unchecked helpers below. Out-of-range reads through the helpers
 * yield 0 (Uint8Array semantics) rather than throwing, so a missed check degrades, never crashes.
 */
export function has(off: number, n: number, end: number): boolean {
  return off >= 0 && n >= 0 && off + n <= end;
}
export function u8(b: Uint8Array, o: number): number {
  return b[o]! | 0;
}
export function u16be(b: Uint8Array, o: number): number {
  return ((b[o]! << 8) | b[o + 1]!) & 0xffff;
}
export function u16le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8)) & 0xffff;
}
export function u32be(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
export function u32le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}
