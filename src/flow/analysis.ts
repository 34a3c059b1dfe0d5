/**
 * The engine's entry to decoding and conversation accounting: one Analysis per run, fed every record in
 * capture order. Per packet it decodes into one reused Packet, counts protocols, updates hosts and one
 * flow per IP header (tunnel outer and inner both, as tshark's conversation tables do), then calls the
 * onPacket hook for the layers above (TCP reassembly, app parsers). Memory is bounded by live flows:
 * idle flows and flows over `maxFlows` are finished and emitted through onFlow.
 */
import type { Problem } from '../shared/problem.js';
import type { FlowRow, HostRow } from '../shared/rows.js';
import { isoTime } from '../shared/time.js';
import type { PacketRecord } from '../wire/record.js';
import type { NetLayer } from '../dissect/dissector.js';
import {
  FRAG_PENDING,
  L4_ICMP,
  L4_ICMPV6,
  L4_TCP,
  L4_UDP,
  Packet,
  STATUS_MALFORMED,
  STATUS_TRUNCATED,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
} from '../dissect/dissector.js';
import { decodeFrame } from '../dissect/decode-packet.js';
import { PROTO_NAMES, P_COUNT } from '../dissect/proto-ids.js';
import {
  appNames,
  tcpHeuristics,
  tcpPortApp,
  udpHeuristics,
  udpPortApp,
  udpPortDecoders,
} from '../dissect/tables.js';
import { LINKTYPE_ETHERNET } from '../wire/link-types.js';
import { u32be } from '../wire/byte-view.js';
import { Defragmenter, type DropReason, type FragmentLimits } from './defrag.js';
import { FlowKey, v4PortSig } from './flow-key.js';
import { CLS_COUNT, CLS_TCP_CLOSED, timeoutTable, type FlowTimeouts } from './flow-timeouts.js';
import {
  FlowState,
  TCPS_CLOSED,
  TCPS_ESTABLISHED,
  TCPS_FIN,
  TCPS_NONE,
  TCPS_RESET,
  TCPS_SYN,
  TCPS_SYN_ACK,
} from './flow-state.js';
import { FlowTable } from './flow-table.js';
import { flowRow } from './flow-row.js';
import { DEFAULT_MAX_HOSTS, HostTable, type HostState } from './hosts.js';
import { macNumber } from './addr-words.js';

export interface AnalysisOptions {
  /**
   * idle timeouts per conversation state (capture time), defaults and reasons in flow-timeouts.ts; a flow
   * without packets for its state's timeout is finished
   */
  timeouts?: Partial<FlowTimeouts>;
  /** caps every timeout of `timeouts` (seconds) */
  idleTimeoutSec?: number;
  /**
   * keep the host table (result.hosts; default true). Without it no per-host state is kept at all: for
   * callers that want only flows, memory is then bounded by live flows alone.
   */
  hosts?: boolean;
  /** live flows at most; the least recently active is finished first; default 500 000 */
  maxFlows?: number;
  /** addresses in the host table at most (default 1 000 000); past it the quietest are dropped, as a problem */
  maxHosts?: number;
  /** finished flows go here instead of being kept for finish() */
  onFlow?: (row: FlowRow) => void;
  /**
   * finished flows go here as their state instead (no row is built, onFlow is not called; onFlowEnd is, after
   * this, with no row): for a caller that builds the rows elsewhere (FlowState.saveTo, another thread). It must
   * not keep `flow`.
   */
  onFlowState?: (flow: FlowState) => void;
  /**
   * called for each finished flow after its row was built and before it is emitted (the application layer
   * emits the flow's last rows here); row is null when flows go out as their state (onFlowState)
   */
  onFlowEnd?: (flow: FlowState, row: FlowRow | null) => void;
  /**
   * called when a flow is created, with the record and the index of its IP layer in the packet (0 for a frame
   * without IP). Unlike onPacket and onFlowEnd it keeps finished flow objects reusable, so it must not hold
   * on to `flow`. A byte-range split run (engine/parallel/range-split.ts) places the flows it creates with it.
   */
  onFlowStart?: (flow: FlowState, rec: PacketRecord, layerIndex: number) => void;
  /**
   * called per packet and IP layer after accounting (flow is null for a fragment still waiting for the
   * rest of its datagram, and for frames without IP where no MAC pair is known)
   */
  onPacket?: (
    pkt: Packet,
    flow: FlowState | null,
    dir: 0 | 1,
    rec: PacketRecord,
    layer: NetLayer | null,
  ) => void;
  /**
   * decides per IP layer (index in pkt.layers) or, for a frame without IP, per frame (layer null) whether it
   * is accounted: flows, hosts, onPacket. Decoding, protocol counts, the capture clock and idle expiry happen
   * for every record regardless. Sharded runs (worker threads, distributed jobs) read every record and accept
   * only the layers whose symmetric endpoint hash is theirs, so a conversation is counted by one shard only.
   */
  acceptLayer?: (pkt: Packet, layer: NetLayer | null, index: number) => boolean;
  fragmentLimits?: FragmentLimits;
  /** display names of the input files by PacketRecord.fileIndex, for problems */
  fileNames?: readonly string[];
}

