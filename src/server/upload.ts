import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { PcaplensError } from '../shared/errors.js';
import { sniffFile } from './sniff.js';

/**
 * Multipart upload straight to disk: each file part is piped to its own file under <dataDir>/uploads/<uuid>/
 * (never held whole in memory), then its magic number is checked. A part over the size limit or a file that
 * is not a capture removes everything this request wrote.
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

/** Base name only, no control or path characters, bounded length; never empty. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .replace(/[^\p{L}\p{N}._ ()+-]/gu, '_')
    .replace(/^\.+/, '')
    .slice(0, 120);
  return clean || 'capture';
}

export async function receiveUpload(
  req: FastifyRequest,
  uploadsDir: string,
  maxFiles: number,
): Promise<Upload> {
  if (!req.isMultipart()) throw new PcaplensError('E_USAGE', 'send the captures as multipart/form-data');
  const dir = join(uploadsDir, randomUUID());
  await mkdir(dir, { recursive: true });
  const files: UploadedFile[] = [];
  const fields: Record<string, string> = {};
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
      await pipeline(part.file, createWriteStream(path, { flags: 'wx' }));
      if (part.file.truncated) throw new PcaplensError('E_LIMIT', `${name}: larger than the upload limit`);
      files.push({ name, path, size });
    }
    if (files.length === 0) throw new PcaplensError('E_USAGE', 'no file in the upload');
    for (const f of files) {
      if (!(await sniffFile(f.path))) {
        throw new PcaplensError('E_NOT_CAPTURE', `${f.name}: not a pcap or pcapng capture (nor gzip of one)`);
      }
    }
    return { dir, files, fields };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
