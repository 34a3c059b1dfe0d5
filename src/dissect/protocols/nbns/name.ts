/**
 * NetBIOS first-level name encoding (RFC 1001 section 14.1, RFC 1002 section 4.1): 16 bytes become 32 letters
 * 'A'..'P', each holding 4 bits. The 16th byte is the name type suffix (<00> workstation, <20> server, ...).
 */

/** Decodes 32 encoded bytes at off into "NAME<xx>" (trailing spaces trimmed); null if not valid encoding. */
export function decodeNbnsName(buf: Uint8Array, off: number): string | null {
  if (off + 32 > buf.length) return null;
  let s = '';
  let suffix = 0;
  for (let i = 0; i < 16; i++) {
    const hi = buf[off + 2 * i]! - 0x41;
    const lo = buf[off + 2 * i + 1]! - 0x41;
    if (hi < 0 || hi > 15 || lo < 0 || lo > 15) return null;
    const c = (hi << 4) | lo;
    if (i === 15) suffix = c;
    else s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return `${s.trimEnd()}<${suffix.toString(16).padStart(2, '0')}>`;
}
