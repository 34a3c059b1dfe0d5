/** The TLS content heuristic, apart from the session so that the registry loads it alone. */

/** record content type of handshake messages */
const CT_HANDSHAKE = 22;

/** True when bytes start with a TLS record header carrying a handshake (the content heuristic). */
export function looksLikeTls(b: Uint8Array, off: number, end: number): boolean {
  if (end - off < 6) return false;
  const type = b[off]!;
  return (
    type === CT_HANDSHAKE && b[off + 1] === 3 && b[off + 2]! <= 4 && (b[off + 5] === 1 || b[off + 5] === 2)
  );
}
