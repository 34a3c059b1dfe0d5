/**
 * One ingest job: reads a whole capture (every job reads every packet, so decoding, the capture clock and
 * idle expiry are the same as in a single reader) but accounts only the layers whose conversation falls
 * in the job's hash range (conversation-hash.ts). It emits the packet index rows whose naming conversation
 * is its own, its flows with where each started (frame, IP layer: the order a single reader numbers flows
 * in), and its partial host rows with the frame where each MAC was first seen.
 *
 * The flow Analysis has no per-layer hook yet: the job wraps the instance's layer accounting methods.
 * A change there fails loudly here (and the queue-vs-single import test compares every row).
 */
import { PcaplensError } from '../../shared/errors.js';
import type { Problem } from '../../shared/problem.js';
import type { CaptureSummary, FlowRow, HostRow } from '../../shared/rows.js';
import type { PacketIndexInput } from '../../shared/store-rows.js';
import { isoTime, toSeconds } from '../../shared/time.js';
import { FRAG_PENDING, type NetLayer, type Packet } from '../../dissect/dissector.js';
import { PROTO_NAMES } from '../../dissect/proto-ids.js';
import { Analysis } from '../../flow/analysis.js';
import type { FlowState } from '../../flow/flow-state.js';
import { u32be } from '../../wire/byte-view.js';
import { macNumber, macNumberToString, wordsToString } from '../../flow/addr-words.js';
import { mergeReaders } from '../../wire/merge.js';
import { openCapture } from '../../wire/open.js';
import { READ_END, READ_NEED_MORE, READ_RECORD, type CaptureReader } from '../../wire/reader.js';
import { PacketRecord } from '../../wire/record.js';
import type { ByteSource } from '../../wire/source.js';
import { AppRun, type AppTable } from '../app-run.js';
import type { ResolvedName } from '../../wire/reader.js';
import { FileStats, type FileInfo } from '../file-stats.js';
import { openFileSource } from '../sources/file-source.js';
import { jobOf, l2Hash, layerHash } from './conversation-hash.js';

export interface RangeSink {
  packets(rows: PacketIndexInput[]): Promise<void>;
  flows(rows: FlowRow[], first: { n: number; layer: number }[], endKeys: number[][]): Promise<void>;
  /** application rows with the key that orders them as a single reader emits them */
  app(table: AppTable, rows: unknown[], keys: number[][]): Promise<void>;
  hosts(rows: HostRow[], macFirst: number[][]): Promise<void>;
}

