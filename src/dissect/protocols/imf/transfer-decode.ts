/**
 * Content-Transfer-Encoding (RFC 2045 section 6) decoded line by line, as a mail body arrives. Lines are
 * byte strings (one char per byte, as LineSplitter gives them) without their CRLF. Each decoder writes the
 * decoded bytes of a line into a reused buffer and hands them to `out`; nothing grows with the body.
 *
 * The CRLF that ends a part's last line belongs to the boundary that follows (RFC 2046 section 5.1.1), so
 * line-oriented encodings hold each line break back until the next line of the same part arrives.
 */

export type BytesOut = (b: Uint8Array, start: number, end: number) => void;

export interface LineDecoder {
  line(s: string): void;
}

/** 7bit, 8bit, binary and anything unknown: the line's bytes, line breaks as CRLF. */
export class IdentityLines implements LineDecoder {
  private buf = new Uint8Array(256);
  private pendingBreak = false;

  constructor(private readonly out: BytesOut) {}

  line(s: string): void {
    const need = s.length + 2;
    if (this.buf.length < need) this.buf = new Uint8Array(Math.max(need, this.buf.length * 2));
    const b = this.buf;
    let n = 0;
    if (this.pendingBreak) {
      b[n++] = 13;
      b[n++] = 10;
    }
    for (let i = 0; i < s.length; i++) b[n++] = s.charCodeAt(i) & 0xff;
    this.pendingBreak = true;
    if (n > 0) this.out(b, 0, n);
  }
}

/** base64 value of a char code, -1 for anything else (line breaks and junk are skipped, RFC 2045 6.8). */
const B64 = new Int8Array(256).fill(-1);
for (let i = 0; i < 64; i++)
  B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;

/** base64: four characters to three bytes, carried across lines; '=' ends the data. */
export class Base64Lines implements LineDecoder {
  private buf = new Uint8Array(192);
  private acc = 0;
  private bits = 0;
  private ended = false;

  constructor(private readonly out: BytesOut) {}

  line(s: string): void {
    if (this.ended) return;
    const need = ((s.length * 3) >> 2) + 3;
    if (this.buf.length < need) this.buf = new Uint8Array(Math.max(need, this.buf.length * 2));
    const b = this.buf;
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 61) {
        // padding: what is left in the accumulator is not data
        this.ended = true;
        break;
      }
      const v = c < 256 ? B64[c]! : -1;
      if (v < 0) continue;
      this.acc = ((this.acc << 6) | v) & 0xffffff;
      this.bits += 6;
      if (this.bits >= 8) {
        this.bits -= 8;
        b[n++] = (this.acc >> this.bits) & 0xff;
      }
    }
    if (n > 0) this.out(b, 0, n);
  }
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * quoted-printable: =XX is a byte, '=' at the end of a line joins it to the next (soft break), trailing
 * blanks are transport padding (RFC 2045 6.7 rule 3). A malformed '=' is kept as it is.
 */
export class QuotedPrintableLines implements LineDecoder {
  private buf = new Uint8Array(256);
  private pendingBreak = false;

  constructor(private readonly out: BytesOut) {}

  line(s: string): void {
    let end = s.length;
    while (end > 0 && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
    const soft = end > 0 && s.charCodeAt(end - 1) === 61;
    if (soft) end--;
    const need = end + 2;
    if (this.buf.length < need) this.buf = new Uint8Array(Math.max(need, this.buf.length * 2));
    const b = this.buf;
    let n = 0;
    if (this.pendingBreak) {
      b[n++] = 13;
      b[n++] = 10;
    }
    for (let i = 0; i < end; i++) {
      const c = s.charCodeAt(i) & 0xff;
      if (c === 61 && i + 2 < end) {
        const hi = hexVal(s.charCodeAt(i + 1));
        const lo = hexVal(s.charCodeAt(i + 2));
        if (hi >= 0 && lo >= 0) {
          b[n++] = (hi << 4) | lo;
          i += 2;
          continue;
        }
      }
      b[n++] = c;
    }
    this.pendingBreak = !soft;
    if (n > 0) this.out(b, 0, n);
  }
}

/** The decoder for a Content-Transfer-Encoding value (case-insensitive; unknown ones pass bytes through). */
export function lineDecoder(encoding: string | null, out: BytesOut): LineDecoder {
  const e = (encoding ?? '').trim().toLowerCase();
  if (e === 'base64') return new Base64Lines(out);
  if (e === 'quoted-printable') return new QuotedPrintableLines(out);
  return new IdentityLines(out);
}
