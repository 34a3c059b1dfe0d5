/**
 * Splits a byte stream into text lines (CRLF or LF), for the text protocols (FTP, SMTP, POP3, IMAP).
 * A line longer than maxLine is cut there (the rest up to its end is dropped and the line marked), so a
 * hostile peer that never sends a newline costs at most maxLine bytes of buffer.
 */
export class LineSplitter {
  private buf: Uint8Array;
  private len = 0;
  private dropping = false;

  constructor(
    private readonly onLine: (line: string, cut: boolean) => void,
    private readonly maxLine = 4096,
  ) {
    this.buf = new Uint8Array(maxLine);
  }

  push(b: Uint8Array, start = 0, end = b.length): void {
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c === 10) {
        let n = this.len;
        if (n > 0 && this.buf[n - 1] === 13) n--;
        const cut = this.dropping;
        this.len = 0;
        this.dropping = false;
        this.onLine(lineText(this.buf, n), cut);
        continue;
      }
      if (this.len < this.maxLine) this.buf[this.len++] = c;
      else this.dropping = true;
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

/** latin1 text of buf[0, n): one call for a line of usual length, not a string per byte */
function lineText(buf: Uint8Array, n: number): string {
  if (n === 0) return '';
  if (n <= 8192) return String.fromCharCode.apply(null, buf.subarray(0, n) as unknown as number[]);
  let s = '';
  for (let k = 0; k < n; k += 8192)
    s += String.fromCharCode.apply(null, buf.subarray(k, Math.min(n, k + 8192)) as unknown as number[]);
  return s;
}
