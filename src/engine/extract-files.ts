/**
 * Writes transferred files (HTTP bodies, FTP data) out of a capture into one directory. Names come from the
 * capture, so they are hostile: each is reduced to a plain, portable base name, checked to resolve inside the
 * directory, and never replaces an existing file (a numbered suffix is added instead). An index (files.json)
 * lists what was written with the file's row, size and SHA-256 of the written bytes.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PcaplensError } from '../shared/errors.js';
import type { FileRow } from '../shared/app-rows.js';

/** Longest name written, in UTF-16 units (most file systems allow 255 bytes; UTF-8 may take 3 per unit). */
const MAX_NAME = 80;
const MAX_EXT = 12;
/** numbered variants tried before giving up on a name */
const MAX_SUFFIX = 100_000;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;
// control characters (C0, DEL, C1), characters Windows refuses, and the bidirectional/invisible formatting
// marks that make a name display as something else (U+202E "right-to-left override" turns exe.txt around)
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

/**
 * A safe base name for a name taken from a capture: the last path segment, unsafe characters replaced by
 * "_", no leading dots (no "..", no hidden files), no trailing dots or spaces, no reserved Windows device
 * name, at most MAX_NAME characters with the extension kept. Empty results become `fallback`.
 */
export function safeFileName(raw: string | null | undefined, fallback: string): string {
  let s = (raw ?? '').normalize('NFC');
  s = s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
  // lone surrogates cannot be written as UTF-8
  s = s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '_');
  s = s.replace(UNSAFE, '_');
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (s === '' || /^_*$/.test(s)) s = fallback;
  if (WINDOWS_RESERVED.test(s)) s = '_' + s;
  if (s.length > MAX_NAME) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= MAX_EXT ? s.slice(dot) : '';
    s = s.slice(0, MAX_NAME - ext.length) + ext;
    // a cut inside a surrogate pair leaves half of it
    s = s.replace(/[\ud800-\udbff](?![\udc00-\udfff])/g, '_');
  }
  return s;
}

/** Extensions for names that have none, so the written file opens with the right program. */
const EXTENSIONS: Record<string, string> = {
  'text/html': '.html',
  'text/plain': '.txt',
  'text/css': '.css',
  'text/xml': '.xml',
  'application/xml': '.xml',
  'application/json': '.json',
  'text/javascript': '.js',
  'application/javascript': '.js',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/svg+xml': '.svg',
  'application/pdf': '.pdf',
  'application/zip': '.zip',
  'application/gzip': '.gz',
  'message/rfc822': '.eml',
};

function withExtension(name: string, contentType: string | null): string {
  if (/\.[A-Za-z0-9]{1,8}$/.test(name)) return name;
  const ext = EXTENSIONS[(contentType ?? '').split(';')[0]!.trim().toLowerCase()];
  return ext ? name + ext : name;
}

/** `name` with `-n` before its extension. */
function numbered(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${n}${name.slice(dot)}` : `${name}-${n}`;
}

/** One index entry: where the bytes went, what they are, and the row they came from. */
export interface ExtractedFile {
  /** file name inside the directory */
  file: string;
  /** bytes written */
  size: number;
  /** SHA-256 of the bytes written */
  sha256: string;
  /** fewer bytes were written than the transfer carried (size cap or memory budget) */
  truncated: boolean;
  row: FileRow;
}

export class FileExtractor {
  readonly written: ExtractedFile[] = [];
  private readonly dir: string;
  private readonly index: { fd: number; name: string };

  /**
   * Creates the directory when missing. An existing directory with entries is refused unless `force`
   * (files are still never replaced).
   */
  constructor(dir: string, force = false) {
    this.dir = resolve(dir);
    mkdirSync(this.dir, { recursive: true });
    if (!force && readdirSync(this.dir).length > 0)
      throw new PcaplensError('E_EXISTS', `${dir} is not empty (--force writes beside what is there)`);
    // taken first, so a file from the capture named files.json cannot push the index aside
    this.index = this.create('files.json');
  }

  /** A new file in the directory named after `name`, opened exclusively (never an existing one). */
  private create(name: string): { fd: number; name: string } {
    for (let n = 0; n < MAX_SUFFIX; n++) {
      const candidate = n === 0 ? name : numbered(name, n);
      const full = resolve(this.dir, candidate);
      // safeFileName leaves no separator; checked again because this is where a path is made
      if (dirname(full) !== this.dir) throw new PcaplensError('E_IO', `unsafe file name ${candidate}`);
      try {
        return { fd: openSync(full, 'wx', 0o644), name: candidate };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    throw new PcaplensError('E_LIMIT', `too many files named ${name}`);
  }

  /** Writes one file's bytes (as kept by the run, possibly cut) under a name derived from its row. */
  write(row: FileRow, content: Uint8Array): ExtractedFile {
    const fallback = `${row.proto}-flow${row.flow_id}-packet${row.packet}-${row.direction}`;
    const { fd, name } = this.create(withExtension(safeFileName(row.name, fallback), row.content_type));
    try {
      for (let off = 0; off < content.length;) off += writeSync(fd, content, off, content.length - off);
    } finally {
      closeSync(fd);
    }
    const entry: ExtractedFile = {
      file: name,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      truncated: content.length < row.size,
      row,
    };
    this.written.push(entry);
    return entry;
  }

  /** Writes the index (files.json, or files-N.json beside an earlier one); returns its path. */
  finish(): string {
    const { fd, name } = this.index;
    try {
      writeSync(fd, JSON.stringify(this.written, null, 2) + '\n');
    } finally {
      closeSync(fd);
    }
    return join(this.dir, name);
  }
}
