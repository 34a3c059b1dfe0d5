/**
 * HTTP/1.x message head (RFC 9112 sections 2-5): start line and header fields. Bounded: the head may not
 * exceed maxHead bytes, at most maxHeaders fields are kept (the rest counted), each value at most 8 KiB.
 */

import { latin1 } from '../../../shared/bytes-text.js';
import { TrimmedTextCache } from './text-cache.js';

export interface HttpHead {
  isRequest: boolean;
  method: string;
  uri: string;
  /** "HTTP/1.1" */
  version: string;
  status: number;
  reason: string;
  /** [name as sent, value] in order, at most maxHeaders */
  headers: [string, string][];
  /** fields beyond the cap (not kept) */
  droppedHeaders: number;
  /** bytes of the head including the blank line */
  headLen: number;
}

export const HEAD_MORE = 1;
export const HEAD_BAD = 2;
export type HeadResult = HttpHead | typeof HEAD_MORE | typeof HEAD_BAD;

export interface HeadLimits {
  maxHead: number;
  maxHeaders: number;
}
export const DEFAULT_HEAD_LIMITS: HeadLimits = { maxHead: 32 * 1024, maxHeaders: 128 };
const MAX_VALUE = 8192;
const MAX_METHOD = 24;
/** header names, and values up to 64 bytes, made into text once while they keep coming */
const names = new TrimmedTextCache(512, 64);
const values = new TrimmedTextCache(2048, 64);

/** Finds the end of the head (just past CRLFCRLF or LFLF) in buf[off, end); -1 if not there. */
function headEnd(buf: Uint8Array, off: number, end: number): number {
  for (let i = off; i < end; i++) {
    if (buf[i] !== 10) continue;
    if (buf[i + 1] === 10 && i + 1 < end) return i + 2;
    if (buf[i + 1] === 13 && buf[i + 2] === 10 && i + 2 < end) return i + 3;
  }
  return -1;
}

function isTokenChar(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || b === 0x2d || b === 0x5f || (b >= 0x61 && b <= 0x7a);
}

/**
 * True when buf[off, end) starts like an HTTP/1.x request ("GET /", "POST /", ...) or response ("HTTP/1.").
 * The content heuristic for any port; needs only the first few bytes.
 */
export function looksLikeHttp(buf: Uint8Array, off: number, end: number): boolean {
  const n = Math.min(end, buf.length) - off;
  if (n < 5) return false;
  if (
    buf[off] === 0x48 &&
    buf[off + 1] === 0x54 &&
    buf[off + 2] === 0x54 &&
    buf[off + 3] === 0x50 &&
    buf[off + 4] === 0x2f
  )
    return true;
  let i = off;
  while (i < off + n && i - off <= MAX_METHOD && ((buf[i]! >= 0x41 && buf[i]! <= 0x5a) || buf[i] === 0x2d))
    i++;
  const mlen = i - off;
  if (mlen < 3 || i >= off + n || buf[i] !== 0x20 || !knownMethod(buf, off, mlen)) return false;
  const c = buf[i + 1];
  // origin-form "/", absolute-form "http://", asterisk "*", authority-form for CONNECT
  return i + 1 >= off + n || c === 0x2f || c === 0x2a || c === 0x68 || (mlen === 7 && buf[off] === 0x43);
}

/** Whether buf[off, off+len) is one of KNOWN_METHODS, without building a string. */
function knownMethod(buf: Uint8Array, off: number, len: number): boolean {
  outer: for (const m of METHOD_BYTES) {
    if (m.length !== len) continue;
    for (let k = 0; k < len; k++) if (buf[off + k] !== m[k]) continue outer;
    return true;
  }
  return false;
}

const KNOWN_METHODS = new Set([
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'PATCH',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'SEARCH',
  'REPORT',
  'NOTIFY',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'M-SEARCH',
  'SOURCE',
]);
const METHOD_BYTES: Uint8Array[] = [...KNOWN_METHODS].map((m) => Uint8Array.from(m, (c) => c.charCodeAt(0)));

