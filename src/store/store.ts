/**
 * The Store: what the engine, the CLI and the HTTP API call to keep and query captures. Typed queries only;
 * no SQL above this layer. One implementation per database (duckdb/, postgres/), all held to conformance.ts.
 */
import type { PacketBatch } from './packet-batch.js';
import type { CheckedFilter } from '../shared/filter/ast.js';
import type { ArtifactTable, TableName } from '../shared/filter/tables.js';
import type {
  DnsRow,
  HttpRow,
  TlsRow,
  DhcpRow,
  CredentialRow,
  FileRow,
  SshRow,
  SmbRow,
  SipRow,
  NtpRow,
} from '../shared/app-rows.js';
import type { FlowRow } from '../shared/rows.js';
import type {
  AlertRow,
  CaptureFileRow,
  CaptureMeta,
  CaptureRow,
  CaptureTotals,
  PacketIndexInput,
  PacketIndexRow,
  StoredHostRow,
} from '../shared/store-rows.js';

export type { TableName, ArtifactTable };

/** Row type of each table as pages return it. */
export interface TableRows {
  packets: PacketIndexRow;
  flows: FlowRow;
  hosts: StoredHostRow;
  dns: DnsRow;
  http: HttpRow;
  tls: TlsRow;
  dhcp: DhcpRow;
  credentials: CredentialRow;
  files: FileRow;
  alerts: AlertRow;
  ssh: SshRow;
  smb: SmbRow;
  sip: SipRow;
  ntp: NtpRow;
}

/** Row type each table accepts on import (packets without capture_id). */
export type InputRows = Omit<TableRows, 'packets'> & { packets: PacketIndexInput };

/** Handed to the import callback: appends rows to the capture being imported, in batches of any size. */
export interface CaptureWriter {
  readonly captureId: number;
  write<T extends TableName>(table: T, rows: readonly InputRows[T][]): Promise<void>;
  /**
   * packet index rows as columns (the same rows as write('packets', batch.rows())); the batch may be reused
   * once the promise settles. Optional: a store without it gets rows.
   */
  writePackets?(batch: PacketBatch): Promise<void>;
}

/** Which rows a query looks at: one capture, an optional checked filter, an optional time window (ISO-8601). */
export interface Scope {
  captureId: number;
  /** checked against the table the query reads (flows for the aggregations) */
  filter?: CheckedFilter;
  /** rows at or after this time (for flows and hosts: that were still active then) */
  from?: string;
  /** rows at or before this time (for flows and hosts: that had started by then) */
  to?: string;
}

export interface SortKey {
  /** a column of the table */
  column: string;
  desc?: boolean;
}

export interface PageQuery extends Scope {
  /** applied in order, then the table's key so pages are stable */
  sort?: SortKey[];
  /** default 100, at most 100000 */
  limit?: number;
  offset?: number;
}

export interface Page<R> {
  rows: R[];
  /** rows matching the scope, regardless of limit/offset */
  total: number;
}

export interface TopTalkersQuery extends Omit<Scope, 'filter'> {
  /** checked against flows */
  filter?: CheckedFilter;
  by: 'bytes' | 'packets' | 'peers';
  /** count what the host sent, received, or both (default both) */
  direction?: 'sent' | 'recv' | 'both';
  /** default 10 */
  n?: number;
}

export interface Talker {
  ip: string;
  packets_sent: number;
  bytes_sent: number;
  packets_recv: number;
  bytes_recv: number;
  peers: number;
  flows: number;
}

export interface HistogramQuery extends Scope {
  /** bucket width in seconds (fractions allowed, at least 1 microsecond) */
  bucketSec: number;
  /** split each bucket by the flow's transport or detected application */
  groupBy?: 'proto' | 'app';
}

export interface HistogramBucket {
  /** start of the bucket, ISO-8601 */
  ts: string;
  /** the group (proto or app) when grouped; null for ungrouped or unknown */
  group: string | null;
  packets: number;
  bytes: number;
}

export interface GraphQuery extends Scope {
  /** 2: MAC to MAC, 3: IP to IP, 4: IP to IP per transport and server port */
  layer: 2 | 3 | 4;
  /** heaviest edges first; default 1000 */
  limit?: number;
}

export interface GraphEdge {
  /** initiator side (the flows' src) */
  src: string;
  dst: string;
  /** layer 4 only */
  proto: string | null;
  port: number | null;
  flows: number;
  packets: number;
  bytes: number;
  first_ts: string;
  last_ts: string;
}

export interface ConversationQuery extends Scope {
  /** 2: MAC pairs, 3: IP pairs (direction-free, as Wireshark's Conversations) */
  layer: 2 | 3;
  sort?: { column: 'bytes' | 'packets' | 'flows' | 'first_ts' | 'duration'; desc?: boolean };
  limit?: number;
  offset?: number;
}

export interface Conversation {
  /** the lower address of the pair (address order), and the higher */
  a: string;
  b: string;
  packets_ab: number;
  bytes_ab: number;
  packets_ba: number;
  bytes_ba: number;
  flows: number;
  first_ts: string;
  last_ts: string;
  duration: number;
}

export interface Store {
  /** 'duckdb' or 'postgres' */
  readonly kind: string;
  /** Applies the migrations not yet applied, in order; safe to call on every open. */
  migrate(): Promise<void>;
  /**
   * Imports one capture in one transaction: the callback writes its rows and returns the totals. If it throws
   * (or the process dies), nothing of this capture stays and earlier captures are untouched. `meta` is read
   * once the callback has resolved, so the callback may still complete it (the import names its files by
   * their digest while it reads them).
   */
  importCapture(meta: CaptureMeta, fill: (w: CaptureWriter) => Promise<CaptureTotals>): Promise<CaptureRow>;
  /** The newest capture with this SHA-256, for re-import detection. */
  findCaptureBySha256(sha256: string): Promise<CaptureRow | null>;
  /** All captures, newest first. */
  listCaptures(): Promise<CaptureRow[]>;
  /** One capture, or null. */
  getCapture(id: number): Promise<CaptureRow | null>;
  /**
   * The summary computed when the capture was read (CaptureTotals.summary: a CaptureSummary), or null when
   * none was kept.
   * Optional: stores without it answer `pcaplens summary @ID` from the capture row alone.
   */
  captureSummary?(id: number): Promise<unknown>;
  /** The input files of a capture, by file_index. */
  captureFiles(id: number): Promise<CaptureFileRow[]>;
  /** Removes a capture and all its rows; false when there was none. */
  deleteCapture(id: number): Promise<boolean>;
  /** One page of a table, filtered, windowed and sorted, with the total count. */
  page<T extends TableName>(table: T, q: PageQuery): Promise<Page<TableRows[T]>>;
  /** Number of rows of a table in scope. */
  countRows(table: TableName, q: Scope): Promise<number>;
  /** Hosts ranked by bytes, packets or distinct peers, computed from the flows in scope. */
  topTalkers(q: TopTalkersQuery): Promise<Talker[]>;
  /** Packets and bytes per time bucket (from the packet index; filter on the packets' flows). */
  timeHistogram(q: HistogramQuery): Promise<HistogramBucket[]>;
  /** Aggregated edges between endpoints at layer 2, 3 or 4, from the flows in scope. */
  graphEdges(q: GraphQuery): Promise<GraphEdge[]>;
  /** Direction-free endpoint pairs with traffic each way, from the flows in scope. */
  conversations(q: ConversationQuery): Promise<Page<Conversation>>;
  close(): Promise<void>;
}
