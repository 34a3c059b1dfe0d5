/**
 * pcapng timestamps: a 64-bit count of interface-specific units (if_tsresol: 10^-k or 2^-k seconds, default
 * microseconds) since 1970, plus if_tsoffset seconds. A float64 holds only 53 bits, and nanosecond counts of
 * today's dates already need 61, so the count is divided exactly in 16-bit digits instead.
 */

// Results of divmod64, kept in module scratch so the hot path allocates nothing.
let qHi = 0;
let qLo = 0;
let rem = 0;

/** (hi * 2^32 + lo) divided by d, for an integer 1 <= d < 2^37: quotient in qHi/qLo, remainder in rem. */
function divmod64(hi: number, lo: number, d: number): void {
  let r = 0;
  let t = hi >>> 16;
  const q3 = Math.floor(t / d);
  r = t - q3 * d;
  t = r * 65536 + (hi & 0xffff);
  let q2 = Math.floor(t / d);
  r = t - q2 * d;
  if (r < 0) {
    q2--;
    r += d;
  } else if (r >= d) {
    q2++;
    r -= d;
  }
  t = r * 65536 + (lo >>> 16);
  let q1 = Math.floor(t / d);
  r = t - q1 * d;
  if (r < 0) {
    q1--;
    r += d;
  } else if (r >= d) {
    q1++;
    r -= d;
  }
  t = r * 65536 + (lo & 0xffff);
  let q0 = Math.floor(t / d);
  r = t - q0 * d;
  if (r < 0) {
    q0--;
    r += d;
  } else if (r >= d) {
    q0++;
    r -= d;
  }
  qHi = q3 * 65536 + q2;
  qLo = q1 * 65536 + q0;
  rem = r;
}

const TWO32 = 4294967296;
const MAX_EXACT_DIVISOR = 2 ** 37;

/** How one interface's timestamp units turn into (seconds, nanoseconds). */
export class TsConverter {
  /** nanoseconds per unit (may be fractional) */
  readonly unitNs: number;
  /** results of the last convert() */
  sec = 0;
  nsec = 0;
  private readonly pow2: boolean;
  private readonly exp: number;
  private readonly nsMul: number;

  /** `tsresol` is the if_tsresol byte (6 when absent); `offsetSec` the if_tsoffset value. */
  constructor(
    tsresol: number,
    readonly offsetSec = 0,
  ) {
    this.pow2 = (tsresol & 0x80) !== 0;
    this.exp = tsresol & 0x7f;
    this.unitNs = this.pow2 ? 1e9 / 2 ** this.exp : 1e9 / 10 ** this.exp;
    this.nsMul = !this.pow2 && this.exp <= 9 ? 10 ** (9 - this.exp) : 1;
  }

  convert(hi: number, lo: number): void {
    if (!this.pow2) this.convertPow10(hi, lo);
    else this.convertPow2(hi, lo);
    this.sec += this.offsetSec;
  }

  private convertPow10(hi: number, lo: number): void {
    const k = this.exp;
    if (k <= 9) {
      divmod64(hi, lo, 10 ** k);
      this.sec = qHi * TWO32 + qLo;
      this.nsec = rem * this.nsMul;
      return;
    }
    const toNs = 10 ** (k - 9);
    if (toNs < MAX_EXACT_DIVISOR) {
      divmod64(hi, lo, toNs);
      divmod64(qHi, qLo, 1e9);
      this.sec = qHi * TWO32 + qLo;
      this.nsec = rem;
      return;
    }
    // 10^-21 s units or finer: 2^64 units is under a second, so only nanoseconds remain.
    this.sec = 0;
    this.nsec = Math.floor((hi * TWO32 + lo) / toNs);
  }

  private convertPow2(hi: number, lo: number): void {
    const k = this.exp;
    if (k <= 32) {
      const div = 2 ** k;
      const frac = lo % div;
      this.sec = hi * 2 ** (32 - k) + (lo - frac) / div;
      // frac/div has at most 32 significant bits and 1e9 = 2^9 * 1953125 only 21: the product is exact.
      this.nsec = Math.floor((frac / div) * 1e9);
      return;
    }
    if (k < 64) {
      const hiDiv = 2 ** (k - 32);
      const hiFrac = hi % hiDiv;
      this.sec = (hi - hiFrac) / hiDiv;
      this.nsec = Math.floor(((hiFrac * TWO32 + lo) / 2 ** k) * 1e9);
      return;
    }
    this.sec = 0;
    this.nsec = Math.floor(((hi * TWO32 + lo) / 2 ** k) * 1e9);
  }
}
