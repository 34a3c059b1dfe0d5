/**
 * Hosts: one entry per IP address (and per MAC address for frames without IP), counted per packet for
 * every IP header in it (tunnel outer and inner addresses both, as tshark's endpoint tables do).
 * Kept compact (a host table can hold millions of addresses): address words as numbers, MACs and server
 * ports allocated on first use, and peers as pairs of host indexes in one PairSet for the whole table.
 * Bounded by `maxHosts`: a flood from spoofed addresses would otherwise grow it without end, so when full the
 * quietest quarter of the table is dropped (fewest packets first, then oldest) and `evicted` counts them.
 */
import type { HostRow } from '../shared/rows.js';
import { isoTime } from '../shared/time.js';
import type { NetLayer } from '../dissect/dissector.js';
import { u16be, u32be } from '../wire/byte-view.js';
import { macNumber, macNumberToString, wordsToString } from './addr-words.js';
import { PairSet } from './pair-set.js';

const MAX_MACS = 16;
/** distinct peers counted per host; past this the count is a lower bound */
const MAX_PEERS = 65536;
/** distinct host pairs remembered for the whole table (64 MiB of slots at most); past it, a lower bound */
const MAX_PAIRS = 1 << 22;
const MAX_SERVER_PORTS = 4096;
/** default bound of the host table: ~300 bytes a host, so about 300 MB at most */
export const DEFAULT_MAX_HOSTS = 1_000_000;
/** packet counts above this are one bucket when choosing whom to evict */
const EVICT_BUCKETS = 64;

export class HostState {
  next: HostState | null = null;
  macs: number[] | null = null;
  packetsSent = 0;
  bytesSent = 0;
  packetsRecv = 0;
  bytesRecv = 0;
  /** distinct peers (HostTable.addPeers keeps it) */
  peerCount = 0;
  serverPorts: Set<number> | null = null;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  /** smallest and largest TTL / hop limit of the IP packets this host sent (0 when none was noted) */
  ttlMin = 0;
  ttlMax = 0;
  constructor(
    /** index in the table, 0-based, in order of first sight */
    readonly index: number,
    readonly ver: number,
    readonly w0: number,
    readonly w1: number,
    readonly w2: number,
    readonly w3: number,
    readonly hash: number,
    sec: number,
    nsec: number,
  ) {
    this.firstSec = this.lastSec = sec;
    this.firstNsec = this.lastNsec = nsec;
  }

  addMac(m: number): void {
    const macs = (this.macs ??= []);
    if (macs.length < MAX_MACS && !macs.includes(m)) macs.push(m);
  }

  addServerPort(port: number): void {
    const s = (this.serverPorts ??= new Set());
    if (s.size < MAX_SERVER_PORTS) s.add(port);
  }

  /** TTL (IPv4) or hop limit (IPv6) of a packet this host sent; 0 (unset) is ignored */
  noteTtl(ttl: number): void {
    if (ttl === 0) return;
    if (this.ttlMax === 0) this.ttlMin = this.ttlMax = ttl;
    else if (ttl < this.ttlMin) this.ttlMin = ttl;
    else if (ttl > this.ttlMax) this.ttlMax = ttl;
  }

  touch(sec: number, nsec: number): void {
    if (sec > this.lastSec || (sec === this.lastSec && nsec > this.lastNsec)) {
      this.lastSec = sec;
      this.lastNsec = nsec;
    }
  }
}

export class HostTable {
  private readonly byHash = new Map<number, HostState>();
  private all: HostState[] = [];
  private readonly pairs = new PairSet(MAX_PAIRS);
  private readonly w = new Uint32Array(4);
  private readonly maxHosts: number;
  /** index of the next new host: indexes are never reused (the PairSet keys on them) */
  private nextIndex = 0;
  /** the host returned last: never evicted, as the caller still holds it (the source while finding the destination) */
  private lastFound: HostState | null = null;
  /** hosts dropped to stay under maxHosts */
  evicted = 0;
  /** called before each eviction (the caller notes where it happened) */
  onEvict: (() => void) | null = null;

  constructor(maxHosts = DEFAULT_MAX_HOSTS) {
    this.maxHosts = Math.max(2, maxHosts);
  }

  get size(): number {
    return this.all.length;
  }

  /** Host of the layer's source (which = 0) or destination (1). */
  ip(l: NetLayer, which: 0 | 1, sec: number, nsec: number): HostState {
    const w = this.w;
    if (l.version === 4) {
      w[0] = w[1] = w[2] = 0;
      w[3] = which === 0 ? l.src4 : l.dst4;
    } else {
      const o = which === 0 ? l.srcOff : l.dstOff;
      for (let i = 0; i < 4; i++) w[i] = u32be(l.buf, o + 4 * i);
    }
    return this.find(l.version, sec, nsec);
  }

