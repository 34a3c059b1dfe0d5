/**
 * Writes the frames of a capture that match a filter and time window to a new pcap or pcapng file: the
 * selection comes from the packet index (stored captures) or one pass of the pipeline (files), then the
 * original files are read again and exactly the selected frames are copied with their link type, timestamp
 * (nanoseconds kept: pcap nanosecond magic or pcapng if_tsresol 9), captured bytes and original length.
 * Packet bytes are never held beyond the reader's chunk buffer.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PcaplensError } from '../shared/errors.js';
import { linkTypeName } from '../wire/link-types.js';
import { PcapWriter } from '../wire/pcap-writer.js';
import { PcapngWriter } from '../wire/pcapng-writer.js';
import { READ_END, READ_NEED_MORE, READ_RECORD } from '../wire/reader.js';
import { PacketRecord } from '../wire/record.js';
import type { Store } from '../store/store.js';
import { isStoredSource, openInputs, resolveCapture, type CaptureSource } from './capture-source.js';
import { compileFrameFilter, sessionTests, type SessionSet, type SessionTest } from './frame-filter.js';
import { walkFrames, type FrameQuery } from './frames.js';
import type { Progress } from './progress.js';

export type ExportFormat = 'pcap' | 'pcapng';

export interface ExportOptions extends FrameQuery {
  format: ExportFormat;
  signal?: AbortSignal;
  /** progress of the selection pass over files given directly */
  onProgress?: (p: Progress) => void;
}

export interface ExportResult {
  format: ExportFormat;
  /** frames written */
  packets: number;
  /** bytes written (the whole output file) */
  bytes: number;
  /** link types of the frames written */
  link_types: number[];
  /** timestamps were written with nanosecond resolution */
  nanosecond: boolean;
}

/** Sink of output bytes; awaited so a slow consumer (HTTP response, disk) paces the copy. */
export type ExportSink = (chunk: Uint8Array) => Promise<void>;

/** The output format a file name asks for: .pcapng (also .ntar) or .pcap (also .cap, .dmp); else null. */
export function formatForPath(path: string): ExportFormat | null {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'pcapng' || ext === 'ntar') return 'pcapng';
  if (ext === 'pcap' || ext === 'cap' || ext === 'dmp') return 'pcap';
  return null;
}

/** Frame numbers selected, as a bitmap over 1..max. */
class FrameSet {
  private bits = new Uint8Array(1024);
  count = 0;
  add(n: number): void {
    const i = n >>> 3;
    if (i >= this.bits.length) {
      const next = new Uint8Array(Math.max(i + 1, this.bits.length * 2));
      next.set(this.bits);
      this.bits = next;
    }
    if (!(this.bits[i]! & (1 << (n & 7)))) this.count++;
    this.bits[i]! |= 1 << (n & 7);
  }
  has(n: number): boolean {
    const i = n >>> 3;
    return i < this.bits.length && (this.bits[i]! & (1 << (n & 7))) !== 0;
  }
}

const LOOKUP_PAGE = 50_000;

/**
 * Looks up what each session test selects in a stored capture: the flow ids of the matching rows of an
 * application table, or the addresses of the matching hosts. Paged, so memory follows the matches.
 */
export async function resolveSessionTests(
  store: Store,
  captureId: number,
  tests: readonly SessionTest[],
  signal?: AbortSignal,
): Promise<Map<number, SessionSet>> {
  const out = new Map<number, SessionSet>();
  for (const t of tests) {
    const flowIds = new Set<number>();
    const addresses = new Set<string>();
    for (let offset = 0; ;) {
      signal?.throwIfAborted();
      const page = await store.page(t.table, { captureId, filter: t.filter, limit: LOOKUP_PAGE, offset });
      for (const r of page.rows as unknown as Record<string, unknown>[]) {
        if (t.table === 'hosts') {
          if (typeof r.ip === 'string') addresses.add(r.ip);
        } else if (typeof r.flow_id === 'number') flowIds.add(r.flow_id);
      }
      offset += page.rows.length;
      if (page.rows.length < LOOKUP_PAGE) break;
    }
    out.set(t.index, t.table === 'hosts' ? { addresses } : { flowIds });
  }
  return out;
}

/**
 * The frame numbers a query selects. A filter with session tests (dns.query_name, host.country, ...) is
 * resolved against the store first, then run in memory over every frame of the window with its flow.
 */
async function selectFrames(source: CaptureSource, opts: ExportOptions): Promise<FrameSet> {
  const selected = new FrameSet();
  const walk = { signal: opts.signal, onProgress: opts.onProgress };
  const tests = sessionTests(opts.filter);
  if (tests.length && isStoredSource(source)) {
    const sets = await resolveSessionTests(source.store, source.captureId, tests, opts.signal);
    const ff = compileFrameFilter(opts.filter, sets);
    await walkFrames(
      source,
      { from: opts.from, to: opts.to },
      (p, flow) => void (ff.test(p, flow) && selected.add(p.n)),
      { ...walk, withFlows: true },
    );
  } else {
    await walkFrames(source, opts, (p) => void selected.add(p.n), walk);
  }
  return selected;
}

