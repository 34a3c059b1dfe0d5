import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { PcaplensError } from '../shared/errors.js';
import { processAlive } from '../store/capture-files.js';
import { withStatus } from './http-error.js';
import { SNIFF_BYTES, sniffBytes } from './sniff.js';

/**
 * Multipart upload straight to disk: each file part is piped to its own file under
 * <dataDir>/uploads/<pid>-<uuid>/ (never held whole in memory). Its first bytes are sniffed as they arrive,
 * so a file that is not a capture is refused before it is written out. A part over the size limit, a file
 * that is not a capture, a disk error or a client sending too slowly removes everything this request wrote.
 */
export interface UploadedFile {
  /** the client's file name, reduced to a safe base name */
  name: string;
  path: string;
  size: number;
}

export interface Upload {
  dir: string;
  files: UploadedFile[];
  /** text fields of the form (e.g. name, merge) */
  fields: Record<string, string>;
}

/** A client must send at least `bytes` in every `windowMs` while its upload is open, or it is cut. */
export interface MinUploadRate {
  bytes: number;
  windowMs: number;
}

export const DEFAULT_MIN_UPLOAD_RATE: MinUploadRate = { bytes: 16 * 1024, windowMs: 30_000 };

/** Base name only, no control or path characters, bounded length; never empty. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[^\p{L}\p{N}._ ()+-]/gu, '_')
    .replace(/^\.+/, '')
    .slice(0, 120);
  return clean || 'capture';
}

/** Holds the first SNIFF_BYTES of a part, judges them, then lets everything through. */
function captureGate(name: string): Transform {
  const head: Buffer[] = [];
  let have = 0;
  let open = false;
  const judge = (t: Transform): Error | null => {
    const buf = Buffer.concat(head);
    head.length = 0;
    if (!sniffBytes(buf.subarray(0, SNIFF_BYTES)))
      return new PcaplensError('E_NOT_CAPTURE', `${name}: not a pcap or pcapng capture (nor gzip of one)`);
    open = true;
    t.push(buf);
    return null;
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (open) return cb(null, chunk);
      head.push(chunk);
      have += chunk.length;
      cb(have >= SNIFF_BYTES ? judge(this) : null);
    },
    flush(cb) {
      cb(open ? null : judge(this));
    },
  });
}

/** A failure writing the upload to disk (ENOSPC, EIO, ...) says so, with the system's words. */
function diskError(name: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (!code || !/^E[A-Z]+$/.test(code) || (e as { syscall?: unknown }).syscall === undefined) return e;
  return new PcaplensError('E_IO', `${name}: could not store the upload: ${(e as Error).message}`, {
    cause: e,
  });
}

export async function receiveUpload(
  req: FastifyRequest,
  uploadsDir: string,
  maxFiles: number,
  minRate: MinUploadRate | null = DEFAULT_MIN_UPLOAD_RATE,
): Promise<Upload> {
  if (!req.isMultipart()) throw new PcaplensError('E_USAGE', 'send the captures as multipart/form-data');
  // the pid lets a restarted server tell the leftovers of a crashed one from a live server's uploads
  const dir = join(uploadsDir, `${process.pid}-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  const files: UploadedFile[] = [];
  const fields: Record<string, string> = {};
  // a client that trickles bytes would hold a connection and a half-written file for as long as it likes
  let received = 0;
  let slow: PcaplensError | null = null;
  let current: Readable | null = null;
  const count = (c: Buffer) => (received += c.length);
  req.raw.on('data', count);
  const watch = minRate
    ? setInterval(() => {
        if (received < minRate.bytes) {
          slow = withStatus(
            new PcaplensError(
              'E_LIMIT',
              `upload cut: less than ${minRate.bytes} bytes in ${minRate.windowMs / 1000} s`,
            ),
            408,
          );
          if (current) current.destroy(slow);
          else req.raw.destroy(slow);
        }
        received = 0;
      }, minRate.windowMs)
    : null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && Object.keys(fields).length < 16)
          fields[part.fieldname] = part.value.slice(0, 256);
        continue;
      }
      if (files.length >= maxFiles)
        throw new PcaplensError('E_LIMIT', `at most ${maxFiles} files per upload`);
      let name = safeFileName(part.filename);
      if (files.some((f) => f.name === name)) name = `${files.length + 1}-${name}`;
      const path = join(dir, name);
      let size = 0;
      part.file.on('data', (c: Buffer) => (size += c.length));
      current = part.file;
      try {
        await pipeline(part.file, captureGate(name), createWriteStream(path, { flags: 'wx' }));
      } catch (e) {
        throw diskError(name, e);
      }
      current = null;
      if (part.file.truncated) throw new PcaplensError('E_LIMIT', `${name}: larger than the upload limit`);
      files.push({ name, path, size });
    }
    if (files.length === 0) throw new PcaplensError('E_USAGE', 'no file in the upload');
    return { dir, files, fields };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw slow ?? e;
  } finally {
    if (watch) clearInterval(watch);
    req.raw.off('data', count);
  }
}

/**
 * Removes what crashed servers left in the uploads directory: directories of processes that no longer run
 * (and of this pid, which has written nothing yet when called at start-up, but may be a reused one).
 * Returns the names removed.
 */
export async function sweepStaleUploads(uploadsDir: string): Promise<string[]> {
  const names = await readdir(uploadsDir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1] ?? NaN);
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) continue;
    await rm(join(uploadsDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
