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
async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
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

/**
 * Copies srcPath into the data directory, hashes the copy, then renames it into place: a reader never sees a
 * partial file, and a file already stored under the same digest is kept as it is. A regular file is copied by
 * the kernel (a copy-on-write clone where the file system has them, else copy_file_range/sendfile: no pass
 * through JavaScript buffers), and the digest is of the copy itself, so it names what was kept even if the
 * source changes meanwhile; anything else (a pipe) is streamed through the hash.
 */
export async function storeCaptureFile(
  dataDir: string,
  srcPath: string,
): Promise<{ sha256: string; path: string; size: number }> {
  const dir = join(dataDir, CAPTURES_DIR);
  await mkdir(dir, { recursive: true });
  // an import killed while copying (CLI or server) left its partial copy; this is the next chance to clear it
  await sweepStaleCopies(dataDir, false);
  const tmp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    const src = await stat(srcPath);
    let got: { sha256: string; size: number };
    if (src.isFile()) {
      await copyFile(srcPath, tmp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      got = await hashFile(tmp);
    } else got = await copyHashing(srcPath, tmp);
    const { sha256, size } = got;
    const path = join(dir, sha256);
    const existing = await stat(path).catch(() => null);
    if (existing?.isFile() && existing.size === size) await rm(tmp, { force: true });
    else await rename(tmp, path);
    return { sha256, path, size };
  } catch (e) {
    await rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new PcaplensError(
      code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO',
      `${srcPath}: ${(e as Error).message}`,
      { cause: e },
    );
  }
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
