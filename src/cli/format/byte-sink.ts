/**
 * A reused byte buffer that rows are written into (JSON or CSV), instead of strings built by concatenation:
 * plain printable-ASCII strings are copied byte by byte while being checked, integers are written digit by
 * digit, and anything else (strings with quotes, backslashes, controls or non-ASCII; arrays; objects; floats)
 * goes through the same string functions as before (jsonText, csvField, String), encoded as UTF-8. So the bytes
 * are exactly the UTF-8 of the text the string writers give.
 */
import { cellText } from './cell.js';
import { csvField } from './csv.js';
import { jsonText } from './json.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
/**
 * Strings this long are copied by Buffer.write (UTF-8) and then checked byte by byte: V8 builds longer strings
 * made by concatenation as cons strings (ConsString::kMinLength is 13), which charCodeAt reads slowly, while the
 * native write flattens them once. Shorter strings are flat and are copied by charCodeAt.
 */
const NATIVE_AT = 13;

/**
 * Buffer's UTF-8 write without Buffer.prototype.write's argument handling, which costs more than the copy of a
 * short string: every Node Buffer has utf8Write (undocumented, so checked, with write as the fallback).
 */
interface RawUtf8 {
  utf8Write(s: string, offset: number, length: number): number;
}
const RAW = typeof (Buffer.prototype as unknown as Partial<RawUtf8>).utf8Write === 'function';

function writeUtf8(b: Buffer, s: string, offset: number): number {
  return RAW ? (b as unknown as RawUtf8).utf8Write(s, offset, b.length - offset) : b.write(s, offset);
}

export class ByteSink {
  buf: Buffer;
  pos = 0;
  /** whether a byte >= 0x80 was written since the last take (the text is then decoded as UTF-8, not latin1) */
  private wide = false;

  constructor(size = 1 << 17) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** The bytes written so far as text (one flat string), and the sink emptied. */
  take(): string {
    const s = this.buf.toString(this.wide ? 'utf8' : 'latin1', 0, this.pos);
    this.pos = 0;
    this.wide = false;
    return s;
  }

  /** Text known to be ASCII (number text, fixed punctuation). */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Any text, as UTF-8 (lone surrogates become U+FFFD, as a stream's write of the string does). */
  utf8(s: string): void {
    this.ensure(s.length * 3);
    const n = this.buf.write(s, this.pos, 'utf8');
    for (let i = this.pos; i < this.pos + n; i++)
      if (this.buf[i]! >= 0x80) {
        this.wide = true;
        break;
      }
    this.pos += n;
  }

  /** Pre-encoded bytes (key prefixes). */
  bytes(src: Uint8Array, wide: boolean): void {
    const n = src.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = src[i]!;
    this.pos = p;
    if (wide) this.wide = true;
  }

  /** A non-negative safe integer in decimal. */
  uint(v: number): void {
    this.ensure(16);
    const b = this.buf;
    if (v < 10) {
      b[this.pos++] = 48 + v;
      return;
    }
    let len = 1;
    for (let t = v; t >= 10; t = Math.floor(t / 10)) len++;
    let p = this.pos + len;
    this.pos = p;
    while (v >= 10) {
      const q = Math.floor(v / 10);
      b[--p] = 48 + (v - q * 10);
      v = q;
    }
    b[--p] = 48 + v;
  }

  /** A number as String(v) writes it (JSON and CSV both write safe integers that way). */
  private int(v: number): boolean {
    if (!Number.isSafeInteger(v)) return false;
    if (v < 0) {
      this.ensure(1);
      this.buf[this.pos++] = 0x2d;
      this.uint(-v);
    } else this.uint(v); // -0 is "0" too
    return true;
  }

  /** A string as jsonText writes it. */
  jsonString(s: string): void {
    const n = s.length;
    this.ensure(n * 3 + 2);
    const b = this.buf;
    const start = this.pos;
    b[start] = QUOTE;
    let p = start + 1;
    if (n < NATIVE_AT) {
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) return this.utf8(jsonText(s));
        b[p++] = c;
      }
    } else {
      // fewer bytes than UTF-16 units cannot happen; more means non-ASCII (or a lone surrogate, as U+FFFD)
      if (writeUtf8(b, s, p) !== n) return this.utf8(jsonText(s));
      const end = p + n;
      for (; p < end; p++) {
        const c = b[p]!;
        if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) return this.utf8(jsonText(s));
      }
    }
    b[p++] = QUOTE;
    this.pos = p;
  }

  /** One value as JsonRowWriter writes it (the same text as jsonText of the value); undefined is null. */
  jsonValue(v: unknown): void {
    switch (typeof v) {
      case 'number':
        if (!this.int(v)) this.ascii(Number.isFinite(v) ? String(v) : 'null');
        return;
      case 'string':
        this.jsonString(v);
        return;
      case 'boolean':
        this.ascii(v ? 'true' : 'false');
        return;
      case 'undefined':
        this.ascii('null');
        return;
      default:
        if (v === null) this.ascii('null');
        else this.utf8(jsonText(v));
    }
  }

  /** One field as csvField writes it. */
  csvValue(v: unknown): void {
    if (v === null || v === undefined) return;
    if (typeof v === 'number') {
      if (!this.int(v)) this.ascii(cellText(v));
      return;
    }
    if (typeof v !== 'string') {
      this.utf8(csvField(v));
      return;
    }
    const n = v.length;
    if (n === 0) return;
    const first = v.charCodeAt(0);
    // = + - @ first: formula protection decides (csvField)
    if (first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40) {
      this.utf8(csvField(v));
      return;
    }
    this.ensure(n * 3);
    const b = this.buf;
    let p = this.pos;
    if (n < NATIVE_AT) {
      for (let i = 0; i < n; i++) {
        const c = v.charCodeAt(i);
        if (c < 0x20 || c > 0x7e || c === QUOTE || c === COMMA) return this.utf8(csvField(v));
        b[p++] = c;
      }
    } else {
      if (writeUtf8(b, v, p) !== n) return this.utf8(csvField(v));
      const end = p + n;
      for (; p < end; p++) {
        const c = b[p]!;
        if (c < 0x20 || c > 0x7e || c === QUOTE || c === COMMA) return this.utf8(csvField(v));
      }
    }
    this.pos = p;
  }
}
