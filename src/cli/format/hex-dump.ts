/** Classic hex dump: offset, 16 bytes in hex (two groups of 8), printable ASCII (others as '.'). */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let o = 0; o < bytes.length; o += 16) {
    const row = bytes.subarray(o, Math.min(bytes.length, o + 16));
    let hex = '';
    let text = '';
    for (let i = 0; i < 16; i++) {
      const b = row[i];
      hex += (b === undefined ? '  ' : b.toString(16).padStart(2, '0')) + (i === 7 ? '  ' : ' ');
      if (b !== undefined) text += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push(`${o.toString(16).padStart(4, '0')}  ${hex} ${text}`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}
