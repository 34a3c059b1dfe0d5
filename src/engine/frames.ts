/**
 * Walks the frames of a capture in frame-number order with their conversation, for the packet list and the
 * export selection. A stored capture is read from the packet index (keyset pages, never all at once) and its
 * flows; files given directly are read once through the same pipeline as the import, so both give the same
 * frames with the same numbers.
 */
import type { CheckedFilter, CheckedNode } from '../shared/filter/ast.js';
import { checkFilter, isoToNs, parseFilter, parseTimeBound } from '../shared/filter/index.js';
import type { FlowRow } from '../shared/rows.js';
import type { CaptureRow, PacketIndexInput } from '../shared/store-rows.js';
import type { Store } from '../store/store.js';
import { analyzeFiles } from './analyze-files.js';
import { getStoredCapture, isStoredSource, type CaptureSource } from './capture-source.js';
import { compileFrameFilter } from './frame-filter.js';
import { packetIndexHooks } from './packet-index.js';
import type { Progress } from './progress.js';

export interface FrameQuery {
  /** filter expression over frame and conversation fields (see frame-filter.ts) */
  filter?: string | null;
  /** ISO-8601 time or +DURATION after the capture start; frames at or after / at or before */
  from?: string | null;
  to?: string | null;
}

export interface FrameWalkOptions {
  /** hand the frame's flow row to the callback even when the filter does not need it */
  withFlows?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export type FrameVisitor = (pkt: PacketIndexInput, flow: FlowRow | null) => void | boolean;

export interface FrameWalk {
  /** the stored capture, or null for files */
  capture: CaptureRow | null;
  /** frames matched (the visitor's `false` stops the walk early) */
  matched: number;
  /** frames in the capture */
  total: number;
  first_ts: string | null;
}

const PAGE = 50_000;

const NO_FRAME: PacketIndexInput = {
  n: 0,
  ts: '',
  file_index: 0,
  file_offset: 0,
  caplen: 0,
  len: 0,
  flow_id: null,
  protocol: null,
};

function window(
  q: FrameQuery,
  start: string | null,
): { from?: bigint; to?: bigint; fromIso?: string; toIso?: string } {
  const fromIso = q.from ? parseTimeBound(q.from, start) : undefined;
  const toIso = q.to ? parseTimeBound(q.to, start) : undefined;
  return {
    fromIso,
    toIso,
    from: fromIso ? (isoToNs(fromIso) ?? undefined) : undefined,
    to: toIso ? (isoToNs(toIso) ?? undefined) : undefined,
  };
}

async function allFlows(
  store: Store,
  captureId: number,
  signal?: AbortSignal,
): Promise<Map<number, FlowRow>> {
  const m = new Map<number, FlowRow>();
  for (let last = 0; ;) {
    signal?.throwIfAborted();
    const filter = checkFilter(parseFilter(`flow.id > ${last}`), 'flows', [], '');
    const page = await store.page('flows', { captureId, filter, sort: [{ column: 'id' }], limit: PAGE });
    for (const f of page.rows) m.set(f.id, f);
    if (page.rows.length < PAGE) return m;
    last = page.rows[page.rows.length - 1]!.id;
  }
}

async function matchingFlowIds(
  store: Store,
  captureId: number,
  filter: CheckedFilter,
  signal?: AbortSignal,
): Promise<Set<number>> {
  const ids = new Set<number>();
  for (let offset = 0; ;) {
    signal?.throwIfAborted();
    const page = await store.page('flows', {
      captureId,
      filter,
      sort: [{ column: 'id' }],
      limit: PAGE,
      offset,
    });
    for (const f of page.rows) ids.add(f.id);
    offset += page.rows.length;
    if (page.rows.length < PAGE) return ids;
  }
}

/**
 * Calls `visit` for every frame matching the query, in frame-number order; a visitor returning false stops
 * the walk. Throws E_FILTER for a bad expression before reading anything, E_USAGE for a bad time bound.
 */
export async function walkFrames(
  source: CaptureSource,
  q: FrameQuery,
  visit: FrameVisitor,
  opts: FrameWalkOptions = {},
): Promise<FrameWalk> {
  const ff = compileFrameFilter(q.filter);
  const wantFlows = ff.needsFlows || opts.withFlows === true;
  let matched = 0;

  if (isStoredSource(source)) {
    const { store, captureId } = source;
    const capture = await getStoredCapture(store, captureId);
    const w = window(q, capture.first_ts);
    // a filter on conversation fields alone is run by the store: only the matching flow ids are kept
    const flowIds =
      ff.flowsOnly && !opts.withFlows
        ? await matchingFlowIds(store, captureId, ff.flowsOnly, opts.signal)
        : null;
    // frames outside any conversation match as the in-memory test says for "no flow" (not tcp, ...)
    const flowlessMatch = flowIds !== null && ff.test(NO_FRAME, null);
    const flows = wantFlows && !flowIds ? await allFlows(store, captureId, opts.signal) : null;
    const packetsOnly: CheckedNode | null = ff.packetsOnly?.root ?? null;
    for (let last = 0; ;) {
      opts.signal?.throwIfAborted();
      const after = checkFilter(parseFilter(`frame.number > ${last}`), 'packets', [], '').root;
      const filter: CheckedFilter = {
        table: 'packets',
        root: packetsOnly ? { kind: 'and', left: after, right: packetsOnly } : after,
        source: q.filter ?? '',
      };
      const page = await store.page('packets', {
        captureId,
        filter,
        from: w.fromIso,
        to: w.toIso,
        sort: [{ column: 'n' }],
        limit: PAGE,
      });
      for (const p of page.rows) {
        const flow = flows && p.flow_id !== null ? (flows.get(p.flow_id) ?? null) : null;
        const keep = flowIds
          ? p.flow_id !== null
            ? flowIds.has(p.flow_id)
            : flowlessMatch
          : packetsOnly !== null || ff.test(p, flow);
        if (keep) {
          matched++;
          if (visit(p, flow) === false)
            return { capture, matched, total: capture.packets, first_ts: capture.first_ts };
        }
      }
      if (page.rows.length < PAGE) break;
      last = page.rows[page.rows.length - 1]!.n;
    }
    return { capture, matched, total: capture.packets, first_ts: capture.first_ts };
  }

  // files: one pass through the pipeline collects the index; flows are complete only at the end
  const index: PacketIndexInput[] = [];
  const hooks = packetIndexHooks((r) => index.push(r));
  const result = await analyzeFiles(source.paths, {
    signal: opts.signal,
    onProgress: opts.onProgress,
    onPacket: hooks.onPacket,
    onRecord: hooks.onRecord,
  });
  const w = window(q, result.summary.first_ts);
  const flows = new Map<number, FlowRow>();
  if (wantFlows) for (const f of result.flows) flows.set(f.id, f);
  for (const p of index) {
    if (w.from !== undefined || w.to !== undefined) {
      const ns = isoToNs(p.ts);
      if (ns === null || (w.from !== undefined && ns < w.from) || (w.to !== undefined && ns > w.to)) continue;
    }
    const flow = p.flow_id !== null ? (flows.get(p.flow_id) ?? null) : null;
    if (!ff.test(p, flow)) continue;
    matched++;
    if (visit(p, flow) === false) break;
  }
  return { capture: null, matched, total: index.length, first_ts: result.summary.first_ts };
}

/** One line of the packet list: the frame, and the conversation it belongs to (src = its initiator). */
export interface PacketListRow {
  n: number;
  ts: string;
  len: number;
  caplen: number;
  protocol: string | null;
  flow_id: number | null;
  proto: string | null;
  src_ip: string | null;
  src_port: number | null;
  dst_ip: string | null;
  dst_port: number | null;
  app: string | null;
}

export function packetListRow(p: PacketIndexInput, f: FlowRow | null): PacketListRow {
  return {
    n: p.n,
    ts: p.ts,
    len: p.len,
    caplen: p.caplen,
    protocol: p.protocol,
    flow_id: p.flow_id,
    proto: f ? f.proto : null,
    src_ip: f ? f.src_ip : null,
    src_port: f ? f.src_port : null,
    dst_ip: f ? f.dst_ip : null,
    dst_port: f ? f.dst_port : null,
    app: f ? f.app : null,
  };
}
