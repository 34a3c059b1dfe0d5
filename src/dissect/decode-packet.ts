import type { Packet } from './dissector.js';
import { dispatchLink } from './tables.js';
import { registerProtocols } from './registry.js';

registerProtocols();

/**
 * Decodes one frame into `p` (reset first). Returns false when the link type has no decoder (the frame is
 * then counted as "other"). Never throws on any bytes.
 */
export function decodeFrame(
  p: Packet,
  linkType: number,
  buf: Uint8Array,
  off: number,
  caplen: number,
  len: number,
): boolean {
  p.reset(buf, off, caplen, len, linkType);
  return dispatchLink(p, linkType, buf, off, off + caplen);
}
