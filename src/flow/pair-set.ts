/**
 * A set of unordered pairs of small non-negative integers (host indexes) in one open-addressing table of
 * Int32Array slots: 8 bytes per slot, no object per pair. Full at `maxPairs`: past it, add() answers false
 * (callers count distinct peers as a lower bound then).
 */
const EMPTY = -1;

export class PairSet {
  private lo: Int32Array;
  private hi: Int32Array;
  private mask: number;
  size = 0;

  constructor(
    private readonly maxPairs = 1 << 23,
    initialSlots = 1 << 12,
  ) {
    this.lo = new Int32Array(initialSlots).fill(EMPTY);
    this.hi = new Int32Array(initialSlots);
    this.mask = initialSlots - 1;
  }

  /** Adds {x, y}; true when it was not there yet. */
  add(x: number, y: number): boolean {
    const a = x < y ? x : y;
    const b = x < y ? y : x;
    let i = this.slot(a, b);
    const lo = this.lo;
    const hi = this.hi;
    while (lo[i] !== EMPTY) {
      if (lo[i] === a && hi[i] === b) return false;
      i = (i + 1) & this.mask;
    }
    if (this.size >= this.maxPairs) return false;
    lo[i] = a;
    hi[i] = b;
    this.size++;
    // at most half full, so probe runs stay short
    if (this.size * 2 > this.mask + 1) this.grow();
    return true;
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return (h ^ (h >>> 13)) & this.mask;
  }

  private grow(): void {
    const oldLo = this.lo;
    const oldHi = this.hi;
    const n = oldLo.length * 2;
    this.lo = new Int32Array(n).fill(EMPTY);
    this.hi = new Int32Array(n);
    this.mask = n - 1;
    for (let j = 0; j < oldLo.length; j++) {
      const a = oldLo[j]!;
      if (a === EMPTY) continue;
      const b = oldHi[j]!;
      let i = this.slot(a, b);
      while (this.lo[i] !== EMPTY) i = (i + 1) & this.mask;
      this.lo[i] = a;
      this.hi[i] = b;
    }
  }
}