  mac(b: Uint8Array, off: number, sec: number, nsec: number): HostState {
    const w = this.w;
    w[0] = w[1] = 0;
    w[2] = u16be(b, off);
    w[3] = u32be(b, off + 2);
    return this.find(0, sec, nsec);
  }

  /** Notes that two different hosts talked (each counts the other once). */
  addPeers(x: HostState, y: HostState): void {
    if (x.peerCount >= MAX_PEERS && y.peerCount >= MAX_PEERS) return;
    if (this.pairs.add(x.index, y.index)) {
      if (x.peerCount < MAX_PEERS) x.peerCount++;
      if (y.peerCount < MAX_PEERS) y.peerCount++;
    }
  }

  private find(ver: number, sec: number, nsec: number): HostState {
    const w = this.w;
    let h = Math.imul(ver + 1, 0x9e3779b1);
    for (let i = 0; i < 4; i++) h = Math.imul(h ^ w[i]! ^ (h >>> 15), 0x85ebca6b);
    h |= 0;
    let e = this.byHash.get(h) ?? null;
    while (
      e !== null &&
      !(e.ver === ver && e.w3 === w[3] && e.w2 === w[2] && e.w1 === w[1] && e.w0 === w[0])
    ) {
      e = e.next;
    }
    if (e !== null) {
      e.touch(sec, nsec);
      this.lastFound = e;
      return e;
    }
    if (this.all.length >= this.maxHosts) this.evict();
    e = new HostState(this.nextIndex++, ver, w[0]!, w[1]!, w[2]!, w[3]!, h, sec, nsec);
    e.next = this.byHash.get(h) ?? null;
    this.byHash.set(h, e);
    this.all.push(e);
    this.lastFound = e;
    return e;
  }

  /**
   * Drops a quarter of the table, the hosts with the fewest packets (a spoofed source sends one or two), the
   * earliest seen first among equals. A flow still holding a dropped host keeps counting into it unseen; the
   * address gets a new entry if it shows up again. Rare (once per maxHosts/4 new addresses), so not hot.
   */
  private evict(): void {
    this.onEvict?.();
    const all = this.all;
    const target = Math.max(1, all.length >>> 2);
    const hist = new Uint32Array(EVICT_BUCKETS + 1);
    const count = (h: HostState) => Math.min(EVICT_BUCKETS, h.packetsSent + h.packetsRecv);
    for (const h of all) if (h !== this.lastFound) hist[count(h)]!++;
    let cut = 0;
    let below = 0; // hosts with fewer packets than `cut`: all of them go
    for (; cut < EVICT_BUCKETS; cut++) {
      if (below + hist[cut]! >= target) break;
      below += hist[cut]!;
    }
    let atCut = target - below; // and this many of those with exactly `cut`, earliest seen first
    const keep: HostState[] = [];
    for (const h of all) {
      const c = count(h);
      if (h !== this.lastFound && (c < cut || (c === cut && atCut > 0))) {
        if (c === cut) atCut--;
        this.unlink(h);
        this.evicted++;
      } else keep.push(h);
    }
    this.all = keep;
  }

  private unlink(h: HostState): void {
    let e = this.byHash.get(h.hash) ?? null;
    if (e === h) {
      if (h.next === null) this.byHash.delete(h.hash);
      else this.byHash.set(h.hash, h.next);
      return;
    }
    while (e !== null && e.next !== h) e = e.next;
    if (e !== null) e.next = h.next;
  }

  rows(): HostRow[] {
    return this.all.map((h) => ({
      ip: wordsToString(Uint32Array.of(h.w0, h.w1, h.w2, h.w3), h.ver),
      kind: h.ver === 4 ? 'ipv4' : h.ver === 6 ? 'ipv6' : 'mac',
      macs: h.macs === null ? [] : h.macs.map(macNumberToString),
      names: [],
      packets_sent: h.packetsSent,
      bytes_sent: h.bytesSent,
      packets_recv: h.packetsRecv,
      bytes_recv: h.bytesRecv,
      peers: h.peerCount,
      server_ports: h.serverPorts === null ? [] : [...h.serverPorts].sort((a, b) => a - b),
      first_ts: isoTime(h.firstSec, h.firstNsec),
      last_ts: isoTime(h.lastSec, h.lastNsec),
      ttl_min: h.ttlMax === 0 ? null : h.ttlMin,
      ttl_max: h.ttlMax === 0 ? null : h.ttlMax,
    }));
  }
}

export { macNumber };
