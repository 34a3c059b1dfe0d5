/**
 * One ingest shard: reads a whole capture through analyzeFiles (every shard reads every packet, so decoding,
 * the capture clock and idle expiry are the same as in a single reader) but accounts only the layers whose
 * conversation falls in the shard's hash range (conversation-hash.ts, AnalysisOptions.acceptLayer). It emits
 * the packet index rows whose naming conversation is its own, its flows with where each started (frame, IP
 * layer: the order a single reader numbers flows in) and the key of where each ended, its application rows
 * with the key that orders them, and its partial host rows with where each host and each MAC was first seen.
 * Used by the distributed jobs (one shard per job) and the worker threads of the local ingest.
 */
import type { Problem } from '../../shared/problem.js';
import type { CaptureSummary, FlowRow, HostRow } from '../../shared/rows.js';
import type { PacketIndexInput } from '../../shared/store-rows.js';
import { FRAG_PENDING, type NetLayer, type Packet } from '../../dissect/dissector.js';
import type { FlowState } from '../../flow/flow-state.js';
import type { HostState } from '../../flow/hosts.js';
import { u32be } from '../../wire/byte-view.js';
import { macNumber, macNumberToString, wordsToString } from '../../flow/addr-words.js';
import type { ResolvedName } from '../../wire/reader.js';
import type { PacketRecord } from '../../wire/record.js';
import { analyzeFiles } from '../analyze-files.js';
import { packetIndexRow } from '../packet-index.js';
import type { AppTable } from '../app-tables.js';
import { jobOf, l2Hash, layerHash } from './conversation-hash.js';

/** Where a flow started: frame number and index of its IP layer in that frame. */
export interface FlowStart {
  n: number;
  layer: number;
}

export interface RangeSink {
  packets(rows: PacketIndexInput[]): Promise<void>;
  flows(rows: FlowRow[], first: FlowStart[], endKeys: number[][]): Promise<void>;
  /** application rows with the key that orders them as a single reader emits them */
  app(table: AppTable, rows: unknown[], keys: number[][]): Promise<void>;
  /**
   * host rows in the shard's order, with the frame where each MAC was first seen and the key of where the
   * host was first seen (frame, IP layer, 0 source / 1 destination): a single reader lists hosts in that order
   */
  hosts(rows: HostRow[], macFirst: number[][], firstKeys: number[][]): Promise<void>;
  /** flows as they start (local id, where), before any of their packets is handed to packets() */
  started?(ids: number[], first: FlowStart[]): Promise<void>;
  /**
   * With this, every row of the frames read so far is handed out at the end of each chunk of input, then
   * chunk(n) tells that frames 1..n are done: no row keyed at or before n follows (streaming merges).
   */
  chunk?(n: number): Promise<void>;
}

export interface RangeOptions {
  job: number;
  jobs: number;
  /** rows per batch handed to the sink (default 20 000) */
  batch?: number;
  signal?: AbortSignal;
  /** bytes read so far of the total, now and then */
  onProgress?: (read: number, total: number) => void;
  /** hand out packet index rows (default true); false sends none (runs that print no index) */
  index?: boolean;
  /** keep the host table (default true); false hands sink.hosts no rows */
  hosts?: boolean;
  /**
   * note where each host and MAC was first seen (default true; the keys sink.hosts gets): false when only the
   * set of hosts is wanted (a count), which saves a string per new flow
   */
  hostOrder?: boolean;
  /** hand out flow rows (default true); false drops them (their count is still in the result) */
  flowRows?: boolean;
  /** the application tables whose rows are handed out (default all); the others are dropped as found */
  tables?: readonly AppTable[];
}

export interface RangeResult {
  /** the run's summary without the application layer's problems (those are per job: appProblems) */
  summary: CaptureSummary;
  appProblems: Problem[];
  /** pcapng name resolution entries of the files (the same in every job) */
  names: ResolvedName[];
  /** flows and host rows this job produced */
  flows: number;
  hosts: number;
}

const NO_FRAME = Number.MAX_SAFE_INTEGER;

/**
 * Per-flow numbers by flow id (ids are dense from 1 within a run), in typed arrays grown by doubling: the
 * per-packet bookkeeping allocates nothing (a Map of tuples and WeakSets cost a tenth of a shard's time).
 */
class FlowMarks {
  /** frame and IP layer of the flow's last packet */
  lastN = new Int32Array(1024);
  lastLayer = new Int32Array(1024);
  /** bit 0: a packet seen in direction 0, bit 1: in direction 1 */
  dirs = new Uint8Array(1024);

  touch(id: number, frame: number, layer: number): void {
    if (id >= this.dirs.length) this.grow(id);
    this.lastN[id] = frame;
    this.lastLayer[id] = layer;
  }