export interface RangeOptions {
  job: number;
  jobs: number;
  /** rows per batch handed to the sink (default 20 000) */
  batch?: number;
  signal?: AbortSignal;
  /** bytes read so far of the total, now and then */
  onProgress?: (read: number, total: number) => void;
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

type Accounting = {
  accountLayer(p: Packet, l: NetLayer, rec: PacketRecord): void;
  accountL2(p: Packet, rec: PacketRecord): void;
};

export async function analyzeRange(paths: string[], sink: RangeSink, o: RangeOptions): Promise<RangeResult> {
  const { job, jobs } = o;
  const batch = o.batch ?? 20_000;
  const opened: { source: ByteSource; reader: CaptureReader }[] = [];
  const infos: FileInfo[] = paths.map((name) => ({
    name,
    format: 'unknown',
    linkTypes: [],
    size: -1,
    problems: [],
  }));
  try {
    for (let i = 0; i < paths.length; i++) {
      const source = await openFileSource(paths[i]!);
      try {
        opened.push({ source, reader: await openCapture(source) });
      } catch (e) {
        await source.close().catch(() => undefined);
        throw e;
      }
      infos[i]!.size = source.size;
    }

    let n = 0;
    let flowId: number | null = null;
    let topProto = -1;
    let ownerJob = 0;
    let current: Packet | null = null;
    const packets: PacketIndexInput[] = [];
    const flows: FlowRow[] = [];
    const firsts = new Map<number, { n: number; layer: number }>();
    const seen = [new WeakSet<FlowState>(), new WeakSet<FlowState>()] as const;
    const macSeen = new Map<string, number>();
    // where rows are emitted, to order them across jobs as one reader would: the frame being read, then
    // flow ends before the layers (idle expiry, least recently used first), then per IP layer its flow end
    // and its rows; at the end of input, flows end least recently used first
    let curLayer = -1;
    let ending: FlowState | null = null;
    let jseq = 0;
    const lastTouch = new Map<number, [number, number]>();
    const endKeys = new Map<number, number[]>();
    const keyNow = (): number[] => {
      const nEmit = n + 1;
      if (ending !== null) {
        if (curLayer < 0) {
          const lt = lastTouch.get(ending.id) ?? [0, 0];
          return [nEmit, 0, lt[0], lt[1], jseq++];
        }
        return [nEmit, 1, curLayer, 0, jseq++];
      }
      return [nEmit, 1, Math.max(0, curLayer), 1, jseq++];
    };
    const appRows = new Map<AppTable, { rows: unknown[]; keys: number[][] }>();
    let appCount = 0;
    const w = new Uint32Array(4);
    const sourceIp = (l: NetLayer): string => {
      w.fill(0);
      if (l.version === 4) w[3] = l.src4;
      else for (let i = 0; i < 4; i++) w[i] = u32be(l.buf, l.srcOff + 4 * i);
      return wordsToString(w, l.version);
    };
    const noteMac = (ip: string, mac: number) => {
      const k = `${ip}|${macNumberToString(mac)}`;
      if (!macSeen.has(k)) macSeen.set(k, n + 1);
    };

    // the application layer runs as in a single reader (it confirms app_source); its rows are not kept yet,
    // as the single-process import keeps none
    const app = new AppRun((table, row) => {
      let b = appRows.get(table);
      if (!b) appRows.set(table, (b = { rows: [], keys: [] }));
      b.rows.push(row);
      b.keys.push(keyNow());
      appCount++;
    }, undefined);
    const appEnd = app.onFlowEnd(undefined);
    const analysis = new Analysis({
      onFlow: (r) => {
        flows.push(r);
        lastTouch.delete(r.id);
      },
      onFlowEnd: (f, row) => {
        ending = f;
        endKeys.set(f.id, keyNow());
        appEnd(f, row);
        ending = null;
      },
      onPacket: app.onPacket((pkt, flow, dir, _rec, l) => {
        if (flow) {
          flowId = flow.id;
          lastTouch.set(flow.id, [n + 1, Math.max(0, curLayer)]);
          if (!seen[dir].has(flow)) {
            seen[dir].add(flow);
            if (!seen[1 - dir]!.has(flow)) {
              let layer = 0;
              if (l) for (let i = 0; i < pkt.layerCount; i++) if (pkt.layers[i] === l) layer = i;
              firsts.set(flow.id, { n: n + 1, layer });
            }
            // the sender's first packet on this flow is where the host table notes its MAC
            if (l && l.srcMacOff >= 0) noteMac(sourceIp(l), macNumber(l.macBuf, l.srcMacOff));
          }
        } else if (l && l.frag === FRAG_PENDING && l.srcMacOff >= 0) {
          noteMac(sourceIp(l), macNumber(l.macBuf, l.srcMacOff));
        }
        if (pkt.protoCount > 0) topProto = pkt.protoList[pkt.protoCount - 1]!;
      }),
      fileNames: paths,
    });
    const acc = analysis as unknown as Accounting;
    const layerOf = acc.accountLayer;
    const l2Of = acc.accountL2;
    if (typeof layerOf !== 'function' || typeof l2Of !== 'function')
      throw new PcaplensError(
        'E_STORE',
        'distributed ingest: the flow Analysis no longer has accountLayer/accountL2',
      );
    acc.accountLayer = function (p, l, rec) {
      current = p;
      // the innermost layer with a conversation names the packet (pending fragments have none)
      if (l.frag !== FRAG_PENDING) ownerJob = jobOf(layerHash(l), jobs);
      if (jobOf(layerHash(l), jobs) !== job) return;
      curLayer = 0;
      for (let i = 0; i < p.layerCount; i++) if (p.layers[i] === l) curLayer = i;
      try {
        layerOf.call(this, p, l, rec);
      } finally {
        curLayer = -1;
      }
    };
    acc.accountL2 = function (p, rec) {
      current = p;
      if (p.srcMacOff >= 0 && p.dstMacOff >= 0) ownerJob = jobOf(l2Hash(p), jobs);
      if (jobOf(l2Hash(p), jobs) !== job) return;
      curLayer = 0;
      try {
        l2Of.call(this, p, rec);
      } finally {
        curLayer = -1;
      }
    };

    const stats = new FileStats(paths.length);
    const reader = opened.length === 1 ? opened[0]!.reader : mergeReaders(opened.map((x) => x.reader));
    const total = opened.reduce((s, x) => s + Math.max(0, x.source.size), 0);
    const consumed = () => opened.reduce((s, x) => s + x.source.consumed, 0);
    const rec = new PacketRecord();
    const flush = async (all: boolean) => {
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
    let count = 0;
    for (;;) {
      const s = reader.read(rec);
      if (s === READ_RECORD) {
        ownerJob = 0;
        current = null;
        stats.add(rec);
        analysis.addPacket(rec);
        n++;
        if (ownerJob === job) {
          if (topProto < 0 && current !== null) {
            const p: Packet = current;
            if (p.protoCount > 0) topProto = p.protoList[p.protoCount - 1]!;
          }
          packets.push({
            n,
            ts: isoTime(rec.tsSec, rec.tsNsec),
            file_index: rec.fileIndex,
            file_offset: rec.dataOffset,
            caplen: rec.caplen,
            len: rec.len,
            flow_id: flowId,
            protocol: topProto >= 0 ? (PROTO_NAMES[topProto] ?? null) : null,
          });
        }
        flowId = null;
        topProto = -1;
        if (++count % 4096 === 0) o.signal?.throwIfAborted();
      } else if (s === READ_NEED_MORE) {
        await reader.fill();
        o.signal?.throwIfAborted();
        o.onProgress?.(consumed(), total);
        if (packets.length >= batch || flows.length >= batch || appCount >= batch) await flush(false);
      } else if (s === READ_END) break;
    }
    const result = analysis.finish();
    flows.push(...result.flows);
    await flush(true);
    const hosts = result.hosts;
    await sink.hosts(
      hosts,
      hosts.map((h) => h.macs.map((m) => macSeen.get(`${h.ip}|${m}`) ?? Number.MAX_SAFE_INTEGER)),
    );
    o.onProgress?.(consumed(), total);

    for (let i = 0; i < opened.length; i++) {
      const x = opened[i]!;
      const info = infos[i]!;
      info.format = x.reader.format + (x.reader.compressed || x.source.compressed ? '+gzip' : '');
      info.linkTypes = [...new Set(x.reader.interfaces.map((itf) => itf.linkType))];
      for (const p of x.reader.problems) info.problems.push({ ...p, file: info.name });
    }
    for (const p of result.problems) (infos.find((i) => i.name === p.file) ?? infos[0]!).problems.push(p);
    const files = infos.map((info, i) => stats.fileSummary(i, info));
    const span = stats.span();
    const summary: CaptureSummary = {
      files,
      packets: n,
      bytes: files.reduce((s, f) => s + f.bytes, 0),
      bytes_captured: stats.bytesCaptured.reduce((s, v) => s + v, 0),
      first_ts: span ? isoTime(span.first[0], span.first[1]) : null,
      last_ts: span ? isoTime(span.last[0], span.last[1]) : null,
      duration: span ? toSeconds(span.last[0] - span.first[0], span.last[1] - span.first[1]) : 0,
      protocols: result.protocols,
      flows: analysis.flowCount,
      hosts: hosts.length,
      problems: files.flatMap((f) => f.problems),
    };
    return {
      summary,
      appProblems: app.problems(paths),
      names: opened.flatMap((x) => x.reader.names),
      flows: analysis.flowCount,
      hosts: hosts.length,
    };
  } finally {
    for (const x of opened) await x.reader.close().catch(() => undefined);
  }
}
