/**
 * The application layer of one analyzeFiles run: builds the AppLayer, collects its rows per table (or streams
 * them to onRow), turns reassembly limits into E_LIMIT problems, and marks flows whose port-table app the
 * content confirmed (app_source "port+heuristic").
 */
import type { CredentialRow, DhcpRow, DnsRow, FileRow, HttpRow, SshRow, TlsRow } from '../shared/app-rows.js';
import type { Problem } from '../shared/problem.js';
import type { FlowRow } from '../shared/rows.js';
import type { AnalysisOptions } from '../flow/analysis.js';
import type { FlowState } from '../flow/flow-state.js';
import { AppLayer } from '../flow/reassembly/app/app-layer.js';
import type { AppSinks } from '../flow/reassembly/app/sinks.js';

/** The application tables, named as the store's tables. */
export const APP_TABLES = ['dns', 'http', 'tls', 'dhcp', 'credentials', 'files', 'ssh'] as const;
export type AppTable = (typeof APP_TABLES)[number];

export interface AppRowTypes {
  dns: DnsRow;
  http: HttpRow;
  tls: TlsRow;
  dhcp: DhcpRow;
  credentials: CredentialRow;
  files: FileRow;
  ssh: SshRow;
}
export type AppRows = { [T in AppTable]: AppRowTypes[T][] };
export type AppRowSink = <T extends AppTable>(table: T, row: AppRowTypes[T]) => void;

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

export function emptyAppRows(): AppRows {
  return { dns: [], http: [], tls: [], dhcp: [], credentials: [], files: [], ssh: [] };
}

export class AppRun {
  readonly layer: AppLayer;
  readonly rows: AppRows = emptyAppRows();
  private readonly problemList: { packet: number; fileIndex: number; message: string }[] = [];
  private problemsDropped = 0;
  /** the flow whose packet (or end) the layer is handling: the rows it emits belong to that flow */
  private current: FlowState | null = null;
  private confirmed = false;

  constructor(onRow: AppRowSink | undefined, files: FileBytesOptions | undefined) {
    const put: AppRowSink =
      onRow ??
      ((table, row) => {
        (this.rows[table] as AppRowTypes[typeof table][]).push(row);
      });
    const emit =
      <T extends AppTable>(table: T) =>
      (row: AppRowTypes[T]): void => {
        this.confirmed = true;
        put(table, row);
      };
    const sinks: AppSinks = {
      dns: emit('dns'),
      http: emit('http'),
      tls: emit('tls'),
      dhcp: emit('dhcp'),
      credential: emit('credentials'),
      ssh: emit('ssh'),
      file: (row, content) => {
        this.confirmed = true;
        put('files', row);
        if (files && content) files.onFile(row, content);
      },
      problem: (p) => {
        if (this.problemList.length < MAX_PROBLEMS) this.problemList.push(p);
        else this.problemsDropped++;
      },
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
      if (flow !== null && this.current !== flow) this.switchTo(flow);
      layer.onPacket(pkt, flow, dir, rec, l);
      next?.(pkt, flow, dir, rec, l);
    };
  }

  onFlowEnd(next: AnalysisOptions['onFlowEnd']): NonNullable<AnalysisOptions['onFlowEnd']> {
    return (flow, row) => {
      if (this.current !== flow) this.switchTo(flow);
      this.layer.onFlowEnd(flow, row);
      if (this.confirmed) markConfirmed(flow);
      this.current = null;
      this.confirmed = false;
      sourceOf(flow, row);
      next?.(flow, row);
    };
  }

  /** Rows emitted so far belong to the flow handled before: remember that its content was recognised. */
  private switchTo(flow: FlowState): void {
    if (this.current !== null && this.confirmed) markConfirmed(this.current);
    this.current = flow;
    this.confirmed = false;
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

const CONFIRMED = 'appConfirmed';

function markConfirmed(flow: FlowState): void {
  (flow.ext ??= {})[CONFIRMED] = true;
}

/** port + parsed content = "port+heuristic"; the app found by content alone stays "heuristic". */
function sourceOf(flow: FlowState, row: FlowRow): void {
  if (flow.ext?.[CONFIRMED] !== true) return;
  delete flow.ext[CONFIRMED];
  if (row.app_source === 'port') row.app_source = 'port+heuristic';
}
