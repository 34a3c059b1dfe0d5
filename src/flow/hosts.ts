/**
 * Hosts: one entry per IP address (and per MAC address for frames without IP), counted per packet for
 * every IP header in it (tunnel outer and inner addresses both, as tshark's endpoint tables do).
 * Kept compact (a host table can hold millions of addresses): address words as numbers, MACs and server
 * ports allocated on first use, and peers as pairs of host indexes in one PairSet for the whole table.
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

  touch(sec: number, nsec: number): void {
    if (sec > this.lastSec || (sec === this.lastSec && nsec > this.lastNsec)) {
      this.lastSec = sec;
      this.lastNsec = nsec;
    }
  }
}

export class HostTable {
  private readonly byHash = new Map<number, HostState>();
  private readonly all: HostState[] = [];
  private readonly pairs = new PairSet(MAX_PAIRS);
  private readonly w = new Uint32Array(4);

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
      return e;
    }
    e = new HostState(this.all.length, ver, w[0]!, w[1]!, w[2]!, w[3]!, h, sec, nsec);
    e.next = this.byHash.get(h) ?? null;
    this.byHash.set(h, e);
    this.all.push(e);
    return e;
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
    }));
  }
}

export { macNumber };
