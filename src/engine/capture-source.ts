/**
 * What the engine's re-reading parts (packet list, packet detail, export) work on: capture files given
 * directly, or a stored capture whose original files are kept in the data directory. Resolves either to the
 * list of files to read, in file_index order, and opens them merged in time order exactly as the import did,
 * so frame numbers agree with the stored packet index.
 */
import { access } from 'node:fs/promises';
import { PcaplensError } from '../shared/errors.js';
import type { CaptureRow } from '../shared/store-rows.js';
import type { Store } from '../store/store.js';
import { capturePath } from '../store/capture-files.js';
import { mergeReaders } from '../wire/merge.js';
import type { CaptureReader } from '../wire/reader.js';
import type { ByteSource } from '../wire/source.js';
import { MAX_FILES } from './analyze-files.js';
import { openCaptureFile } from './sources/open-capture-file.js';

export type CaptureSource = { paths: string[] } | { store: Store; dataDir: string; captureId: number };

export interface ResolvedCapture {
  /** files to read, by file_index */
  paths: string[];
  /** the stored capture, or null for files given directly */
  capture: CaptureRow | null;
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

export function isStoredSource(s: CaptureSource): s is { store: Store; dataDir: string; captureId: number } {
  return 'store' in s;
}

export async function getStoredCapture(store: Store, captureId: number): Promise<CaptureRow> {
  const capture = await store.getCapture(captureId);
  if (!capture) throw new PcaplensError('E_NOT_FOUND', `no stored capture with id ${captureId}`);
  return capture;
}

export async function resolveCapture(source: CaptureSource): Promise<ResolvedCapture> {
  if (!isStoredSource(source)) {
    if (source.paths.length === 0) throw new PcaplensError('E_USAGE', 'no capture file given');
    return { paths: source.paths, capture: null };
  }
  const { store, dataDir, captureId } = source;
  const capture = await getStoredCapture(store, captureId);
  const files = await store.captureFiles(captureId);
  // captures stored before their files were listed are single files named by their digest
  const wanted = files.length
    ? files.map((f) => ({ sha256: f.sha256, path: f.path }))
    : [{ sha256: capture.sha256, path: null }];
  const paths: string[] = [];
  for (const f of wanted) {
    // the data directory as given now wins: it may have been moved since the import
    const here = capturePath(dataDir, f.sha256);
    if (await exists(here)) paths.push(here);
    else if (f.path && (await exists(f.path))) paths.push(f.path);
    else {
      throw new PcaplensError(
        'E_NOT_FOUND',
        `capture ${captureId}: its kept file ${f.sha256.slice(0, 12)}… is missing from ${dataDir}`,
      );
    }
  }
  return { paths, capture };
}

/** Input files opened together: `reader` yields records merged in time order, `rec.fileIndex` says whose. */
export interface OpenedInputs {
  reader: CaptureReader;
  readers: CaptureReader[];
  close(): Promise<void>;
}

/** Opens every file (all must open: a stored capture's files did) and merges them as analyzeFiles does. */
export async function openInputs(paths: string[]): Promise<OpenedInputs> {
  if (paths.length > MAX_FILES) {
    throw new PcaplensError(
      'E_LIMIT',
      `${paths.length} capture files given; at most ${MAX_FILES} are read together`,
    );
  }
  const readers: CaptureReader[] = [];
  const sources: ByteSource[] = [];
  const close = async () => {
    for (const r of readers) await r.close().catch(() => undefined);
    for (const s of sources) await s.close().catch(() => undefined);
  };
  try {
    for (const p of paths) {
      const { source, reader } = await openCaptureFile(p, paths.length);
      sources.push(source);
      readers.push(reader);
    }
  } catch (e) {
    await close();
    throw e;
  }
  const reader = readers.length === 1 ? readers[0]! : mergeReaders(readers);
  return { reader, readers, close };
}
