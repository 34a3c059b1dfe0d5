/** Annotated hex fixtures: "45 00  # ver/ihl, tos" -> bytes ("#" starts a comment). Test support only. */
import { Packet } from '../dissector.js';
import { decodeFrame } from '../decode-packet.js';

export function hex(text: string): Uint8Array {
  const clean = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (clean.length % 2) throw new Error('odd hex length');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Decodes bytes as one frame of the link type into a fresh Packet. */
export function decode(linkType: number, bytes: Uint8Array, wireLen = bytes.length): Packet {
  const p = new Packet();
  decodeFrame(p, linkType, bytes, 0, bytes.length, wireLen);
  return p;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
