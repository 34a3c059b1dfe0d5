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

const COMPACT: Record<string, string> = { f: 'from', t: 'to', i: 'call-id' };
const MAX_HEAD = 8192;

export function decodeSip(b: Uint8Array, off: number, end: number): SipMessage | null {
  const text = latin1(b, off, Math.min(end, b.length), MAX_HEAD);
  const headEnd = text.search(/\r?\n\r?\n/);
  const lines = (headEnd >= 0 ? text.slice(0, headEnd) : text).split(/\r?\n/).slice(0, 128);
  const first = lines[0] ?? '';
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
  for (const l of lines.slice(1)) {
    const c = l.indexOf(':');
    if (c <= 0) continue;
    let k = l.slice(0, c).trim().toLowerCase();
    k = COMPACT[k] ?? k;
    const v = l.slice(c + 1).trim();
    if (k === 'from') m.from ??= v;
    else if (k === 'to') m.to ??= v;
    else if (k === 'call-id') m.callId ??= v;
    else if (k === 'cseq') m.cseq ??= v;
    else if (k === 'user-agent') m.userAgent ??= v;
  }
  return m;
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
