/**
 * Hosts: one entry per IP address (and per MAC address for frames without IP), counted per packet for
 * every IP header in it (tunnel outer and inner addresses both, as tshark's endpoint tables do).
 */
import type { HostRow } from '../shared/rows.js';
import { isoTime } from '../shared/time.js';
import type { NetLayer } from '../dissect/dissector.js';
import { u16be, u32be } from '../wire/byte-view.js';
import { macNumber, macNumberToString, wordsToString } from './addr-words.js';

const MAX_MACS = 16;
/** distinct peers tracked per host; past this the count is a lower bound */
const MAX_PEERS = 65536;
const MAX_SERVER_PORTS = 4096;

export class HostState {
  next: HostState | null = null;
  readonly macs: number[] = [];
  packetsSent = 0;
  bytesSent = 0;
  packetsRecv = 0;
  bytesRecv = 0;
  readonly peers = new Set<HostState>();
  readonly serverPorts = new Set<number>();
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  constructor(
    readonly ver: number,
    readonly w: Uint32Array,
    readonly hash: number,
    sec: number,
    nsec: number,
  ) {
    this.firstSec = this.lastSec = sec;
    this.firstNsec = this.lastNsec = nsec;
  }

  addMac(m: number): void {
    if (this.macs.length < MAX_MACS && !this.macs.includes(m)) this.macs.push(m);
  }

  addPeer(h: HostState): void {
    if (this.peers.size < MAX_PEERS) this.peers.add(h);
  }

  addServerPort(port: number): void {
    if (this.serverPorts.size < MAX_SERVER_PORTS) this.serverPorts.add(port);
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

  private find(ver: number, sec: number, nsec: number): HostState {
    const w = this.w;
    let h = Math.imul(ver + 1, 0x9e3779b1);
    for (let i = 0; i < 4; i++) h = Math.imul(h ^ w[i]! ^ (h >>> 15), 0x85ebca6b);
    h |= 0;
    let e = this.byHash.get(h) ?? null;
    while (
      e !== null &&
      !(e.ver === ver && e.w[0] === w[0] && e.w[1] === w[1] && e.w[2] === w[2] && e.w[3] === w[3])
    ) {
      e = e.next;
    }
    if (e !== null) {
      e.touch(sec, nsec);
      return e;
    }
    e = new HostState(ver, Uint32Array.from(w), h, sec, nsec);
    e.next = this.byHash.get(h) ?? null;
    this.byHash.set(h, e);
    this.all.push(e);
    return e;
  }

  rows(): HostRow[] {
    return this.all.map((h) => ({
      ip: wordsToString(h.w, h.ver),
      kind: h.ver === 4 ? 'ipv4' : h.ver === 6 ? 'ipv6' : 'mac',
      macs: h.macs.map(macNumberToString),
      names: [],
      packets_sent: h.packetsSent,
      bytes_sent: h.bytesSent,
      packets_recv: h.packetsRecv,
      bytes_recv: h.bytesRecv,
      peers: h.peers.size,
      server_ports: [...h.serverPorts].sort((a, b) => a - b),
      first_ts: isoTime(h.firstSec, h.firstNsec),
      last_ts: isoTime(h.lastSec, h.lastNsec),
    }));
  }
}

export { macNumber };