export interface AnalysisStats {
  /** frames whose decoding stopped at a header cut by the snaplen */
  truncated: number;
  /** frames with a self-contradicting header */
  malformed: number;
  fragmentsReassembled: number;
  fragmentDrops: Record<DropReason, number>;
  /** flows finished early because of maxFlows */
  flowsEvicted: number;
}

export interface AnalysisResult {
  flows: FlowRow[];
  hosts: HostRow[];
  /** frames containing each protocol (names in dissect/proto-ids.ts), non-zero only */
  protocols: Record<string, number>;
  packets: number;
  bytes: number;
  bytesCaptured: number;
  firstTs: string | null;
  lastTs: string | null;
  problems: Problem[];
  stats: AnalysisStats;
}

/**
 * What one part of a byte-range split run (engine/parallel/range-split.ts) counted besides its flows, handed
 * from the thread that read the later part to the one that read the earlier part (Analysis.part/absorb).
 * Plain data: it crosses threads.
 */
export interface AnalysisPart {
  counts: number[];
  packets: number;
  bytes: number;
  bytesCaptured: number;
  firstSec: number;
  firstNsec: number;
  lastSec: number;
  lastNsec: number;
  truncated: number;
  malformed: number;
  evicted: number;
  fragCompleted: number;
  fragDrops: Record<DropReason, number>;
  unknownLink: [number, FirstSeen][];
  fragDropsSeen: [DropReason, FirstSeen][];
}

/** The capture clock where the first part of a split run ends (Analysis.beginTail). */
export interface CutClock {
  clock: number;
  jumpPending: boolean;
}

export interface FirstSeen {
  fileIndex: number;
  offset: number;
  packet: number;
  count: number;
  linkType: number;
}

const HEURISTIC_TRIES = 4;
/** finished flow objects kept for reuse at most (~20 MB) */
const MAX_POOL = 65536;
const CLOCK_JUMP_SEC = 86400;
/** 2^22 bits (512 KiB): ~1 % of records past the cut hit a bit of another key at 40 k live keys */
const TAIL_SIG_MASK = (1 << 22) - 1;

export class Analysis {
  private readonly pkt = new Packet();
  private readonly key = new FlowKey();
  private readonly table = new FlowTable();
  private readonly hostTable: HostTable;
  private readonly defrag: Defragmenter;
  private readonly counts = new Float64Array(P_COUNT);
  private readonly done: FlowRow[] = [];
  private readonly timeouts: Float64Array;
  private readonly keepHosts: boolean;
  /**
   * finished flows' objects, reused for new flows when no hook (onPacket, onFlowEnd) could have kept a
   * reference: then dead flows never reach the garbage collector's old generation
   */
  private readonly pool: FlowState[] | null;
  private readonly maxFlows: number;
  private readonly opts: AnalysisOptions;
  private nextId = 1;
  private packets = 0;
  private bytes = 0;
  private bytesCaptured = 0;
  private firstSec = -1;
  private firstNsec = 0;
  private lastSec = -1;
  private lastNsec = 0;
  private truncated = 0;
  private malformed = 0;
  private evicted = 0;
  private readonly unknownLink = new Map<number, FirstSeen>();
  private readonly fragDrops = new Map<DropReason, FirstSeen>();
  /** where the host table first hit maxHosts */
  private hostEviction: FirstSeen | null = null;
  private rec: PacketRecord | null = null;
  /** index in pkt.layers of the layer being accounted (0 for a frame without IP) */
  private layerIndex = 0;
  private clock = -1;
  private jumpPending = false;
  /**
   * Byte-range split, first part, past the cut (beginTail): only the conversations live at the cut are
   * accounted, until each has been silent longer than any timeout. `ghosts` holds such conversations' finished
   * flows while their silence lasts; `givenUp` holds the flow of each key given up (not reused) and `givenUpAt`
   * the file offset of the record where that happened.
   */
  private tail = false;
  private ghosts: FlowTable | null = null;
  /**
   * bits set at v4PortSig & TAIL_SIG_MASK of the IPv4 TCP/UDP keys live at the cut: a record whose endpoints
   * hit no set bit is not decoded (a hit may be another key's: that record is decoded and looked up)
   */
  private tailSigs: Uint8Array | null = null;
  private ghostSec = 0;
  private readonly givenUp = new FlowTable();
  private readonly givenUpAt = new Map<FlowState, number>();
  private tailFrag: { completed: number; drops: Record<DropReason, number> } | null = null;

