import { readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { PcaplensError } from '../../shared/errors.js';
import type { ByteSource } from '../../wire/source.js';
import { openGzipSource } from './gzip-source.js';

/** bytes read synchronously between two turns of the event loop (as often as a 4 MiB read-ahead gave one) */
const TURN_BYTES = 4 << 20;

/**
 * A plain file read straight into the caller's buffer (no intermediate copy). A regular file is read by
 * position, synchronously, on the thread that decodes it: the kernel's copy leaves the chunk in this core's
 * cache, where the reader finds it (open-capture-file.ts keeps those chunks small for that). A chunk read ahead
 * on libuv's thread pool lands in another core's cache instead: on the 1 GiB bench capture `flows` took
 * 1.43-1.52 s with 4 MiB chunks read ahead and 1.35-1.41 s with 256 KiB synchronous ones (2.31 -> 2.06 s of
 * CPU, six interleaved pairs). The kernel's own read-ahead keeps a sequential read of a cold file going.
 * Pipes and devices are read in sequence through the thread pool, with the chunk buffer's read-ahead (a
 * synchronous read there could wait for the writer with the whole thread stopped).
 */
export class FileSource implements ByteSource {
  readonly compressed = false;
  /** the chunk buffer reads the next chunk ahead (pipes and devices; off for many files at once) */
  readsAhead: boolean;
  consumed = 0;
  private closed = false;
  /** bytes read synchronously since the event loop last had a turn */
  private sinceTurn = 0;

  constructor(
    readonly name: string,
    readonly size: number,
    private readonly fh: FileHandle,
    /** regular files are read by position, synchronously; pipes and devices in sequence, asynchronously */
    private readonly positional = true,
    /** the first byte read (openFileAt); `consumed` counts from the file's start either way */
    start = 0,
  ) {
    this.readsAhead = !positional;
    this.consumed = start;
  }

  read(into: Uint8Array, offset: number, length: number): Promise<number> {
    // never past the end of `into`: a caller asking for more gets what fits
    const len = Math.min(length, into.length - offset);
    if (this.closed || len <= 0) return Promise.resolve(0);
    if (!this.positional) return this.readInSequence(into, offset, len);
    try {
      const n = readSync(this.fh.fd, into, offset, len, this.consumed);
      this.consumed += n;
      // the decoding loop awaits every read, and one that never waits would keep timers, signals and messages
      // (progress, Ctrl-C, a server's other requests) out for the whole run: they get a turn every TURN_BYTES
      if ((this.sinceTurn += n) < TURN_BYTES) return Promise.resolve(n);
      this.sinceTurn = 0;
      return new Promise((resolve) => setImmediate(resolve, n));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private async readInSequence(into: Uint8Array, offset: number, length: number): Promise<number> {
    const { bytesRead } = await this.fh.read(into, offset, length, null);
    this.consumed += bytesRead;
    return bytesRead;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}

function ioError(path: string, e: unknown): PcaplensError {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new PcaplensError('E_NOT_FOUND', `${path}: no such file`, { cause: e });
  const why = e instanceof Error ? e.message : String(e);
  return new PcaplensError('E_IO', `${path}: cannot read (${why})`, { cause: e });
}

/**
 * A regular file read by position from `start` (the second part of a byte-range split, parallel/range-part.ts,
 * reads from its cut), as it is: no gzip detection. Progress and offsets stay the file's.
 */
export async function openFileAt(path: string, size: number, start: number): Promise<FileSource> {
  try {
    return new FileSource(path, size, await open(path, 'r'), true, start);
  } catch (e) {
    throw ioError(path, e);
  }
}

/**
 * Opens a capture file for streaming. A gzip file (magic 1f 8b) is decompressed on the fly: the source then
 * reports `compressed: true`, and `size`/`consumed` count compressed bytes (for progress).
 * A pipe or device is read in sequence with size -1 (no gzip detection there: it cannot be peeked).
 * Throws E_NOT_FOUND for a missing file, E_IO for a directory or an unreadable file.
 */
export async function openFileSource(path: string): Promise<ByteSource> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw ioError(path, e);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new PcaplensError('E_IO', `${path}: is a directory, not a capture file`);
    if (!st.isFile()) return new FileSource(path, -1, fh, false);
    const head = new Uint8Array(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    if (bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b) return openGzipSource(path, fh, st.size);
    return new FileSource(path, st.size, fh);
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw e instanceof PcaplensError ? e : ioError(path, e);
  }
}
