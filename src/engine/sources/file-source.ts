import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { PcaplensError } from '../../shared/errors.js';
import type { ByteSource } from '../../wire/source.js';
import { openGzipSource } from './gzip-source.js';

/** A plain file read with positional reads straight into the caller's buffer (no intermediate copy). */
export class FileSource implements ByteSource {
  readonly compressed = false;
  /** the chunk buffer reads the next chunk ahead (fh.read runs in libuv's thread pool); off for many files at once */
  readsAhead = true;
  consumed = 0;
  private closed = false;

  constructor(
    readonly name: string,
    readonly size: number,
    private readonly fh: FileHandle,
    /** regular files are read by position; pipes and devices in sequence */
    private readonly positional = true,
  ) {}

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    if (this.closed || length <= 0) return 0;
    const { bytesRead } = await this.fh.read(into, offset, length, this.positional ? this.consumed : null);
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