  constructor(opts: AnalysisOptions = {}) {
    this.opts = opts;
    this.timeouts = timeoutTable(opts.timeouts, opts.idleTimeoutSec);
    this.keepHosts = opts.hosts !== false;
    this.hostTable = new HostTable(opts.maxHosts);
    this.hostTable.onEvict = () => {
      const rec = this.rec;
      this.hostEviction ??= {
        fileIndex: rec?.fileIndex ?? 0,
        offset: rec?.fileOffset ?? 0,
        packet: rec?.n ?? 0,
        count: 0,
        linkType: rec?.linkType ?? 0,
      };
    };
    this.pool = opts.onPacket || opts.onFlowEnd ? null : [];
    this.maxFlows = Math.max(1, opts.maxFlows ?? 500_000);
    this.defrag = new Defragmenter(opts.fragmentLimits);
    this.defrag.onDrop = (r) => this.noteDrop(r);
    this.pkt.defrag = this.defrag;
  }

  /** flows created so far (finished or live) */
  get flowCount(): number {
    return this.nextId - 1;
  }

  /** Decodes and accounts one record. Never throws on packet bytes. */
  addPacket(rec: PacketRecord): void {
    if (this.tail) {
      this.tailPacket(rec);
      return;
    }
    const p = this.pkt;
    this.rec = rec;
    this.packets++;
    this.bytes += rec.len;
    this.bytesCaptured += rec.caplen;
    if (this.firstSec < 0) {
      this.firstSec = rec.tsSec;
      this.firstNsec = rec.tsNsec;
    }
    this.lastSec = rec.tsSec;
    this.lastNsec = rec.tsNsec;
    p.tsSec = rec.tsSec;
    p.tsNsec = rec.tsNsec;
    if (!decodeFrame(p, rec.linkType, rec.buf, rec.off, rec.caplen, rec.len)) this.noteLinkType(rec);
    for (let i = 0; i < p.protoCount; i++) this.counts[p.protoList[i]!]!++;
    if (p.status === STATUS_TRUNCATED) this.truncated++;
    else if (p.status === STATUS_MALFORMED) this.malformed++;
    if (this.advanceClock(rec.tsSec)) this.expireIdle(this.clock);
    const accept = this.opts.acceptLayer;
    if (p.layerCount === 0) {
      this.layerIndex = 0;
      if (accept === undefined || accept(p, null, 0)) this.accountL2(p, rec);
      return;
    }
    for (let i = 0; i < p.layerCount; i++) {
      const l = p.layers[i]!;
      this.layerIndex = i;
      if (accept === undefined || accept(p, l, i)) this.accountLayer(p, l, rec);
    }
  }

  /**
   * Byte-range split (engine/parallel/range-split.ts): called by the run of the first part when it reaches the
   * cut. From then on records are not counted (the other part counts them); only the conversations live now
   * keep being accounted, exactly as one reader would, until each has been silent for longer than any timeout
   * (then the other part's view of that key agrees with one reader's: no live flow); see tailKeys(). False when
   * the state at the cut cannot be handed over exactly (IP fragments waiting for the rest of their datagram, a
   * pending clock jump, evicted flows): the caller then reads on as one reader.
   */
  beginTail(): boolean {
    if (this.defrag.pending > 0 || this.jumpPending || this.evicted > 0) return false;
    const sigs = new Uint8Array((TAIL_SIG_MASK + 1) >>> 3);
    for (const f of this.table.values()) {
      const h = f.v4PortSig() & TAIL_SIG_MASK;
      sigs[h >>> 3]! |= 1 << (h & 7);
    }
    this.tailSigs = sigs;
    this.tail = true;
    this.ghosts = new FlowTable();
    let max = 0;
    for (let c = 0; c < CLS_COUNT; c++) max = Math.max(max, this.timeouts[c]!);
    this.ghostSec = max + 1;
    this.tailFrag = { completed: this.defrag.completed, drops: { ...this.defrag.drops } };
    return true;
  }

  /** The capture clock now: where a split run's second part must start from to agree with one reader. */
  cutClock(): CutClock {
    return { clock: this.clock, jumpPending: this.jumpPending };
  }

  /** Past the cut, every conversation of the first part is over: the rest of the input is the other part's. */
  get tailOver(): boolean {
    return this.tail && this.table.size === 0 && this.ghosts!.size === 0;
  }

  /**
   * For a key (after finish()): the file offset of the record where it was given up, Infinity when it was live
   * at the cut and stayed this part's to the end, -1 when it was not live at the cut.
   */
  tailKeyEnd(key: FlowKey): number {
    const g = this.givenUp.get(key);
    if (g !== null) return this.givenUpAt.get(g)!;
    return this.ghosts?.get(key) != null || this.table.get(key) !== null ? Infinity : -1;
  }

