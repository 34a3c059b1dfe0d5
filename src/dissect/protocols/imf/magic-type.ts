/**
 * The media type of content by its first bytes, for files whose declared type (a mail part's Content-Type)
 * is whatever the sender wrote. Only signatures that cannot be mistaken for text are listed; anything else
 * gives null and the declared type stands.
 */

/** Leading bytes needed to decide. */
export const MAGIC_LEN = 16;

const SIGNATURES: [number[], string][] = [
  [[0x25, 0x50, 0x44, 0x46, 0x2d], 'application/pdf'],
  [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg'],
  [[0x47, 0x49, 0x46, 0x38], 'image/gif'],
  [[0x50, 0x4b, 0x03, 0x04], 'application/zip'],
  [[0x50, 0x4b, 0x05, 0x06], 'application/zip'],
  [[0x1f, 0x8b], 'application/gzip'],
  [[0x42, 0x5a, 0x68], 'application/x-bzip2'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'application/x-xz'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'application/x-7z-compressed'],
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], 'application/vnd.rar'],
  // OLE2 compound file: .doc, .xls, .ppt, .msi
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'application/x-ole-storage'],
  [[0x4d, 0x5a], 'application/x-dosexec'],
  [[0x7f, 0x45, 0x4c, 0x46], 'application/x-executable'],
  [[0xca, 0xfe, 0xba, 0xbe], 'application/java-vm'],
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], 'application/rtf'],
  [[0x49, 0x49, 0x2a, 0x00], 'image/tiff'],
  [[0x4d, 0x4d, 0x00, 0x2a], 'image/tiff'],
  [[0x4f, 0x67, 0x67, 0x53], 'application/ogg'],
];

function startsWith(b: Uint8Array, len: number, sig: number[]): boolean {
  if (len < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[i] !== sig[i]) return false;
  return true;
}

/** Media type of b[0, len) by signature, or null when none matches. */
export function magicType(b: Uint8Array, len = b.length): string | null {
  const n = Math.min(len, b.length);
  for (const [sig, type] of SIGNATURES) if (startsWith(b, n, sig)) return type;
  // RIFF containers: WEBP, WAVE, AVI
  if (n >= 12 && startsWith(b, n, [0x52, 0x49, 0x46, 0x46])) {
    const kind = String.fromCharCode(b[8]!, b[9]!, b[10]!, b[11]!);
    if (kind === 'WEBP') return 'image/webp';
    if (kind === 'WAVE') return 'audio/wav';
    if (kind === 'AVI ') return 'video/x-msvideo';
  }
  // two-letter signatures that text can also start with: the fixed fields after them must agree
  if (n >= 14 && b[0] === 0x42 && b[1] === 0x4d && (b[6]! | b[7]! | b[8]! | b[9]!) === 0) return 'image/bmp';
  if (n >= 10 && b[0] === 0x49 && b[1] === 0x44 && b[2] === 0x33 && b[3]! < 5 && b[4]! < 0x10)
    return 'audio/mpeg';
  return null;
}
