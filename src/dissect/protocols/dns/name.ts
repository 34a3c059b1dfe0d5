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
  let pos = off;
  let next = -1;
  let hops = 0;
  let wire = 0;
  let name = '';
  let first = true;
  for (;;) {
    if (pos >= end) return null;
    const len = buf[pos]!;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= end) return null;
      const target = msg + (((len & 0x3f) << 8) | buf[pos + 1]!);
      if (target >= pos || ++hops > MAX_HOPS) return null;
      if (next < 0) next = pos + 2;
      pos = target;
      continue;
    }
    if (kind !== 0) return null; // 0x40 / 0x80 label types are obsolete or reserved
    if (pos + 1 + len > end) return null;
    wire += len + 1;
    if (wire > MAX_NAME_WIRE) return null;
    let label = '';
    if (nbns && first && len === 32) {
      label = decodeNbnsName(buf, pos + 1) ?? '';
    }
    if (!label) label = labelText(buf, pos + 1, pos + 1 + len);
    name += first ? label : '.' + label;
    first = false;
    pos += 1 + len;
  }
  return { name: name || '<Root>', next };
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
