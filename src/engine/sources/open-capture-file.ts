/**
 * Opens one capture file of several read together (merged in time order). Each input keeps its own chunk
 * buffer for the whole run. A regular file is read synchronously in CACHE_HOT_CHUNK pieces (FileSource: each
 * is parsed while it is still in this core's cache). A pipe or device is read through the thread pool: up to
 * READ_AHEAD_MAX_FILES of them, a 4 MiB chunk read ahead into a spare one (ChunkBuffer.readAhead: 8 MiB a
 * file); past it, one 1 MiB buffer a file without read-ahead. The 256 files a run may merge cost 256 MiB at most.
 */
import { openCapture } from '../../wire/open.js';
import type { CaptureReader } from '../../wire/reader.js';
import type { ByteSource } from '../../wire/source.js';
import { FileSource, openFileSource } from './file-source.js';

export const READ_AHEAD_MAX_FILES = 8;
const MANY_FILES_CHUNK = 1024 * 1024;
/**
 * chunk of a regular file: well within a core's L2 cache (1 MiB on the bench machine, beside a shared 32 MiB L3);
 * `flows` on the bench capture took 1.35-1.42 s with 128 KiB, 1.31-1.41 s with 256 KiB and 1.40-1.43 s with 1 MiB
 * synchronous chunks
 */
export const CACHE_HOT_CHUNK = 256 * 1024;

export async function openCaptureFile(
  path: string,
  together: number,
): Promise<{ source: ByteSource; reader: CaptureReader }> {
  const source = await openFileSource(path);
  const many = together > READ_AHEAD_MAX_FILES;
  const hot = source instanceof FileSource && !source.readsAhead;
  if (many && source instanceof FileSource) source.readsAhead = false;
  const chunkSize = hot ? CACHE_HOT_CHUNK : many ? MANY_FILES_CHUNK : undefined;
  try {
    return { source, reader: await openCapture(source, chunkSize === undefined ? {} : { chunkSize }) };
  } catch (e) {
    await source.close().catch(() => undefined);
    throw e;
  }
}
