/** SIP message heads (RFC 3261 section 7): request or status line and the dialog headers, compact forms included. */
import { latin1 } from '../../../shared/bytes-text.js';

export interface SipMessage {
  isRequest: boolean;
  method: string | null;
  uri: string | null;
  status: number | null;
  reason: string | null;
  from: string | null;
  to: string | null;
  callId: string | null;
  cseq: string | null;
  userAgent: string | null;
}

const MAX_HEAD = 8192;
const MAX_LINES = 128;

/** latin1 text of b[start, end) */
function text(b: Uint8Array, start: number, end: number): string {
  return latin1(b, start, end, end - start);
}

/** the bytes String.prototype.trim removes that latin1 text can hold */
function isTrimSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

// header names we read (lower case, compact forms included), matched on bytes without making the name a string
const H_FROM = 1;
const H_TO = 2;
const H_CALL_ID = 3;
const H_CSEQ = 4;
const H_USER_AGENT = 5;
const NAMES: [number[], number][] = [
  [[0x66, 0x72, 0x6f, 0x6d], H_FROM], // from
  [[0x66], H_FROM], // f
  [[0x74, 0x6f], H_TO], // to
  [[0x74], H_TO], // t
  [[0x63, 0x61, 0x6c, 0x6c, 0x2d, 0x69, 0x64], H_CALL_ID], // call-id
  [[0x69], H_CALL_ID], // i
  [[0x63, 0x73, 0x65, 0x71], H_CSEQ], // cseq
  [[0x75, 0x73, 0x65, 0x72, 0x2d, 0x61, 0x67, 0x65, 0x6e, 0x74], H_USER_AGENT], // user-agent
];

/** Which header b[s, e) (trimmed, any case) names, 0 for one we do not read. */
function headerId(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  for (const [name, id] of NAMES) {
    if (name.length !== n) continue;
    let i = 0;
    while (i < n) {
      let c = b[s + i]!;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (c !== name[i]) break;
      i++;
    }
    if (i === n) return id;
  }
  return 0;
}

/**
 * Reads the head as the text form would be read: the head ends at the first blank line (/\r?\n\r?\n/), lines
 * end at LF with a CR before it dropped, at most 128 lines; a header's name is what precedes its first colon
 * (trimmed, any case) and its value what follows (trimmed). Only the first line and the values kept become
 * strings.
 */
export function decodeSip(b: Uint8Array, off: number, end: number): SipMessage | null {
  const stop = Math.min(end, off + MAX_HEAD, b.length);
  // the head's end: the start of the first /\r?\n\r?\n/
  let headEnd = stop;
  for (let p = off; p < stop; p++) {
    const c = b[p]!;
    let q: number;
    if (c === 10) q = p + 1;
    else if (c === 13 && p + 1 < stop && b[p + 1] === 10) q = p + 2;
    else continue;
    if (q < stop && (b[q] === 10 || (b[q] === 13 && q + 1 < stop && b[q + 1] === 10))) {
      headEnd = p;
      break;
    }
  }
  let lineEnd = lineEndAt(b, off, headEnd);
  const first = text(
    b,
    off,
    lineEnd < headEnd && lineEnd > off && b[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd,
  );
  const m: SipMessage = {
    isRequest: false,
    method: null,
    uri: null,
    status: null,
    reason: null,
    from: null,
    to: null,
    callId: null,
    cseq: null,
    userAgent: null,
  };
  let r: RegExpExecArray | null;
  if ((r = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(first))) {
    m.status = Number(r[1]);
    m.reason = r[2]!;
  } else if ((r = /^([A-Z]{3,16}) (\S+) SIP\/2\.0$/.exec(first))) {
    m.isRequest = true;
    m.method = r[1]!;
    m.uri = r[2]!;
  } else return null;
  for (let line = 1; line < MAX_LINES && lineEnd < headEnd; line++) {
    const ls = lineEnd + 1;
    lineEnd = lineEndAt(b, ls, headEnd);
    const le = lineEnd < headEnd && lineEnd > ls && b[lineEnd - 1] === 13 ? lineEnd - 1 : lineEnd;
    let c = ls;
    while (c < le && b[c] !== 0x3a) c++;
    if (c >= le || c === ls) continue;
    let ks = ls;
    let ke = c;
    while (ks < ke && isTrimSpace(b[ks]!)) ks++;
    while (ke > ks && isTrimSpace(b[ke - 1]!)) ke--;
    const id = headerId(b, ks, ke);
    if (id === 0) continue;
    if (
      (id === H_FROM && m.from !== null) ||
      (id === H_TO && m.to !== null) ||
      (id === H_CALL_ID && m.callId !== null) ||
      (id === H_CSEQ && m.cseq !== null) ||
      (id === H_USER_AGENT && m.userAgent !== null)
    )
      continue;
    let vs = c + 1;
    let ve = le;
    while (vs < ve && isTrimSpace(b[vs]!)) vs++;
    while (ve > vs && isTrimSpace(b[ve - 1]!)) ve--;
    const v = text(b, vs, ve);
    if (id === H_FROM) m.from = v;
    else if (id === H_TO) m.to = v;
    else if (id === H_CALL_ID) m.callId = v;
    else if (id === H_CSEQ) m.cseq = v;
    else m.userAgent = v;
  }
  return m;
}

/** Index of the first LF in b[start, stop), or stop. */
function lineEndAt(b: Uint8Array, start: number, stop: number): number {
  let i = start;
  while (i < stop && b[i] !== 10) i++;
  return i;
}

/** "SIP/2.0 " or "<METHOD> sip:" at the start of a payload. */
export function looksLikeSip(b: Uint8Array, off: number, len: number): boolean {
  if (len < 12) return false;
  if (
    b[off] === 0x53 &&
    b[off + 1] === 0x49 &&
    b[off + 2] === 0x50 &&
    b[off + 3] === 0x2f &&
    b[off + 4] === 0x32
  )
    return true;
  let i = off;
  while (i < off + 16 && b[i]! >= 0x41 && b[i]! <= 0x5a) i++;
  return (
    i > off + 2 &&
    b[i] === 0x20 &&
    b[i + 1] === 0x73 &&
    b[i + 2] === 0x69 &&
    b[i + 3] === 0x70 &&
    (b[i + 4] === 0x3a || b[i + 4] === 0x73)
  );
}
