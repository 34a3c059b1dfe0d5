/**
 * Row shapes the store adds to the data model (ARCHITECTURE.md): the packet index and the capture
 * catalogue, plus what an import is told and returns. Additive to rows.ts and app-rows.ts; names are contracts.
 */
import type { Problem } from './problem.js';
import type { HostRow } from './rows.js';

/** One frame of the packet index: where its bytes are in the capture file, never the bytes. */
export interface PacketIndexRow {
  capture_id: number;
  /** 1-based over the whole capture, as Wireshark numbers frames */
  n: number;
  ts: string;
  /** 0-based index of the file within the capture (multi-file imports) */
  file_index: number;
  /** byte offset of the record in the (decompressed) file */
  file_offset: number;
  caplen: number;
  len: number;
  flow_id: number | null;
  /** top decoded protocol */
  protocol: string | null;
}

/** A packet index row as an import writes it: the store fills in capture_id. */
export type PacketIndexInput = Omit<PacketIndexRow, 'capture_id'>;

/** complete: every file read to its end; partial: problems stopped reading somewhere (see errors). */
export type CaptureStatus = 'complete' | 'partial';

export interface CaptureRow {
  id: number;
  name: string;
  /** SHA-256 of the capture file (of the concatenated file digests for a multi-file capture), lower-case hex */
  sha256: string;
  size: number;
  /** pcap, pcapng, "+gzip" appended when compressed; comma-joined for multi-file captures */
  format: string;
  link_types: number[];
  packets: number;
  bytes: number;
  first_ts: string | null;
  last_ts: string | null;
  status: CaptureStatus;
  errors: Problem[];
  created_at: string;
}

/** One input file of a capture (a capture is one file, or several read as one run). */
export interface CaptureFileRow {
  /** 0-based, as PacketIndexRow.file_index */
  file_index: number;
  name: string;
  sha256: string;
  size: number;
  format: string;
  /** where the bytes are kept (see store/capture-files.ts), null when not kept */
  path: string | null;
}

/** What is known before reading: the start of a CaptureRow. */
export interface CaptureMeta {
  name: string;
  sha256: string;
  size: number;
  format: string;
  link_types: number[];
  /** the input files, for re-reading packet bytes later; default: none recorded */
  files?: CaptureFileRow[];
}

/** What is known after reading: the rest of a CaptureRow. */
export interface CaptureTotals {
  packets: number;
  bytes: number;
  first_ts: string | null;
  last_ts: string | null;
  status?: CaptureStatus;
  errors?: Problem[];
  /** link types found while reading, when not known up front */
  link_types?: number[];
  /** the whole summary of the reading (CaptureSummary of shared/rows.ts), kept for `summary @ID` */
  summary?: unknown;
}

/** Enrichment columns of the hosts table (filled by enrich/, all optional). */
export interface HostEnrichment {
  vendor?: string | null;
  country?: string | null;
  city?: string | null;
  lat?: number | null;
  lon?: number | null;
  asn?: number | null;
  as_org?: string | null;
  is_private?: boolean | null;
  tags?: string[] | null;
  /** address class label of enrich/address-class.ts (public, private, loopback, ...) */
  address_class?: string | null;
  /** OS the TTL/DHCP/User-Agent hints point to */
  os_guess?: string | null;
}

export type StoredHostRow = HostRow & HostEnrichment;

/** Rows of the alerts table (findings of analyze/), each with its evidence. */
export interface AlertRow {
  flow_id: number | null;
  ts: string;
  packet: number | null;
  client_ip: string | null;
  client_port: number | null;
  server_ip: string | null;
  server_port: number | null;
  /** info, low, medium, high */
  severity: string;
  /** id of the analysis that raised it */
  rule: string;
  title: string;
  detail: string | null;
  /** flows, numbers and thresholds behind the finding */
  evidence: unknown;
  /** the analyses' row (shared/alert-rows.ts), stored beside the generic columns above (migration 3) */
  id?: number | null;
  key?: string | null;
  kind?: string | null;
  score?: number | null;
  heuristic?: boolean | null;
  first_ts?: string | null;
  last_ts?: string | null;
  hosts?: string[] | null;
  flow_ids?: number[] | null;
  flow_count?: number | null;
  explanation?: string | null;
}
