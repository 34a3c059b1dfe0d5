/** Hex dump rows of a frame: 16 bytes a row, with the printable ASCII beside them. */
export interface HexRow {
  offset: number;
  bytes: number[];
}

export function hexToBytes(hex: string): Uint8Array {
  const n = hex.length >>> 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16) || 0;
  return out;
}

export function hexRows(b: Uint8Array, width = 16): HexRow[] {
  const rows: HexRow[] = [];
  for (let off = 0; off < b.length; off += width)
    rows.push({ offset: off, bytes: [...b.subarray(off, off + width)] });
  return rows;
}

export const hex2 = (v: number) => v.toString(16).padStart(2, '0');
export const offsetText = (v: number) => v.toString(16).padStart(4, '0');
/** A byte as one visible character: printable ASCII as itself, anything else a dot. */
export const printable = (v: number) => (v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : '.');

/** Stream text: printable ASCII and line breaks kept, tabs kept, every other byte a dot. */
export function asciiText(b: Uint8Array): string {
  let s = '';
  for (const v of b) s += v === 0x0a || v === 0x09 ? String.fromCharCode(v) : v === 0x0d ? '' : printable(v);
  return s;
}

/** Classic hex dump text of a stream chunk ("0000  47 45 54 20 ...  GET ..."). */
export function hexDump(b: Uint8Array): string {
  return hexRows(b)
    .map((r) => {
      const hex = r.bytes
        .map(hex2)
        .join(' ')
        .padEnd(16 * 3 - 1, ' ');
      return `${offsetText(r.offset)}  ${hex}  ${r.bytes.map(printable).join('')}`;
    })
    .join('\n');
}

export function base64Bytes(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
