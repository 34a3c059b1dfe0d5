/**
 * MIME header values: `type/subtype; name=value; name="quoted"` (RFC 2045 section 5.1), parameter
 * continuations and charsets (RFC 2231), and encoded words (RFC 2047), which mail clients also put in
 * file names. Input is a byte string (one char per byte) taken from the wire; every loop and size is capped.
 */

const MAX_PARAMS = 32;
const MAX_VALUE = 4096;
const MAX_PIECES = 64;

export interface HeaderValue {
  /** the value before the first ';', trimmed and lower-cased ("multipart/mixed", "attachment") */
  value: string;
  /** parameters by lower-cased name, RFC 2231 pieces joined and decoded */
  params: Map<string, string>;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** Splits `v` into its value and raw parameters (continuation pieces still apart). */
function rawParams(v: string): { value: string; raw: [string, string][] } {
  let i = v.indexOf(';');
  const value = (i < 0 ? v : v.slice(0, i)).trim().toLowerCase();
  const raw: [string, string][] = [];
  if (i < 0) return { value, raw };
  const n = Math.min(v.length, 16384);
  while (i < n && raw.length < MAX_PARAMS) {
    i++; // past ';'
    while (i < n && isSpace(v.charCodeAt(i))) i++;
    const eq = v.indexOf('=', i);
    const semi = v.indexOf(';', i);
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      if (semi < 0) break;
      i = semi;
      continue;
    }
    const name = v.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (i < n && isSpace(v.charCodeAt(i))) i++;
    let val = '';
    if (v.charCodeAt(i) === 34) {
      i++;
      while (i < n && v.charCodeAt(i) !== 34) {
        if (v.charCodeAt(i) === 92 && i + 1 < n) i++;
        if (val.length < MAX_VALUE) val += v[i];
        i++;
      }
      const next = v.indexOf(';', i);
      i = next < 0 ? n : next;
    } else {
      const next = v.indexOf(';', i);
      const stop = next < 0 ? n : next;
      val = v.slice(i, Math.min(stop, i + MAX_VALUE)).trim();
      i = stop;
    }
    if (name) raw.push([name, val]);
  }
  return { value, raw };
}

/** The byte written as two hex digits at s[i], or -1. */
function hex2(s: string, i: number): number {
  const d = (c: number): number =>
    c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
  const hi = d(s.charCodeAt(i));
  const lo = d(s.charCodeAt(i + 1));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

/** Bytes as text in `charset`; unknown charsets and bad sequences fall back to Latin-1. */
function decodeCharset(b: Uint8Array, charset: string): string {
  try {
    return new TextDecoder(charset.trim() || 'utf-8', { fatal: true }).decode(b);
  } catch {
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
    return s;
  }
}

/** A byte string as text: UTF-8 when it is valid UTF-8 (RFC 6532 headers), else Latin-1 as it is. */
export function byteStringText(s: string): string {
  if (!/[\u0080-\u00ff]/.test(s)) return s;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytesOf(s));
  } catch {
    return s;
  }
}

function percentBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const h = hex2(s, i + 1);
      if (h >= 0) {
        out[n++] = h;
        i += 2;
        continue;
      }
    }
    out[n++] = c & 0xff;
  }
  return out.subarray(0, n);
}

/** Parses a Content-Type / Content-Disposition value. */
export function parseHeaderValue(v: string): HeaderValue {
  const { value, raw } = rawParams(v);
  const params = new Map<string, string>();
  // RFC 2231: name*=charset'lang'pct, name*0=..., name*1*=pct ...
  const pieces = new Map<string, { idx: number; enc: boolean; val: string }[]>();
  for (const [name, val] of raw) {
    const m = /^([^*]+)\*(?:(\d{1,3})\*?)?$/.exec(name);
    if (!m) {
      if (!params.has(name)) params.set(name, val);
      continue;
    }
    const base = m[1]!;
    const list = pieces.get(base) ?? [];
    if (list.length < MAX_PIECES) list.push({ idx: m[2] ? Number(m[2]) : 0, enc: name.endsWith('*'), val });
    pieces.set(base, list);
  }
  for (const [base, list] of pieces) {
    list.sort((a, b) => a.idx - b.idx);
    let charset = 'utf-8';
    const bytes: number[] = [];
    for (let k = 0; k < list.length; k++) {
      const p = list[k]!;
      let val = p.val;
      if (p.enc && k === 0) {
        const q = /^([^']*)'[^']*'(.*)$/.exec(val);
        if (q) {
          charset = q[1] || 'utf-8';
          val = q[2]!;
        }
      }
      const b = p.enc ? percentBytes(val) : bytesOf(val);
      for (let j = 0; j < b.length && bytes.length < MAX_VALUE; j++) bytes.push(b[j]!);
    }
    // an RFC 2231 value wins over a plain one of the same name (it is the one meant for capable readers)
    params.set(base, decodeCharset(Uint8Array.from(bytes), charset));
  }
  return { value, params };
}

/**
 * Decodes RFC 2047 encoded words (=?charset?B|Q?text?=) in a byte-string header value; white space between
 * two encoded words is dropped. Text outside them is read as UTF-8 when valid, else Latin-1.
 */
export function decodeWords(s: string): string {
  if (s.length > MAX_VALUE) s = s.slice(0, MAX_VALUE);
  const re = /=\?([^?\s]{1,40})\?([bBqQ])\?([^?\s]*)\?=/g;
  let out = '';
  let last = 0;
  let prevWord = false;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const between = s.slice(last, m.index);
    if (!(prevWord && /^[ \t\r\n]*$/.test(between))) out += byteStringText(between);
    const charset = m[1]!.split('*')[0]!;
    const text = m[3]!;
    let bytes: Uint8Array;
    if (m[2] === 'b' || m[2] === 'B') bytes = base64Bytes(text);
    else bytes = qBytes(text);
    out += decodeCharset(bytes, charset);
    last = m.index + m[0].length;
    prevWord = true;
  }
  return out + byteStringText(s.slice(last));
}

/** RFC 2047 "Q": '_' is a space, =XX a byte. */
function qBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 61 && i + 2 < s.length) {
      const h = hex2(s, i + 1);
      if (h >= 0) {
        out[n++] = h;
        i += 2;
        continue;
      }
    }
    out[n++] = c === 95 ? 32 : c & 0xff;
  }
  return out.subarray(0, n);
}

function base64Bytes(s: string): Uint8Array {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out = new Uint8Array((s.length * 3) >> 2);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const v = A.indexOf(s[i]!);
    if (v < 0) continue;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}