  private grow(id: number): void {
    let size = this.dirs.length;
    while (size <= id) size *= 2;
    const g = <T extends Int32Array | Uint8Array>(a: T, b: T): T => (b.set(a), b);
    this.lastN = g(this.lastN, new Int32Array(size));
    this.lastLayer = g(this.lastLayer, new Int32Array(size));
    this.dirs = g(this.dirs, new Uint8Array(size));
  }
}

export async function analyzeRange(paths: string[], sink: RangeSink, o: RangeOptions): Promise<RangeResult> {
  const { job, jobs } = o;
  const streaming = sink.chunk !== undefined;
  const batch = o.batch ?? 20_000;
  const index = o.index !== false;
  const hosting = o.hosts !== false;
  const ordering = hosting && o.hostOrder !== false;
  const flowRows = o.flowRows !== false;
  const tables = o.tables ? new Set<AppTable>(o.tables) : null;

  // frames done; during a frame's accounting the frame being read is n + 1
  let n = 0;
  let flowId: number | null = null;
  let ownerJob = 0;
  let current: Packet | null = null;
  let curLayer = -1;
  let finishing = false;
  const packets: PacketIndexInput[] = [];
  const flows: FlowRow[] = [];
  const firsts = new Map<number, FlowStart>();
  const startedIds: number[] = [];
  const startedAt: FlowStart[] = [];
  const marks = new FlowMarks();
  const macSeen = new Map<string, number>();
  const hostSeen = new WeakSet<HostState>();
  const hostFirst = new Map<string, number[]>();
  // where rows are emitted, to order them across shards as one reader would: the frame being read, then flow
  // ends before the layers (idle expiry: class by class, least recently used first), then per IP layer its
  // flow end and its rows; at the end of input, flows end least recently active first (flow-table.ts oldest)
  let jseq = 0;
  const endKeys = new Map<number, number[]>();
  const keyNow = (ending: FlowState | null): number[] => {
    const nEmit = n + 1;
    if (ending !== null && curLayer < 0) {
      const id = ending.id;
      const lt0 = id < marks.dirs.length ? marks.lastN[id]! : 0;
      const lt1 = id < marks.dirs.length ? marks.lastLayer[id]! : 0;
      if (finishing) return [nEmit, 0, ending.lastSec, ending.lastNsec, ending.cls, lt0, lt1, jseq++];
      return [nEmit, 0, ending.cls, lt0, lt1, jseq++];
    }
    if (ending !== null) return [nEmit, 1, curLayer, 0, jseq++];
    return [nEmit, 1, Math.max(0, curLayer), 1, jseq++];
  };
  const appRows = new Map<AppTable, { rows: unknown[]; keys: number[][] }>();
  let appCount = 0;
  // application rows are keyed by the hook that follows them: the app layer's flow end runs just before
  // onFlowEnd below, its packet hook just before onPacket below
  const unkeyed: { table: AppTable; row: unknown }[] = [];
  const keyRows = (ending: FlowState | null) => {
    for (const u of unkeyed) {
      let b = appRows.get(u.table);
      if (!b) appRows.set(u.table, (b = { rows: [], keys: [] }));
      b.rows.push(u.row);
      b.keys.push(keyNow(ending));
      appCount++;
    }
    unkeyed.length = 0;
  };

  const w = new Uint32Array(4);
  const ipOf = (l: NetLayer, side: 0 | 1): string => {
    w.fill(0);
    if (l.version === 4) w[3] = side === 0 ? l.src4 : l.dst4;
    else {
      const off = side === 0 ? l.srcOff : l.dstOff;
      for (let i = 0; i < 4; i++) w[i] = u32be(l.buf, off + 4 * i);
    }
    return wordsToString(w, l.version);
  };
  const noteMac = (ip: string, mac: number) => {
    if (!ordering) return;
    const k = `${ip}|${macNumberToString(mac)}`;
    if (!macSeen.has(k)) macSeen.set(k, n + 1);
  };
  const noteHost = (h: HostState | null, name: () => string, side: 0 | 1) => {
    if (!ordering || h === null || hostSeen.has(h)) return;
    hostSeen.add(h);
    const k = name();
    if (!hostFirst.has(k)) hostFirst.set(k, [n + 1, Math.max(0, curLayer), side]);
  };
  const noteHostName = (k: string, side: 0 | 1) => {
    if (ordering && !hostFirst.has(k)) hostFirst.set(k, [n + 1, Math.max(0, curLayer), side]);
  };

  const flush = async (all: boolean) => {
    if (startedIds.length && sink.started) await sink.started(startedIds.splice(0), startedAt.splice(0));
    if (packets.length >= batch || (all && packets.length)) await sink.packets(packets.splice(0));
    if (flows.length >= batch || (all && flows.length)) {
      const b = flows.splice(0);
      await sink.flows(
        b,
        b.map((f) => firsts.get(f.id) ?? { n: 0, layer: 0 }),
        b.map((f) => endKeys.get(f.id) ?? []),
      );
      for (const f of b) {
        firsts.delete(f.id);
        endKeys.delete(f.id);
      }
    }
    if (appCount >= batch || (all && appCount)) {
      for (const [t, b] of appRows) await sink.app(t, b.rows, b.keys);
      appRows.clear();
      appCount = 0;
    }
  };

  const result = await analyzeFiles(paths, {
    signal: o.signal,
    appProblemsApart: true,
    hosts: hosting,
    ...(o.onProgress ? { onProgress: (p) => o.onProgress!(p.bytesRead, Math.max(0, p.bytesTotal)) } : {}),
    acceptLayer: (p, l, i) => {
      current = p;
      let mine: boolean;
      if (l === null) {
        const h = jobOf(l2Hash(p), jobs);
        if (p.srcMacOff >= 0 && p.dstMacOff >= 0) ownerJob = h;
        mine = h === job;
      } else {
        const h = jobOf(layerHash(l), jobs);
        // the innermost layer with a conversation names the packet (pending fragments have none)
        if (l.frag !== FRAG_PENDING) ownerJob = h;
        mine = h === job;
      }
      curLayer = mine ? i : -1;
      return mine;
    },
    onRow: (table, row) => {
      if (tables === null || tables.has(table)) unkeyed.push({ table, row });
    },
    onFlowEnd: (f) => {
      keyRows(f);
      if (flowRows) endKeys.set(f.id, keyNow(f));
    },
    onFlow: (r) => {
      if (flowRows) flows.push(r);
    },
    onPacket: (pkt, flow, dir, _rec, l) => {
      keyRows(null);
      if (flow) {
        flowId = flow.id;
        const id = flow.id;
        marks.touch(id, n + 1, Math.max(0, curLayer));
        const had = marks.dirs[id]!;
        if ((had & (1 << dir)) === 0) {
          marks.dirs[id] = had | (1 << dir);
          if (had === 0) {
            const at = { n: n + 1, layer: Math.max(0, curLayer) };
            if (flowRows) firsts.set(flow.id, at);
            if (sink.started) {
              startedIds.push(flow.id);
              startedAt.push(at);
            }
            // the hosts of a new flow may be new: a single reader lists them source first
            if (l) {
              noteHost(flow.srcHost, () => ipOf(l, dir), 0);
              noteHost(flow.dstHost, () => ipOf(l, dir === 0 ? 1 : 0), 1);
            } else {
              noteHost(flow.srcHost, () => macNumberToString(flow.srcMac), 0);
              noteHost(flow.dstHost, () => macNumberToString(flow.dstMac), 1);
            }
          }
          // the sender's first packet on this flow is where the host table notes its MAC
          if (l && l.srcMacOff >= 0) noteMac(ipOf(l, 0), macNumber(l.macBuf, l.srcMacOff));
        }
      } else if (l && l.frag === FRAG_PENDING) {
        noteHostName(ipOf(l, 0), 0);
        noteHostName(ipOf(l, 1), 1);
        if (l.srcMacOff >= 0) noteMac(ipOf(l, 0), macNumber(l.macBuf, l.srcMacOff));
      } else if (!l && pkt.srcMacOff >= 0) {
        noteHostName(macNumberToString(macNumber(pkt.macBuf, pkt.srcMacOff)), 0);
      }
    },
    onRecord: (rec: PacketRecord) => {
      n++;
      if (index && ownerJob === job) {
        const p = current;
        const top = p !== null && p.protoCount > 0 ? p.protoList[p.protoCount - 1]! : -1;
        packets.push(packetIndexRow(rec, n, flowId, top));
      }
      flowId = null;
      ownerJob = 0;
      current = null;
      curLayer = -1;
    },
    afterChunk: async () => {
      if (streaming) {
        await flush(true);
        await sink.chunk!(n);
      } else if (packets.length >= batch || flows.length >= batch || appCount >= batch) await flush(false);
    },
    // analyzeFiles ends every live flow in finish(): those ends are keyed as end-of-input ends
    onEndOfInput: () => {
      finishing = true;
    },
  });
  keyRows(null);
  await flush(true);
  const hosts = result.hosts;
  await sink.hosts(
    hosts,
    hosts.map((h) => h.macs.map((m) => macSeen.get(`${h.ip}|${m}`) ?? NO_FRAME)),
    hosts.map((h) => hostFirst.get(h.ip) ?? [NO_FRAME, 0, 0]),
  );
  if (streaming) await sink.chunk!(NO_FRAME);
  const summary = { ...result.summary, hosts: hosts.length };
  return {
    summary,
    appProblems: result.appProblems ?? [],
    names: result.names,
    flows: summary.flows,
    hosts: hosts.length,
  };
}
