import { analyzeFiles } from '../engine/analyze-files.js';
import { resolveCapture } from '../engine/capture-source.js';
import { PcaplensError } from '../shared/errors.js';
import type { FileRow } from '../shared/app-rows.js';
import { compileFilter } from '../shared/filter/index.js';
import type { Store } from '../store/store.js';

/**
 * Files carried in a stored capture, named for the API by where they start: "<flow_id>-<packet>", with
 * "-<k>" for the k-th (from 0, in table order) of several files starting in the same packet (MIME parts of
 * one mail). The bytes are not stored: the capture is read again through the same pipeline as the import
 * (flow ids and packet numbers agree) until that file has been seen whole, then the read stops.
 */
export interface FileId {
  flowId: number;
  packet: number;
  k: number;
}

/** Bytes kept for one file, and across transfers in flight while reading. */
const MAX_FILE_BYTES = 256 << 20;
const MAX_HELD_BYTES = 512 << 20;
/** rows of one flow's files looked at */
const MAX_FLOW_FILES = 10_000;

export function parseFileId(text: string): FileId {
  const m = /^(\d{1,15})-(\d{1,15})(?:-(\d{1,6}))?$/.exec(text);
  if (!m) throw new PcaplensError('E_NOT_FOUND', `no file ${JSON.stringify(text)}`);
  return { flowId: Number(m[1]), packet: Number(m[2]), k: Number(m[3] ?? 0) };
}

export function fileIdText(row: Pick<FileRow, 'flow_id' | 'packet'>, k: number): string {
  return `${row.flow_id}-${row.packet}${k > 0 ? `-${k}` : ''}`;
}

const sameRow = (a: object, b: object) => JSON.stringify(a) === JSON.stringify(b);

async function flowFiles(store: Store, captureId: number, flowId: number): Promise<FileRow[]> {
  const page = await store.page('files', {
    captureId,
    filter: compileFilter(`flow.id == ${flowId}`, 'files'),
    limit: MAX_FLOW_FILES,
  });
  return page.rows;
}

/**
 * Adds `file_id` to each row of a page of the files table. Rows sharing flow and packet are told apart by
 * their order in the table, which a sorted page may not follow: those flows are read in table order.
 */
export async function withFileIds(
  store: Store,
  captureId: number,
  rows: FileRow[],
): Promise<(FileRow & { file_id: string })[]> {
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(fileIdText(r, 0), (seen.get(fileIdText(r, 0)) ?? 0) + 1);
  const ordered = new Map<number, FileRow[]>();
  for (const r of rows) {
    if ((seen.get(fileIdText(r, 0)) ?? 0) > 1 && !ordered.has(r.flow_id))
      ordered.set(r.flow_id, await flowFiles(store, captureId, r.flow_id));
  }
  return rows.map((r) => {
    const all = ordered.get(r.flow_id);
    if (!all) return { ...r, file_id: fileIdText(r, 0) };
    const same = all.filter((x) => x.packet === r.packet);
    return {
      ...r,
      file_id: fileIdText(
        r,
        Math.max(
          0,
          same.findIndex((x) => sameRow(x, r)),
        ),
      ),
    };
  });
}

const FOUND = new Error('file found');

export async function extractFile(
  source: { store: Store; dataDir: string; captureId: number },
  id: FileId,
  signal?: AbortSignal,
): Promise<{ row: FileRow; content: Uint8Array }> {
  const rows = (await flowFiles(source.store, source.captureId, id.flowId)).filter(
    (r) => r.packet === id.packet,
  );
  const row = rows[id.k];
  const name = fileIdText({ flow_id: id.flowId, packet: id.packet }, id.k);
  if (!row) throw new PcaplensError('E_NOT_FOUND', `capture ${source.captureId} has no file ${name}`);
  const { paths } = await resolveCapture(source);
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let k = 0;
  let content: Uint8Array | null = null;
  try {
    await analyzeFiles(paths, {
      hosts: false,
      signal: stop.signal,
      onFlow: () => {},
      onRow: () => {},
      fileBytes: {
        maxFileBytes: MAX_FILE_BYTES,
        maxHeldBytes: MAX_HELD_BYTES,
        onFile: (r, bytes) => {
          if (content || r.flow_id !== id.flowId || r.packet !== id.packet) return;
          if (k++ !== id.k) return;
          content = bytes.slice();
          stop.abort(FOUND);
        },
      },
    });
  } catch (e) {
    if (stop.signal.reason !== FOUND) throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (!content)
    throw new PcaplensError('E_NOT_FOUND', `the bytes of file ${name} were not kept by the reading`);
  return { row, content };
}