/** Parses a head at buf[off, end). HEAD_MORE: not complete yet; HEAD_BAD: not HTTP or over the size cap. */
export function parseHttpHead(
  buf: Uint8Array,
  off: number,
  end: number,
  limits: HeadLimits = DEFAULT_HEAD_LIMITS,
): HeadResult {
  end = Math.min(end, buf.length);
  const scanEnd = Math.min(end, off + limits.maxHead);
  const he = headEnd(buf, off, scanEnd);
  if (he < 0) return end - off >= limits.maxHead ? HEAD_BAD : HEAD_MORE;
  // start line
  let eol = off;
  while (eol < he && buf[eol] !== 10) eol++;
  const lineEnd = eol > off && buf[eol - 1] === 13 ? eol - 1 : eol;
  const line = latin1(buf, off, lineEnd, MAX_VALUE);
  const head: HttpHead = {
    isRequest: false,
    method: '',
    uri: '',
    version: '',
    status: 0,
    reason: '',
    headers: [],
    droppedHeaders: 0,
    headLen: he - off,
  };
  if (line.startsWith('HTTP/')) {
    const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(line);
    if (!m) return HEAD_BAD;
    head.version = m[1]!;
    head.status = Number(m[2]);
    head.reason = m[3] ?? '';
  } else {
    const sp1 = line.indexOf(' ');
    const sp2 = line.lastIndexOf(' ');
    if (sp1 <= 0 || sp2 <= sp1 || sp1 > MAX_METHOD) return HEAD_BAD;
    for (let i = 0; i < sp1; i++) if (!isTokenChar(line.charCodeAt(i))) return HEAD_BAD;
    const version = line.slice(sp2 + 1);
    if (!/^HTTP\/\d\.\d$/.test(version)) return HEAD_BAD;
    head.isRequest = true;
    head.method = line.slice(0, sp1);
    head.uri = line.slice(sp1 + 1, sp2);
    head.version = version;
  }
  // header fields, with obsolete line folding joined to the previous value
  let p = eol + 1;
  while (p < he) {
    let e = p;
    while (e < he && buf[e] !== 10) e++;
    const le = e > p && buf[e - 1] === 13 ? e - 1 : e;
    if (le === p) break;
    if ((buf[p] === 0x20 || buf[p] === 0x09) && head.headers.length > 0) {
      const last = head.headers[head.headers.length - 1]!;
      if (last[1].length < MAX_VALUE)
        last[1] = (last[1] + ' ' + latin1(buf, p, le, MAX_VALUE).trim()).slice(0, MAX_VALUE);
    } else {
      let c = p;
      while (c < le && buf[c] !== 0x3a) c++;
      if (c < le && c > p) {
        if (head.headers.length < limits.maxHeaders) {
          head.headers.push([names.text(buf, p, c, 256), values.text(buf, c + 1, le, MAX_VALUE)]);
        } else head.droppedHeaders++;
      }
    }
    p = e + 1;
  }
  return head;
}

/** Value of the first header named name (case-insensitive), or null. */
export function header(h: HttpHead, name: string): string | null {
  const n = name.toLowerCase();
  for (const [k, v] of h.headers) if (sameLower(k, n)) return v;
  return null;
}

/** k.toLowerCase() === n, without a lower-case copy of k when k is ASCII (the usual header name). */
function sameLower(k: string, n: string): boolean {
  if (k.length !== n.length) {
    // lower-casing can change the length only outside ASCII
    for (let i = 0; i < k.length; i++) if (k.charCodeAt(i) >= 0x80) return k.toLowerCase() === n;
    return false;
  }
  for (let i = 0; i < k.length; i++) {
    let c = k.charCodeAt(i);
    if (c >= 0x80) return k.toLowerCase() === n;
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c !== n.charCodeAt(i)) return false;
  }
  return true;
}

export function hasHeader(h: HttpHead, name: string): boolean {
  return header(h, name) !== null;
}