/**
 * Streams the selected frames as a pcap/pcapng file to `sink`. A pcap selection holding frames of two link
 * types fails with E_USAGE (the output written so far is then incomplete: file outputs go through a
 * temporary file, see exportToFile; an HTTP caller should ask for pcapng when the capture has several).
 */
export async function exportFrames(
  source: CaptureSource,
  opts: ExportOptions,
  sink: ExportSink,
): Promise<ExportResult> {
  const selected = await selectFrames(source, opts);
  const { paths } = await resolveCapture(source);
  const inputs = await openInputs(paths);
  const queue: Uint8Array[] = [];
  const push = (c: Uint8Array) => void queue.push(c);
  const drain = async () => {
    while (queue.length) await sink(queue.shift()!);
  };
  const linkTypes: number[] = [];
  let nanosecond = false;
  let pcap: PcapWriter | null = null;
  const pcapng: PcapngWriter | null = opts.format === 'pcapng' ? new PcapngWriter(push) : null;
  // output interface per input file and input interface
  const ifMap: Map<number, number>[] = inputs.readers.map(() => new Map());
  const rec = new PacketRecord();
  let n = 0;
  let written = 0;
  try {
    for (let left = selected.count; left > 0;) {
      const s = inputs.reader.read(rec);
      if (s === READ_NEED_MORE) {
        await drain();
        opts.signal?.throwIfAborted();
        await inputs.reader.fill();
        continue;
      }
      if (s === READ_END) break;
      if (s !== READ_RECORD || !selected.has(++n)) continue;
      left--;
      const reader = inputs.readers[rec.fileIndex] ?? inputs.readers[0]!;
      const itf = reader.interfaces[rec.interfaceId];
      const ns = itf ? itf.tsUnitNs < 1000 : false;
      if (!linkTypes.includes(rec.linkType)) linkTypes.push(rec.linkType);
      if (pcapng) {
        const m = ifMap[rec.fileIndex] ?? ifMap[0]!;
        let out = m.get(rec.interfaceId);
        if (out === undefined) {
          out = pcapng.addInterface({
            linkType: rec.linkType,
            snaplen: itf?.snaplen ?? 0,
            nanosecond: ns,
            name: itf?.name ?? null,
          });
          m.set(rec.interfaceId, out);
          nanosecond ||= ns;
        }
        pcapng.write(out, rec.tsSec, rec.tsNsec, rec.buf, rec.off, rec.caplen, rec.len, rec.comment);
      } else {
        if (!pcap) {
          // nanoseconds when any interface of the inputs known by now has them
          nanosecond = inputs.readers.some((r) => r.interfaces.some((i) => i.tsUnitNs < 1000));
          const snaplen = Math.max(0, ...inputs.readers.flatMap((r) => r.interfaces.map((i) => i.snaplen)));
          pcap = new PcapWriter(push, { linkType: rec.linkType, snaplen: snaplen || 262144, nanosecond });
        } else if (rec.linkType !== linkTypes[0]) {
          throw new PcaplensError(
            'E_USAGE',
            `the selected frames have several link types (${linkTypes.map(linkTypeName).join(', ')}); ` +
              'pcap holds one: write pcapng (-o out.pcapng) or narrow the filter',
          );
        }
        pcap.write(rec.tsSec, rec.tsNsec, rec.buf, rec.off, rec.caplen, rec.len);
      }
      written++;
    }
    // an empty selection still makes a valid (empty) file
    if (!pcap && !pcapng) pcap = new PcapWriter(push, { linkType: 1, snaplen: 262144 });
    const w = (pcap ?? pcapng)!;
    w.flush();
    const bytes = w.bytesWritten;
    await drain();
    return { format: opts.format, packets: written, bytes, link_types: linkTypes, nanosecond };
  } finally {
    await inputs.close();
  }
}

/**
 * exportFrames into a file: written to a temporary file beside it and renamed into place when complete, so
 * a failed or interrupted export leaves no partial output. E_EXISTS when the file exists and !force.
 */
export async function exportToFile(
  source: CaptureSource,
  opts: ExportOptions & { force?: boolean },
  outPath: string,
): Promise<ExportResult> {
  if (!opts.force && (await stat(outPath).catch(() => null))) {
    throw new PcaplensError('E_EXISTS', `${outPath} exists (use --force to overwrite)`);
  }
  const tmp = join(
    dirname(outPath),
    `.${basename(outPath)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
  let fh;
  try {
    fh = await open(tmp, 'wx');
  } catch (e) {
    throw new PcaplensError('E_IO', `${outPath}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const handle = fh;
    const result = await exportFrames(source, opts, async (chunk) => {
      await handle.write(chunk);
    });
    await fh.close();
    fh = null;
    await rename(tmp, outPath);
    return result;
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}
