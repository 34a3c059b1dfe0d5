import { latin1 } from '../../../shared/bytes-text.js';

/**
 * Splits a byte stream into text lines (CRLF or LF), for the text protocols (FTP, SMTP, POP3, IMAP).
 * A line longer than maxLine is cut there (the rest up to its end is dropped and the line marked), so a
 * hostile peer that never sends a newline costs at most maxLine bytes of buffer.
 */
export class LineSplitter {
  /** a line cut by the end of a chunk, gathered (made when first needed: most lines come whole) */
  private buf: Uint8Array | null = null;
  private len = 0;
  private dropping = false;

  constructor(
    private readonly onLine: (line: string, cut: boolean) => void,
    private readonly maxLine = 4096,
  ) {}

  push(b: Uint8Array, start = 0, end = b.length): void {
    let i = start;
    while (i < end) {
      let lf = b.indexOf(10, i);
      if (lf >= end) lf = -1;
      const n = (lf < 0 ? end : lf) - i;
      // bytes past maxLine of one line are dropped, and the line marked cut
      const room = this.maxLine - this.len;
      const take = n > room ? room : n;
      if (n > room) this.dropping = true;
      if (lf >= 0 && this.len === 0) {
        // the whole line is in b: its text is made from b, not copied first
        const m = take > 0 && b[i + take - 1] === 13 ? take - 1 : take;
        const cut = this.dropping;
        this.dropping = false;
        this.onLine(latin1(b, i, i + m, m), cut);
        i = lf + 1;
        continue;
      }
      const buf = (this.buf ??= new Uint8Array(this.maxLine));
      if (take > 0) {
        buf.set(b.subarray(i, i + take), this.len);
        this.len += take;
      }
      if (lf < 0) return;
      const m = this.len > 0 && buf[this.len - 1] === 13 ? this.len - 1 : this.len;
      const cut = this.dropping;
      this.len = 0;
      this.dropping = false;
      this.onLine(latin1(buf, 0, m, m), cut);
      i = lf + 1;
    }
  }

  /** Forget a partial line (after a gap). */
  reset(): void {
    this.len = 0;
    this.dropping = false;
  }

  /** Bytes of an unfinished line. */
  get pending(): number {
    return this.len;
  }
}
