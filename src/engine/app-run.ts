/**
 * The application layer of one analyzeFiles run: builds the AppLayer, collects its rows per table (or streams
 * them to onRow) and turns reassembly limits into E_LIMIT problems. It never changes a flow's app or app_source:
 * those are decided by the flow layer alone, so a flows-only run gives the same flow rows as a full one.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { FileRow } from '../shared/app-rows.js';
import type { Problem } from '../shared/problem.js';
import type { AnalysisOptions } from '../flow/analysis.js';
import { AppLayer } from '../flow/reassembly/app/app-layer.js';
import type { AppSinks } from '../flow/reassembly/app/sinks.js';
import { registerInflateBackend, type InflateFormat } from '../shared/inflate.js';
import { registerSha256Backend, type IncrementalSha256 } from '../shared/sha256.js';
import {
  emptyAppRows,
  type AppRowSink,
  type AppRowTypes,
  type AppRows,
  type AppTable,
  type TableRowSink,
} from './app-tables.js';

/** Node's native SHA-256 for file bodies (the pure one runs ~150 MB/s, a tenth of the app layer's CPU). */
class NodeSha256 implements IncrementalSha256 {
  private readonly h = createHash('sha256');
  update(data: Uint8Array, start = 0, end = data.length): this {
    if (end > start) this.h.update(start === 0 && end === data.length ? data : data.subarray(start, end));
    return this;
  }
  digest(): Uint8Array {
    return new Uint8Array(this.h.digest());
  }
}
registerSha256Backend(() => new NodeSha256());

/**
 * Node's native zlib for whole compressed HTTP bodies (fflate, pure JS, took 3 % of a full decode's CPU). Any
 * error (corrupt or cut input, output past maxOut) answers null: the body then streams through fflate, which
 * decides what a partial or oversized body gives.
 */
export function nativeInflate(format: InflateFormat, data: Uint8Array, maxOut: number): Uint8Array | null {
  const opts = { maxOutputLength: Math.max(1, maxOut) };
  try {
    if (format === 'gzip') return gunzipSync(data, opts);
    return format === 'zlib' ? inflateSync(data, opts) : inflateRawSync(data, opts);
  } catch {
    return null;
  }
}
registerInflateBackend(nativeInflate);

/** Extraction: the bytes of transferred files, kept bounded while the transfer runs, handed out with the row. */
export interface FileBytesOptions {
  /** bytes kept per file; past it the content is cut (content.length < row.size) */
  maxFileBytes: number;
  /** bytes kept across all transfers in flight; past it new bytes are not kept */
  maxHeldBytes: number;
  onFile: (row: FileRow, content: Uint8Array) => void;
}

/** E_LIMIT problems kept per run; past it one line counts the rest. */
const MAX_PROBLEMS = 100;

const MAGIC_BYTES = 16;

/** The first bytes of a file as hex: enough for every executable signature the analyses know. */
function magicHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length && i < MAGIC_BYTES; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

export class AppRun {
  readonly layer: AppLayer;
  readonly rows: AppRows = emptyAppRows();
  private readonly problemList: { packet: number; fileIndex: number; message: string }[] = [];
  private problemsDropped = 0;

  constructor(onRow: AppRowSink | TableRowSink | undefined, files: FileBytesOptions | undefined) {
    const only = onRow !== undefined && 'tables' in onRow ? new Set<AppTable>(onRow.tables) : null;
    // extraction writes the files it is handed whatever table is printed
    const wants = (t: AppTable): boolean => only === null || only.has(t) || (t === 'files' && !!files);
    const put: AppRowSink =
      onRow ??
      ((table, row) => {
        (this.rows[table] as AppRowTypes[typeof table][]).push(row);
      });
    const emit =
      <T extends AppTable>(table: T) =>
      (row: AppRowTypes[T]): void => {
        put(table, row);
      };
    const sinks: AppSinks = {
      problem: (p) => {
        if (this.problemList.length < MAX_PROBLEMS) this.problemList.push(p);
        else this.problemsDropped++;
      },
    };
    if (wants('dns')) sinks.dns = emit('dns');
    if (wants('http')) sinks.http = emit('http');
    if (wants('tls')) sinks.tls = emit('tls');
    if (wants('dhcp')) sinks.dhcp = emit('dhcp');
    if (wants('credentials')) sinks.credential = emit('credentials');
    if (wants('ssh')) sinks.ssh = emit('ssh');
    if (wants('smb')) sinks.smb = emit('smb');
    if (wants('sip')) sinks.sip = emit('sip');
    if (wants('ntp')) sinks.ntp = emit('ntp');
    if (wants('files'))
      sinks.file = (row, content) => {
        row.magic = content && content.length > 0 ? magicHex(content) : null;
        put('files', row);
        if (files && content) files.onFile(row, content);
      };
    this.layer = new AppLayer(
      sinks,
      files ? { keepFileBytes: files.maxFileBytes, maxKeptFileBytes: files.maxHeldBytes } : {},
    );
  }

  /** Chains the layer's hook with the caller's (the caller's runs after, seeing the same flow state). */
  onPacket(next: AnalysisOptions['onPacket']): NonNullable<AnalysisOptions['onPacket']> {
    const layer = this.layer;
    return (pkt, flow, dir, rec, l) => {
      layer.onPacket(pkt, flow, dir, rec, l);
      next?.(pkt, flow, dir, rec, l);
    };
  }

  onFlowEnd(next: AnalysisOptions['onFlowEnd']): NonNullable<AnalysisOptions['onFlowEnd']> {
    return (flow, row) => {
      this.layer.onFlowEnd(flow, row);
      next?.(flow, row);
    };
  }

  /** Reassembly limits hit, as problems of the file each happened in. */
  problems(fileNames: readonly string[]): Problem[] {
    const name = (i: number) => fileNames[i] ?? fileNames[0] ?? '';
    const out: Problem[] = this.problemList.map((p) => ({
      file: name(p.fileIndex),
      offset: 0,
      code: 'E_LIMIT',
      message: p.message,
      packet: p.packet,
    }));
    if (this.problemsDropped > 0)
      out.push({
        file: name(0),
        offset: 0,
        code: 'E_LIMIT',
        message: `${this.problemsDropped} more reassembly limit problems`,
      });
    return out;
  }
}
