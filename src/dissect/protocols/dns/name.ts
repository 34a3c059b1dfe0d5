/**
 * Reads a domain name (RFC 1035 section 4.1.4) with compression. Hostile input is the norm: a pointer must
 * point strictly before the label that holds it (so no loop can form), hops are capped, and the text form is
 * capped at 255 octets of wire length.
 */
import { decodeNbnsName } from '../nbns/name.js';

export const MAX_NAME_WIRE = 255;
const MAX_HOPS = 32;

export interface NameResult {
  name: string;
  /** offset just past the name in the original position (after the first pointer, if any) */
  next: number;
}

/**
 * Reads a name at off inside the message buf[msg, end). Returns null when the name is malformed: out of bounds,
 * forward or self pointer, too many hops, too long, or a reserved label type.
 * With nbns set, a 32-byte first label in NetBIOS first-level encoding is decoded (RFC 1002 section 4.1).
 */
export function readName(
  buf: Uint8Array,
  msg: number,
  end: number,
  off: number,
  nbns = false,
): NameResult | null {
  const next = readNameAt(buf, msg, end, off, nbns);
  return next < 0 ? null : { name: nameRead, next };
}

/** The name the last successful readNameAt read (valid until the next call). */
export let nameRead = '';

/** the wire form of a name of plain labels, joined by dots: at most 255 octets */
const scratch = new Uint8Array(MAX_NAME_WIRE + 1);

/**
 * readName without an object per name: returns the offset just past the name (next), or -1 when it is
 * malformed; the name is left in nameRead. A name whose labels are all printable ASCII (the usual case) is
 * gathered into one buffer and made into text in one step, through a cache of recent names.
 */
export function readNameAt(buf: Uint8Array, msg: number, end: number, off: number, nbns = false): number {
  let pos = off;
  let next = -1;
  let hops = 0;
  let wire = 0;
  let n = 0;
  let plain = true;
  let hash = 0x811c9dc5;
  for (;;) {
    if (pos >= end) return -1;
    const len = buf[pos]!;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= end) return -1;
      const target = msg + (((len & 0x3f) << 8) | buf[pos + 1]!);
      if (target >= pos || ++hops > MAX_HOPS) return -1;
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    if (kind !== 0) return -1; // 0x40 / 0x80 label types are obsolete or reserved
    if (pos + 1 + len > end) return -1;
    wire += len + 1;
    if (wire > MAX_NAME_WIRE) return -1;
    if (plain) {
      if (nbns && n === 0 && len === 32) plain = false;
      else {
        if (n > 0) {
          scratch[n++] = 0x2e;
          hash = Math.imul(hash ^ 0x2e, 0x01000193);
        }
        for (let i = pos + 1, stop = pos + 1 + len; i < stop; i++) {
          const b = buf[i]!;
          if (b < 0x20 || b >= 0x7f) {
            plain = false;
            break;
          }
          scratch[n++] = b;
          hash = Math.imul(hash ^ b, 0x01000193);
        }
      }
    }
    pos += 1 + len;
  }
  if (plain) nameRead = n === 0 ? '<Root>' : cachedText(n, hash >>> 0);
  else nameRead = slowName(buf, msg, off, nbns);
  return next;
}

/** recent names by hash of their bytes: DNS repeats a few names many times (a query, its answer, CNAMEs) */
const CACHE_SIZE = 4096;
const cacheHash = new Uint32Array(CACHE_SIZE);
const cacheText: string[] = new Array<string>(CACHE_SIZE).fill('');

/** Text of scratch[0, n) (printable ASCII), from the cache when it holds the same bytes. */
function cachedText(n: number, hash: number): string {
  const slot = hash & (CACHE_SIZE - 1);
  const t = cacheText[slot]!;
  if (cacheHash[slot] === hash && t.length === n) {
    let i = 0;
    while (i < n && t.charCodeAt(i) === scratch[i]) i++;
    if (i === n) return t;
  }
  let s: string;
  if (n < 16) {
    s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(scratch[i]!);
  } else s = String.fromCharCode.apply(null, scratch.subarray(0, n) as unknown as number[]);
  cacheHash[slot] = hash;
  cacheText[slot] = s;
  return s;
}

/**
 * The name label by label (a name readNameAt found well formed, with a label that is not plain ASCII or an
 * NBNS first label): each label as labelText shows it.
 */
function slowName(buf: Uint8Array, msg: number, off: number, nbns: boolean): string {
  let pos = off;
  let name = '';
  let first = true;
  for (;;) {
    const len = buf[pos]!;
    if (len === 0) break;
    if ((len & 0xc0) === 0xc0) {
      pos = msg + (((len & 0x3f) << 8) | buf[pos + 1]!);
      continue;
    }
    let label = '';
    if (nbns && first && len === 32) {
      label = decodeNbnsName(buf, pos + 1) ?? '';
    }
    if (!label) label = labelText(buf, pos + 1, pos + 1 + len);
    name += first ? label : '.' + label;
    first = false;
    pos += 1 + len;
  }
  return name || '<Root>';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text of one label as tshark shows it: printable ASCII as is (spaces and dots included: mDNS instance names
 * use them), valid UTF-8 decoded, control bytes and invalid sequences as \ddd.
 */
function labelText(buf: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b < 0x20 || b === 0x7f) {
      ascii = false;
      break;
    }
    if (b > 0x7f) ascii = false;
  }
  if (!ascii) {
    let ctl = false;
    for (let i = start; i < end && !ctl; i++) ctl = buf[i]! < 0x20 || buf[i] === 0x7f;
    if (!ctl) {
      try {
        return utf8.decode(buf.subarray(start, end));
      } catch {
        // invalid UTF-8: fall through to escapes
      }
    }
  }
  let s = '';
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    s += b < 0x20 || b >= 0x7f ? '\\' + String(b).padStart(3, '0') : String.fromCharCode(b);
  }
  return s;
}
