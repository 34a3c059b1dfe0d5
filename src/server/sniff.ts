import { open } from 'node:fs/promises';
import { constants, gunzipSync } from 'node:zlib';

/**
 * Is this file a capture? Looks at the magic number: pcap (four byte orders/resolutions), pcapng (the Section
 * Header Block type), or gzip around either (the first kilobytes are inflated to see the inner magic).
 */
export type SniffResult = 'pcap' | 'pcapng' | 'pcap+gzip' | 'pcapng+gzip' | null;

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);
const PCAPNG_SHB = 0x0a0d0d0a;
const HEAD = 64 * 1024;
/** How many leading bytes sniffBytes decides on (an upload is judged once it has this many, or ended). */
export const SNIFF_BYTES = HEAD;

function plainKind(b: Uint8Array): 'pcap' | 'pcapng' | null {
  if (b.length < 4) return null;
  const v = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  if (PCAP_MAGICS.has(v)) return 'pcap';
  if (v === PCAPNG_SHB) return 'pcapng';
  return null;
}

export function sniffBytes(head: Uint8Array): SniffResult {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    let inner: Uint8Array;
    try {
      // partial input: SYNC_FLUSH gives what the head inflates to instead of failing on the missing tail
      inner = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: HEAD });
    } catch {
      return null;
    }
    const k = plainKind(inner);
    return k ? `${k}+gzip` : null;
  }
  return plainKind(head);
}

export async function sniffFile(path: string): Promise<SniffResult> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEAD);
    const { bytesRead } = await fh.read(buf, 0, HEAD, 0);
    return sniffBytes(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
