/**
 * Address-range table: non-overlapping inclusive [start, end] ranges mapped to a value, for CSV GeoIP/ASN data.
 * IPv4 keys are unsigned 32-bit numbers in typed arrays; IPv6 keys are 32-hex-digit strings (fixed width, so
 * string order is numeric order). Look-up is a binary search.
 */
import type { ParsedIp } from './ip.js';

export class RangeTableBuilder<T> {
  private v4: { s: number; e: number; v: number }[] = [];
  private v6: { s: string; e: string; v: number }[] = [];
  private values: T[] = [];
  private ids = new Map<string, number>();

  /** Values equal by `key` are stored once (an ASN's organisation repeats over thousands of ranges). */
  value(key: string, make: () => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(make());
      this.ids.set(key, id);
    }
    return id;
  }

  add(start: ParsedIp, end: ParsedIp, valueId: number): boolean {
    if (start.v === 4 && end.v === 4) {
      if (end.n < start.n) return false;
      this.v4.push({ s: start.n, e: end.n, v: valueId });
      return true;
    }
    if (start.v === 6 && end.v === 6) {
      if (end.hex < start.hex) return false;
      this.v6.push({ s: start.hex, e: end.hex, v: valueId });
      return true;
    }
    return false;
  }

  get size(): number {
    return this.v4.length + this.v6.length;
  }

  build(): RangeTable<T> {
    this.v4.sort((a, b) => a.s - b.s);
    this.v6.sort((a, b) => (a.s < b.s ? -1 : a.s > b.s ? 1 : 0));
    const t = new RangeTable<T>(
      Uint32Array.from(this.v4, (r) => r.s),
      Uint32Array.from(this.v4, (r) => r.e),
      Uint32Array.from(this.v4, (r) => r.v),
      this.v6.map((r) => r.s),
      this.v6.map((r) => r.e),
      Uint32Array.from(this.v6, (r) => r.v),
      this.values,
    );
    this.v4 = [];
    this.v6 = [];
    this.ids.clear();
    return t;
  }
}

export class RangeTable<T> {
  constructor(
    private readonly s4: Uint32Array,
    private readonly e4: Uint32Array,
    private readonly val4: Uint32Array,
    private readonly s6: string[],
    private readonly e6: string[],
    private readonly val6: Uint32Array,
    private readonly values: T[],
  ) {}

  get size(): number {
    return this.s4.length + this.s6.length;
  }

  get(ip: ParsedIp): T | null {
    if (ip.v === 4) {
      const i = lastAtMost(this.s4.length, (k) => this.s4[k]! <= ip.n);
      if (i < 0 || this.e4[i]! < ip.n) return null;
      return this.values[this.val4[i]!] ?? null;
    }
    const i = lastAtMost(this.s6.length, (k) => this.s6[k]! <= ip.hex);
    if (i < 0 || this.e6[i]! < ip.hex) return null;
    return this.values[this.val6[i]!] ?? null;
  }
}

/** Largest index k in [0, n) with le(k) true, assuming le is true then false; -1 when none. */
function lastAtMost(n: number, le: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (le(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