  /** What this run counted besides flows, for absorb() in the run of the earlier part. */
  part(): AnalysisPart {
    return {
      counts: Array.from(this.counts),
      packets: this.packets,
      bytes: this.bytes,
      bytesCaptured: this.bytesCaptured,
      firstSec: this.firstSec,
      firstNsec: this.firstNsec,
      lastSec: this.lastSec,
      lastNsec: this.lastNsec,
      truncated: this.truncated,
      malformed: this.malformed,
      evicted: this.evicted,
      fragCompleted: this.defrag.completed,
      fragDrops: { ...this.defrag.drops },
      unknownLink: [...this.unknownLink],
      fragDropsSeen: [...this.fragDrops],
    };
  }

  /**
   * Adds the later part's counts (before finish()): packet numbers in it are shifted by `packetDelta` (the
   * records of this part); its offsets are file offsets already.
   */
  absorb(o: AnalysisPart, packetDelta: number): void {
    for (let i = 0; i < P_COUNT; i++) this.counts[i]! += o.counts[i] ?? 0;
    this.packets += o.packets;
    this.bytes += o.bytes;
    this.bytesCaptured += o.bytesCaptured;
    if (o.packets > 0) {
      if (this.firstSec < 0) {
        this.firstSec = o.firstSec;
        this.firstNsec = o.firstNsec;
      }
      this.lastSec = o.lastSec;
      this.lastNsec = o.lastNsec;
    }
    this.truncated += o.truncated;
    this.malformed += o.malformed;
    this.evicted += o.evicted;
    const frag = this.tailFrag ?? { completed: this.defrag.completed, drops: { ...this.defrag.drops } };
    frag.completed += o.fragCompleted;
    for (const r of Object.keys(frag.drops) as DropReason[]) frag.drops[r] += o.fragDrops[r] ?? 0;
    this.tailFrag = frag;
    const merge = <K>(into: Map<K, FirstSeen>, from: [K, FirstSeen][]) => {
      for (const [k, e] of from) {
        const mine = into.get(k);
        if (mine) mine.count += e.count;
        else into.set(k, { ...e, packet: e.packet + packetDelta });
      }
    };
    merge(this.unknownLink, o.unknownLink);
    merge(this.fragDrops, o.fragDropsSeen);
  }

  /** Finishes every live flow and returns the totals (flows already given to onFlow are not repeated). */
  finish(): AnalysisResult {
    for (let f = this.table.oldest(); f !== null; f = this.table.oldest()) this.finishFlow(f);
    this.done.sort((a, b) => a.id - b.id);
    const protocols: Record<string, number> = {};
    for (let i = 0; i < P_COUNT; i++) if (this.counts[i]! > 0) protocols[PROTO_NAMES[i]!] = this.counts[i]!;
    return {
      flows: this.done.splice(0),
      hosts: this.hostTable.rows(),
      protocols,
      packets: this.packets,
      bytes: this.bytes,
      bytesCaptured: this.bytesCaptured,
      firstTs: this.firstSec >= 0 ? isoTime(this.firstSec, this.firstNsec) : null,
      lastTs: this.lastSec >= 0 ? isoTime(this.lastSec, this.lastNsec) : null,
      problems: this.problems(),
      stats: {
        truncated: this.truncated,
        malformed: this.malformed,
        fragmentsReassembled: this.tailFrag?.completed ?? this.defrag.completed,
        fragmentDrops: { ...(this.tailFrag?.drops ?? this.defrag.drops) },
        flowsEvicted: this.evicted,
      },
    };
  }

