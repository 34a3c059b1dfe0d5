/**
 * Text out of untrusted bytes, for application-layer fields (names, headers, banners). Bounded by the caller's
 * cap; bytes outside printable ASCII are kept as Latin-1 code points so nothing is lost and nothing throws.
 */

/** below this length a string built a byte at a time is faster than one fromCharCode call over a view */
const SHORT_TEXT = 16;
/** bytes per fromCharCode call: well under the argument count a call takes */
const CHARS_PER_CALL = 8192;

/** Latin-1 text of buf[start, min(end, start + max)): each byte is the code point of the same value. */
export function latin1(buf: Uint8Array, start: number, end: number, max = 4096): string {
  const stop = Math.min(end, start + max, buf.length);
  let s = '';
  if (stop - start < SHORT_TEXT) {
    for (let i = start; i < stop; i++) s += String.fromCharCode(buf[i]!);
    return s;
  }
  for (let i = start; i < stop; i += CHARS_PER_CALL)
    s += String.fromCharCode.apply(
      null,
      buf.subarray(i, Math.min(stop, i + CHARS_PER_CALL)) as unknown as number[],
    );
  return s;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 text (invalid sequences replaced) of buf[start, min(end, start + max)). */
export function utf8Text(buf: Uint8Array, start: number, end: number, max = 4096): string {
  const stop = Math.min(end, start + max, buf.length);
  if (stop <= start) return '';
  return utf8.decode(buf.subarray(start, stop));
}

/** Index of the first CRLF (or lone LF) at or after start, before end; -1 if none. Returns the index of the LF. */
export function findLf(buf: Uint8Array, start: number, end: number): number {
  const stop = Math.min(end, buf.length);
  for (let i = start; i < stop; i++) if (buf[i] === 10) return i;
  return -1;
}

/** Decodes standard base64 (padding optional, whitespace ignored) to bytes; null on any other character. */
export function base64Decode(s: string, maxOut = 4096): Uint8Array | null {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let v: number;
    if (c >= 65 && c <= 90) v = c - 65;
    else if (c >= 97 && c <= 122) v = c - 71;
    else if (c >= 48 && c <= 57) v = c + 4;
    else if (c === 43 || c === 45) v = 62;
    else if (c === 47 || c === 95) v = 63;
    else if (c === 61) break;
    else if (c === 32 || c === 9 || c === 13 || c === 10) continue;
    else return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (out.length >= maxOut) return null;
      out.push((acc >> bits) & 255);
    }
  }
  return Uint8Array.from(out);
}

/** True when every byte of buf[start, end) is printable ASCII, tab, CR or LF. */
export function isPrintable(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b < 32 ? b !== 9 && b !== 10 && b !== 13 : b > 126) return false;
  }
  return true;
}
