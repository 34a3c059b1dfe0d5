import type { FileHandle } from 'node:fs/promises';
import type { ReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Gunzip } from 'node:zlib';
import { PcaplensError } from '../../shared/errors.js';
import type { ByteSource } from '../../wire/source.js';

const INFLATE_CHUNK = 256 * 1024;

/**
 * A gzip file decompressed as it is read (node:zlib, concatenated members included). The stream's own
 * back-pressure bounds memory: decompression runs only as fast as read() takes the output.
 */
export class GzipSource implements ByteSource {
  readonly compressed = true;
  private readonly file: ReadStream;
  private readonly gunzip: Gunzip;
  private readonly it: AsyncIterator<Buffer>;
  private pending: Buffer | null = null;
  private pendingOff = 0;
  private ended = false;
  private closed = false;

  constructor(
    readonly name: string,
    readonly size: number,
    private readonly fh: FileHandle,
  ) {
    this.file = fh.createReadStream({ start: 0, highWaterMark: INFLATE_CHUNK, autoClose: false });
    this.gunzip = createGunzip({ chunkSize: INFLATE_CHUNK });
    this.file.on('error', (e) => this.gunzip.destroy(e));
    this.file.pipe(this.gunzip);
    this.it = this.gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  get consumed(): number {
    return this.file.bytesRead;
  }

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    if (this.closed || length <= 0) return 0;
    while (this.pending === null) {
      if (this.ended) return 0;
      let r: IteratorResult<Buffer>;
      try {
        r = await this.it.next();
      } catch (e) {
        this.ended = true;
        throw this.wrap(e);
      }
      if (r.done) {
        this.ended = true;
        return 0;
      }
      if (r.value.length > 0) {
        this.pending = r.value;
        this.pendingOff = 0;
      }
    }
    const p = this.pending;
    const n = Math.min(length, p.length - this.pendingOff);
    into.set(p.subarray(this.pendingOff, this.pendingOff + n), offset);
    this.pendingOff += n;
    if (this.pendingOff >= p.length) this.pending = null;
    return n;
  }

  private wrap(e: unknown): PcaplensError {
    const code = (e as { code?: string } | null)?.code;
    const why = e instanceof Error ? e.message : String(e);
    // zlib says Z_BUF_ERROR ("unexpected end of file") when the compressed stream is cut short.
    if (code === 'Z_BUF_ERROR')
      return new PcaplensError('E_TRUNCATED', `${this.name}: gzip data ends early (${why})`, { cause: e });
    if (code === 'Z_DATA_ERROR')
      return new PcaplensError('E_NOT_CAPTURE', `${this.name}: corrupt gzip data (${why})`, { cause: e });
    return new PcaplensError('E_IO', `${this.name}: read failed (${why})`, { cause: e });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.file.unpipe(this.gunzip);
    this.gunzip.destroy();
    this.file.destroy();
    await this.fh.close();
  }
}

export function openGzipSource(name: string, fh: FileHandle, size: number): ByteSource {
  return new GzipSource(name, size, fh);
}