  private accountLayer(p: Packet, l: NetLayer, rec: PacketRecord): void {
    const sec = rec.tsSec;
    const nsec = rec.tsNsec;
    const hosts = this.keepHosts;
    // tshark puts a fragment in the transport conversation only once its datagram is complete
    if (l.frag === FRAG_PENDING) {
      if (hosts) {
        const hs = this.hostTable.ip(l, 0, sec, nsec);
        const hd = this.hostTable.ip(l, 1, sec, nsec);
        this.countHosts(hs, hd, rec.len);
        hs.noteTtl(l.ttl);
        if (hs !== hd) this.hostTable.addPeers(hs, hd);
        if (l.srcMacOff >= 0) hs.addMac(macNumber(l.macBuf, l.srcMacOff));
      }
      this.opts.onPacket?.(p, null, 0, rec, l);
      return;
    }
    const key = this.key;
    if (l.tcpShort && (l.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN) this.shortSyn(l);
    key.fromLayer(l);
    let f = this.table.get(key);
    if (f !== null && l.l4 === L4_TCP && (l.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN) {
      // Wireshark starts a new tcp.stream when a SYN's sequence number differs from the base sequence
      // number of its direction (a reused 4-tuple); a retransmitted SYN keeps the same stream
      const d = f.dirOf(key);
      if (f.baseSeqSet(d) && f.baseSeq(d) !== l.tcpSeq) {
        this.finishFlow(f);
        f = null;
      }
    }
    if (f === null) f = this.newFlow(key, l, rec);
    else this.table.touch(f);
    const dir = f.dirOf(key);
    const len = rec.len;
    if (dir === 0) {
      f.packetsFwd++;
      f.bytesFwd += len;
    } else {
      f.packetsRev++;
      f.bytesRev += len;
    }
    f.lastSec = sec;
    f.lastNsec = nsec;
    if (hosts) {
      // the flow holds its two hosts: no host look-up per packet
      const hs = (dir === 0 ? f.srcHost : f.dstHost)!;
      const hd = (dir === 0 ? f.dstHost : f.srcHost)!;
      hs.touch(sec, nsec);
      hd.touch(sec, nsec);
      this.countHosts(hs, hd, len);
      hs.noteTtl(l.ttl);
      if ((dir === 0 ? f.packetsFwd : f.packetsRev) === 1 && l.srcMacOff >= 0) {
        hs.addMac(macNumber(l.macBuf, l.srcMacOff));
      }
      if (l.l4 === L4_UDP && dir === 1 && !f.serverPortNoted) {
        f.serverPortNoted = true;
        hs.addServerPort(l.srcPort);
      }
    }
    if (l.l4 === L4_TCP) this.tcpUpdate(f, l, dir);
    if (f.heuristicTries < HEURISTIC_TRIES && l.payloadLen > 0) {
      if (f.app === null) this.heuristics(f, l);
      else if (f.appSource === 'port') this.confirmPort(f, l);
    }
    this.opts.onPacket?.(p, f, dir, rec, l);
  }

  /** A record past the cut (beginTail): the clock moves, only the conversations of the first part count. */
  private tailPacket(rec: PacketRecord): void {
    const p = this.pkt;
    this.rec = rec;
    if (this.advanceClock(rec.tsSec)) {
      this.expireIdle(this.clock);
      this.sweepGhosts(this.clock, rec.fileOffset);
    }
    if (this.notMine(rec)) return;
    p.tsSec = rec.tsSec;
    p.tsNsec = rec.tsNsec;
    decodeFrame(p, rec.linkType, rec.buf, rec.off, rec.caplen, rec.len);
    const key = this.key;
    if (p.layerCount === 0) {
      if (p.srcMacOff < 0 || p.dstMacOff < 0) return;
      key.fromMacs(p.macBuf, p.srcMacOff, p.dstMacOff, p.etherType < 0 ? 0 : p.etherType);
      this.layerIndex = 0;
      if (this.tailMember(key)) this.accountL2(p, rec);
      return;
    }
    for (let i = 0; i < p.layerCount; i++) {
      const l = p.layers[i]!;
      if (l.frag === FRAG_PENDING) continue;
      this.layerIndex = i;
      // a short SYN can end a live conversation of another key (its TCP key): the first part's to end
      if (l.tcpShort && (l.tcpFlags & (TCP_SYN | TCP_ACK)) === TCP_SYN) this.shortSyn(l);
      key.fromLayer(l);
      if (this.tailMember(key)) this.accountLayer(p, l, rec);
    }
  }

  /**
   * Past the cut, most records belong to conversations of the other part: an Ethernet frame with a whole,
   * unfragmented IPv4 TCP or UDP header (not a tunnel port) is exactly one IP layer with that key, so when its
   * endpoints give no signature of a key live at the cut it is skipped undecoded. Anything else is decoded.
   */
  private notMine(rec: PacketRecord): boolean {
    if (rec.linkType !== LINKTYPE_ETHERNET) return false;
    const b = rec.buf;
    const o = rec.off;
    const cap = rec.caplen;
    if (cap < 14 + 20 + 20 || b[o + 12] !== 0x08 || b[o + 13] !== 0x00) return false;
    const ip = o + 14;
    const vihl = b[ip]!;
    const ihl = (vihl & 15) * 4;
    if (vihl >> 4 !== 4 || ihl < 20 || ((b[ip + 6]! << 8) | b[ip + 7]!) & 0x3fff) return false;
    const total = (b[ip + 2]! << 8) | b[ip + 3]!;
    const proto = b[ip + 9]!;
    const l4 = ip + ihl;
    let need: number;
    if (proto === 6) need = l4 + 20 > o + cap ? Infinity : Math.max(20, (b[l4 + 12]! >> 4) * 4);
    else if (proto === 17) need = 8;
    else return false;
    if (ihl + need > total || 14 + total > cap) return false;
    const sp = (b[l4]! << 8) | b[l4 + 1]!;
    const dp = (b[l4 + 2]! << 8) | b[l4 + 3]!;
    if (proto === 17 && (udpPortDecoders[sp] !== undefined || udpPortDecoders[dp] !== undefined))
      return false;
    const s = u32be(b, ip + 12);
    const d = u32be(b, ip + 16);
    const sig =
      (s < d || (s === d && sp <= dp) ? v4PortSig(s, d, sp, dp, proto) : v4PortSig(d, s, dp, sp, proto)) &
      TAIL_SIG_MASK;
    return (this.tailSigs![sig >>> 3]! & (1 << (sig & 7))) === 0;
  }

  /** The key is still the first part's: live here, or finished but not yet silent past every timeout. */
  private tailMember(key: FlowKey): boolean {
    if (this.table.get(key) !== null) return true;
    const g = this.ghosts!.get(key);
    if (g === null) return false;
    // its next flow starts with this packet, as in one reader
    this.ghosts!.remove(g);
    this.recycle(g);
    return true;
  }

  /** Gives up the keys silent for longer than any timeout: no reader has a live flow for them any more. */
  private sweepGhosts(now: number, offset: number): void {
    const g = this.ghosts!;
    const limit = now - this.ghostSec;
    for (let c = 0; c < CLS_COUNT; c++) {
      // finish order, not strictly by last packet: a later entry waits for an earlier one, which only delays
      for (let f = g.oldestOf(c); f !== null && f.lastSec < limit; f = g.oldestOf(c)) {
        g.remove(f);
        this.givenUp.add(f);
        this.givenUpAt.set(f, offset);
      }
    }
  }

  private recycle(f: FlowState): void {
    if (this.pool !== null && this.pool.length < MAX_POOL) this.pool.push(f);
  }

  private countHosts(hs: HostState, hd: HostState, len: number): void {
    hs.packetsSent++;
    hs.bytesSent += len;
    hd.packetsRecv++;
    hd.bytesRecv += len;
  }

  /**
   * A SYN whose TCP header runs past the segment is not counted in a TCP conversation, but tshark still
   * starts a new tcp.stream for it when it reuses a 4-tuple (fuzzed-be-wireshark-2006.pcap): finish the old one.
   */
  private shortSyn(l: NetLayer): void {
    const l4 = l.l4;
    l.l4 = L4_TCP;
    this.key.fromLayer(l);
    l.l4 = l4;
    const f = this.table.get(this.key);
    if (f === null) return;
    const d = f.dirOf(this.key);
    if (f.baseSeqSet(d) && f.baseSeq(d) !== l.tcpSeq) this.finishFlow(f);
  }

  /** Makes room under maxFlows by finishing the least recently active flow. */
  private evictIfFull(): void {
    if (this.table.size < this.maxFlows) return;
    const old = this.table.oldest();
    if (old !== null) {
      this.evicted++;
      this.finishFlow(old);
    }
  }

  private newFlow(key: FlowKey, l: NetLayer, rec: PacketRecord): FlowState {
    this.evictIfFull();
    const f = this.flowState(key);
    f.firstSec = rec.tsSec;
    f.firstNsec = rec.tsNsec;
    f.tunnelDepth = l.tunnelDepth;
    f.vlan = l.vlan;
    if (l.srcMacOff >= 0) f.srcMac = macNumber(l.macBuf, l.srcMacOff);
    if (l.dstMacOff >= 0) f.dstMac = macNumber(l.macBuf, l.dstMacOff);
    if (this.keepHosts) {
      const hs = this.hostTable.ip(l, 0, rec.tsSec, rec.tsNsec);
      const hd = this.hostTable.ip(l, 1, rec.tsSec, rec.tsNsec);
      f.srcHost = hs;
      f.dstHost = hd;
      if (hs !== hd) this.hostTable.addPeers(hs, hd);
    }
    if (l.l4 === L4_ICMP || l.l4 === L4_ICMPV6) {
      f.icmpType = l.icmpType;
      f.icmpCode = l.icmpCode;
    }
    if (l.l4 === L4_TCP || l.l4 === L4_UDP) {
      const tab = l.l4 === L4_TCP ? tcpPortApp : udpPortApp;
      // like Wireshark, the lower port is tried first
      const lo = Math.min(l.srcPort, l.dstPort);
      const hi = Math.max(l.srcPort, l.dstPort);
      const app = tab[lo] || tab[hi];
      if (app) {
        f.app = appNames[app]!;
        f.appSource = 'port';
      }
    }
    this.table.add(f);
    this.opts.onFlowStart?.(f, rec, this.layerIndex);
    return f;
  }

  private tcpUpdate(f: FlowState, l: NetLayer, dir: 0 | 1): void {
    const fl = l.tcpFlags;
    const first = f.packetsFwd + f.packetsRev === 1;
    f.tcpFlags |= fl & 0xff;
    if (!f.baseSeqSet(dir)) f.setBaseSeq(dir, fl & TCP_SYN ? l.tcpSeq : (l.tcpSeq - 1) >>> 0);
    const synAck = fl & (TCP_SYN | TCP_ACK);
    if (first && synAck !== TCP_SYN) f.midstream = true;
    if (fl & TCP_RST) f.tcpState = TCPS_RESET;
    else if (synAck === TCP_SYN) {
      if (f.tcpState === TCPS_NONE && !f.midstream) f.tcpState = TCPS_SYN;
    } else if (synAck === (TCP_SYN | TCP_ACK)) {
      if (f.tcpState === TCPS_SYN || f.tcpState === TCPS_NONE) f.tcpState = TCPS_SYN_ACK;
      const responder = dir === 0 ? f.srcHost : f.dstHost;
      responder?.addServerPort(l.srcPort);
    } else if (fl & TCP_ACK && f.tcpState === TCPS_SYN_ACK && dir === 0) f.tcpState = TCPS_ESTABLISHED;
    if (fl & TCP_FIN) {
      f.setFinSeen(dir);
      if (f.tcpState !== TCPS_RESET) f.tcpState = f.finSeen(0) && f.finSeen(1) ? TCPS_CLOSED : TCPS_FIN;
    }
    // over: only the linger keeps it for its last ACK and late retransmissions
    if (f.tcpState === TCPS_CLOSED || f.tcpState === TCPS_RESET) this.table.setClass(f, CLS_TCP_CLOSED);
  }

  /**
   * The content check of the app the port table named: when it agrees, app_source says both. Decided here,
   * not by the application parsers, so a flows-only run and a full run give the same rows.
   */
  private confirmPort(f: FlowState, l: NetLayer): void {
    f.heuristicTries++;
    const list = l.l4 === L4_TCP ? tcpHeuristics : l.l4 === L4_UDP ? udpHeuristics : null;
    if (list === null) return;
    for (let i = 0; i < list.length; i++) {
      const h = list[i]!;
      if (appNames[h.app] === f.app && h.test(l.pbuf, l.payloadOff, l.payloadLen)) {
        f.appSource = 'port+heuristic';
        f.heuristicTries = HEURISTIC_TRIES;
        return;
      }
    }
  }

  private heuristics(f: FlowState, l: NetLayer): void {
    f.heuristicTries++;
    const list = l.l4 === L4_TCP ? tcpHeuristics : l.l4 === L4_UDP ? udpHeuristics : null;
    if (list === null) return;
    for (let i = 0; i < list.length; i++) {
      const h = list[i]!;
      if (h.test(l.pbuf, l.payloadOff, l.payloadLen)) {
        f.app = appNames[h.app]!;
        f.appSource = 'heuristic';
        return;
      }
    }
  }

  private accountL2(p: Packet, rec: PacketRecord): void {
    if (p.srcMacOff < 0 || p.dstMacOff < 0) {
      // a source MAC alone still counts for the host
      if (this.keepHosts && p.srcMacOff >= 0) {
        const hs = this.hostTable.mac(p.macBuf, p.srcMacOff, rec.tsSec, rec.tsNsec);
        hs.packetsSent++;
        hs.bytesSent += rec.len;
      }
      this.opts.onPacket?.(p, null, 0, rec, null);
      return;
    }
    let hs: HostState | null = null;
    let hd: HostState | null = null;
    if (this.keepHosts) {
      hs = this.hostTable.mac(p.macBuf, p.srcMacOff, rec.tsSec, rec.tsNsec);
      hd = this.hostTable.mac(p.macBuf, p.dstMacOff, rec.tsSec, rec.tsNsec);
      this.countHosts(hs, hd, rec.len);
      if (hs !== hd) this.hostTable.addPeers(hs, hd);
    }
    const key = this.key;
    key.fromMacs(p.macBuf, p.srcMacOff, p.dstMacOff, p.etherType < 0 ? 0 : p.etherType);
    let f = this.table.get(key);
    if (f === null) {
      this.evictIfFull();
      f = this.flowState(key);
      f.firstSec = rec.tsSec;
      f.firstNsec = rec.tsNsec;
      f.srcMac = macNumber(p.macBuf, p.srcMacOff);
      f.dstMac = macNumber(p.macBuf, p.dstMacOff);
      f.vlan = p.vlanCount > 0 ? p.vlanIds[p.vlanCount - 1]! : -1;
      f.srcHost = hs;
      f.dstHost = hd;
      this.table.add(f);
      this.opts.onFlowStart?.(f, rec, 0);
    } else this.table.touch(f);
    const dir = f.dirOf(key);
    if (dir === 0) {
      f.packetsFwd++;
      f.bytesFwd += rec.len;
    } else {
      f.packetsRev++;
      f.bytesRev += rec.len;
    }
    f.lastSec = rec.tsSec;
    f.lastNsec = rec.tsNsec;
    this.opts.onPacket?.(p, f, dir, rec, null);
  }

  /**
   * The capture clock that drives idle expiry: the latest timestamp, except that a single packet more than
   * a day ahead of it (a broken or hand-made timestamp, seen in the corpus) does not move it; two in a row do.
   */
  private advanceClock(sec: number): boolean {
    if (this.clock < 0 || sec <= this.clock) {
      if (this.clock < 0) this.clock = sec;
      this.jumpPending = false;
      return false;
    }
    if (sec - this.clock > CLOCK_JUMP_SEC && !this.jumpPending) {
      this.jumpPending = true;
      return false;
    }
    this.jumpPending = false;
    this.clock = sec;
    return true;
  }

  private expireIdle(nowSec: number): void {
    for (let c = 0; c < CLS_COUNT; c++) {
      const limit = nowSec - this.timeouts[c]!;
      for (let f = this.table.oldestOf(c); f !== null && f.lastSec < limit; f = this.table.oldestOf(c)) {
        this.finishFlow(f);
      }
    }
  }

  private flowState(key: FlowKey): FlowState {
    const id = this.nextId++;
    const old = this.pool?.pop();
    return old ? old.reset(id, key) : new FlowState(id, key);
  }

  private finishFlow(f: FlowState): void {
    this.table.remove(f);
    if (this.opts.onFlowState) {
      this.opts.onFlowState(f);
      this.opts.onFlowEnd?.(f, null);
    } else {
      const row = flowRow(f);
      this.opts.onFlowEnd?.(f, row);
      if (this.opts.onFlow) this.opts.onFlow(row);
      else this.done.push(row);
    }
    // past the cut of a split run the key stays the first part's while it is silent (sweepGhosts)
    if (this.ghosts !== null) this.ghosts.add(f);
    else this.recycle(f);
  }

  private fileName(i: number): string {
    return this.opts.fileNames?.[i] ?? `input #${i + 1}`;
  }

  private noteLinkType(rec: PacketRecord): void {
    const k = rec.fileIndex * 65536 + (rec.linkType & 0xffff);
    const e = this.unknownLink.get(k);
    if (e) e.count++;
    else {
      this.unknownLink.set(k, {
        fileIndex: rec.fileIndex,
        offset: rec.fileOffset,
        packet: rec.n,
        count: 1,
        linkType: rec.linkType,
      });
    }
  }

  private noteDrop(reason: DropReason): void {
    // past the cut the other part counts the fragments' fate
    if (this.tail) return;
    const rec = this.rec;
    const e = this.fragDrops.get(reason);
    if (e) e.count++;
    else {
      this.fragDrops.set(reason, {
        fileIndex: rec?.fileIndex ?? 0,
        offset: rec?.fileOffset ?? 0,
        packet: rec?.n ?? 0,
        count: 1,
        linkType: rec?.linkType ?? 0,
      });
    }
  }

  private problems(): Problem[] {
    const out: Problem[] = [];
    for (const e of this.unknownLink.values()) {
      out.push({
        file: this.fileName(e.fileIndex),
        offset: e.offset,
        code: 'E_LINKTYPE',
        message: `link type ${e.linkType} is not decoded: ${e.count} frame(s) counted as "other"`,
        packet: e.packet,
      });
    }
    const what: Record<DropReason, string> = {
      overflow: 'over the fragment memory limit',
      oversize: 'larger than the largest datagram allowed',
      conflict: 'with conflicting lengths',
      timeout: 'incomplete past the reassembly timeout',
    };
    for (const [reason, e] of this.fragDrops) {
      // an incomplete datagram is ordinary (capture started or ended mid-way); limits are worth a problem
      if (reason === 'timeout') continue;
      out.push({
        file: this.fileName(e.fileIndex),
        offset: e.offset,
        code: reason === 'conflict' ? 'E_BAD_RECORD' : 'E_LIMIT',
        message: `${e.count} fragmented IP datagram(s) ${what[reason]} were dropped`,
        packet: e.packet,
      });
    }
    const he = this.hostEviction;
    if (he !== null) {
      out.push({
        file: this.fileName(he.fileIndex),
        offset: he.offset,
        code: 'E_LIMIT',
        message: `the host table reached its limit of ${this.opts.maxHosts ?? DEFAULT_MAX_HOSTS} addresses: ${this.hostTable.evicted} host(s) with the fewest packets were dropped from the hosts table`,
        packet: he.packet,
      });
    }
    return out;
  }
}
