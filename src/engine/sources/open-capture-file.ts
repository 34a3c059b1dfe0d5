/**
 * Opens one capture file of several read together (merged in time order). Each input keeps its own chunk
 * buffer for the whole run, so the buffer size depends on how many there are: up to READ_AHEAD_MAX_FILES,
 * a 4 MiB chunk read ahead into a spare one (ChunkBuffer.readAhead: 8 MiB a file); past it, one 1 MiB buffer
 * a file without read-ahead, so the 256 files a run may merge cost 256 MiB at most.
 */
import { openCapture } from '../../wire/open.js';
import type { CaptureReader } from '../../wire/reader.js';
import type { ByteSource } from '../../wire/source.js';
import { FileSource, openFileSource } from './file-source.js';

export const READ_AHEAD_MAX_FILES = 8;
const MANY_FILES_CHUNK = 1024 * 1024;

export async function openCaptureFile(
  path: string,
  together: number,
): Promise<{ source: ByteSource; reader: CaptureReader }> {
  const source = await openFileSource(path);
  const many = together > READ_AHEAD_MAX_FILES;
  if (many && source instanceof FileSource) source.readsAhead = false;
  try {
    return { source, reader: await openCapture(source, many ? { chunkSize: MANY_FILES_CHUNK } : {}) };
  } catch (e) {
    await source.close().catch(() => undefined);
    throw e;
  }
}
