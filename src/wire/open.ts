import { PcaplensError } from '../shared/errors.js';
import { ChunkBuffer, DEFAULT_CHUNK_SIZE } from './chunk-buffer.js';
import { HARD_MAX_RECORD } from './link-types.js';
import { PCAP_HEADER_LEN, PcapReader, parsePcapHeader, pcapMagic } from './pcap.js';
import { PcapngReader } from './pcapng.js';
import type { CaptureReader } from './reader.js';
import type { ByteSource } from './source.js';

export interface OpenOptions {
  /** size of the reusable input buffer (default 4 MiB, or the file's size when smaller); it grows only for a record larger than itself */
  chunkSize?: number;
}

function hex4(b: Uint8Array, o: number, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(4, n); i++) parts.push(b[o + i]!.toString(16).padStart(2, '0'));
  return parts.join(' ');
}

function isPcapngShb(b: Uint8Array, o: number): boolean {
  return b[o] === 0x0a && b[o + 1] === 0x0d && b[o + 2] === 0x0d && b[o + 3] === 0x0a;
}

/**
 * Opens a capture by its content (a file name's extension is never trusted: many ".pcap" files are pcapng).
 * Throws PcaplensError E_NOT_CAPTURE for anything that is neither pcap nor pcapng (empty input included), and
 * E_TRUNCATED when the input ends inside the file header. Once open, bad bytes become `reader.problems`.
 * A failed open closes the source.
 */
export async function openCapture(source: ByteSource, opts: OpenOptions = {}): Promise<CaptureReader> {
  const cb = new ChunkBuffer(source, opts.chunkSize ?? DEFAULT_CHUNK_SIZE, HARD_MAX_RECORD);
  const name = source.name;
  try {
    await cb.ensure(4);
    // A source that fails before the magic is readable fails the open; a later failure becomes a problem.
    if (cb.error && cb.avail < 4) throw new PcaplensError(cb.error.code, cb.error.message);
    const b = cb.buf;
    if (cb.avail < 4 || (!pcapMagic(b, cb.start) && !isPcapngShb(b, cb.start))) {
      const what = cb.avail === 0 ? 'is empty' : `starts with ${hex4(b, cb.start, cb.avail)}`;
      throw new PcaplensError('E_NOT_CAPTURE', `${name}: not a pcap or pcapng file (${what})`);
    }
    if (pcapMagic(b, cb.start)) {
      if (!(await cb.ensure(PCAP_HEADER_LEN))) {
        throw new PcaplensError(
          'E_TRUNCATED',
          `${name}: file ends inside the pcap file header (${cb.avail} of 24 bytes)`,
        );
      }
      const header = parsePcapHeader(cb, name);
      cb.start += PCAP_HEADER_LEN;
      cb.need = 0;
      return new PcapReader(cb, name, header);
    }
    // pcapng: the byte-order magic must be there to tell a section header from chance bytes.
    if (!(await cb.ensure(12))) {
      throw new PcaplensError(
        'E_TRUNCATED',
        `${name}: file ends inside the pcapng section header (${cb.avail} of 12 bytes)`,
      );
    }
    const bom = cb.view.getUint32(cb.start + 8, true);
    if (bom !== 0x1a2b3c4d && bom !== 0x4d3c2b1a) {
      throw new PcaplensError(
        'E_NOT_CAPTURE',
        `${name}: not a pcap or pcapng file (pcapng section header without a byte-order magic)`,
      );
    }
    cb.need = 0;
    return new PcapngReader(cb, name);
  } catch (e) {
    await source.close().catch(() => undefined);
    throw e;
  }
}
