import type { Problem } from '../shared/problem.js';
import type { PacketRecord } from './record.js';

/** Outcome of CaptureReader.read(). */
export const READ_RECORD = 1;
export const READ_NEED_MORE = 0;
export const READ_END = -1;
export type ReadStatus = typeof READ_RECORD | typeof READ_NEED_MORE | typeof READ_END;

export interface InterfaceInfo {
  linkType: number;
  snaplen: number;
  name: string | null;
  description: string | null;
  /** nanoseconds per timestamp unit */
  tsUnitNs: number;
  /** pcapng: 0-based section the interface belongs to (interface ids restart in each section) */
  section?: number;
  /** pcapng: the interface's id within its section, as packets of that section name it */
  localId?: number;
  /** pcapng if_tsoffset: seconds added to every timestamp of the interface */
  tsOffsetSec?: number;
}

/** A name from a pcapng Name Resolution Block. */
export interface ResolvedName {
  address: string;
  name: string;
}

/**
 * Streaming reader of one capture. Synchronous per record, asynchronous per chunk:
 *   for (;;) { const s = r.read(rec); if (s === READ_RECORD) use(rec); else if (s === READ_NEED_MORE) await r.fill(); else break; }
 * Never throws on bad bytes: faults become `problems` and end (or resynchronise) the stream.
 */
export interface CaptureReader {
  readonly format: 'pcap' | 'pcapng';
  readonly compressed: boolean;
  readonly interfaces: readonly InterfaceInfo[];
  readonly names: readonly ResolvedName[];
  readonly comments: readonly string[];
  readonly problems: readonly Problem[];
  read(rec: PacketRecord): ReadStatus;
  fill(): Promise<void>;
  close(): Promise<void>;
}
