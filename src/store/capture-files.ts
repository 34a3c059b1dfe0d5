import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { PcaplensError } from '../shared/errors.js';

/**
 * Capture files kept beside the database, content-addressed: DATA/captures/<sha256>. Packet bytes are read
 * back from there on demand (packet detail, follow stream, export), so the copy must be whole and exact.
 */
export const CAPTURES_DIR = 'captures';

/** Where a stored capture with this digest lives. */
export function capturePath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new PcaplensError('E_USAGE', `not a SHA-256: ${sha256}`);
  return join(dataDir, CAPTURES_DIR, sha256);
}

/** Bytes read per call when hashing a kept copy. */
const HASH_CHUNK = 4 << 20;

/** SHA-256 and size of a file, read through one reused buffer. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(HASH_CHUNK);
  const fh = await open(path, 'r');
  let size = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, HASH_CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      size += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return { sha256: hash.digest('hex'), size };
}

/** Copies a stream (a pipe, a device) while hashing it. */
async function copyHashing(srcPath: string, tmp: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      size += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(createReadStream(srcPath), tap, createWriteStream(tmp, { flags: 'wx' }));
  return { sha256: hash.digest('hex'), size };
}

/** A capture file copied into the data directory under a temporary name, not yet named by its digest. */
export interface CaptureCopy {
  tmp: string;
  size: number;
  /** the digest, when it was computed while copying (a pipe); else the caller hashes `tmp` (hashFile) */
  sha256: string | null;
}

/** A capture file kept in the data directory under its digest. */
export interface KeptCaptureFile {
  sha256: string;
  path: string;
  size: number;
}

function copyError(srcPath: string, e: unknown): PcaplensError {
  const code = (e as NodeJS.ErrnoException).code;
  return new PcaplensError(
    code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO',
    `${srcPath}: ${(e as Error).message}`,
    {
      cause: e,
    },
  );
}

/**
 * Copies srcPath into the data directory under a temporary name. A regular file is copied by the kernel (a
 * copy-on-write clone where the file system has them, else copy_file_range/sendfile: no pass through
 * JavaScript buffers) and hashed afterwards from the copy, so the digest names what was kept even if the
 * source changes meanwhile; anything else (a pipe) is streamed through the hash.
 */
export async function copyCaptureFile(dataDir: string, srcPath: string): Promise<CaptureCopy> {
  const dir = join(dataDir, CAPTURES_DIR);
  await mkdir(dir, { recursive: true });
  // an import killed while copying (CLI or server) left its partial copy; this is the next chance to clear it
  await sweepStaleCopies(dataDir, false);
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    const src = await stat(srcPath);
    if (src.isFile()) {
      await copyFile(srcPath, tmp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      return { tmp, size: (await stat(tmp)).size, sha256: null };
    }
    const got = await copyHashing(srcPath, tmp);
    return { tmp, size: got.size, sha256: got.sha256 };
  } catch (e) {
    await rm(tmp, { force: true });
    throw copyError(srcPath, e);
  }
}

/**
 * Names a copy by its digest (a rename: a reader never sees a partial file, and a reader that has the copy
 * open reads on); a file already stored under the same digest is kept as it is and the copy removed.
 */
export async function keepCaptureCopy(
  dataDir: string,
  copy: CaptureCopy,
  sha256: string,
): Promise<KeptCaptureFile> {
  const path = capturePath(dataDir, sha256);
  try {
    const existing = await stat(path).catch(() => null);
    if (existing?.isFile() && existing.size === copy.size) await rm(copy.tmp, { force: true });
    else await rename(copy.tmp, path);
  } catch (e) {
    await rm(copy.tmp, { force: true });
    throw copyError(path, e);
  }
  return { sha256, path, size: copy.size };
}

/** Removes a copy that will not be kept (the import failed, or the capture is stored already). */
export async function dropCaptureCopy(copy: CaptureCopy): Promise<void> {
  await rm(copy.tmp, { force: true });
}

/** Is there a process with this id (ours or another user's)? */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the partial copies (.tmp-<pid>-...) that processes killed while copying a capture in left behind;
 * a copy belonging to a process still running is kept, and so are this process's own unless `own` (at
 * start-up, when this process has copied nothing yet but may carry a dead one's reused pid). Returns the
 * names removed.
 */
export async function sweepStaleCopies(dataDir: string, own = true): Promise<string[]> {
  const dir = join(dataDir, CAPTURES_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = /^\.tmp-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid ? !own : processAlive(pid)) continue;
    await rm(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
