/**
 * One conversation's state: counters, TCP progress, and slots for the layers above (reassembly, app).
 * Kept small because memory is bounded by live flows: plain number fields (no arrays or typed arrays per
 * flow), booleans packed into bits. Measured with src/flow/flow-state.test.ts's method: ~1 KB per flow with
 * typed-array addresses and pair arrays, about a third of that now.
 */
import type { FlowKey } from './flow-key.js';
import type { HostState } from './hosts.js';
import { CLS_OTHER, CLS_TCP_OPEN } from './flow-timeouts.js';
import { L4_TCP } from '../dissect/dissector.js';

export const TCPS_NONE = 0;
export const TCPS_SYN = 1;
export const TCPS_SYN_ACK = 2;
export const TCPS_ESTABLISHED = 3;
export const TCPS_FIN = 4;
export const TCPS_CLOSED = 5;
export const TCPS_RESET = 6;
export const TCP_STATE_NAMES = ['midstream', 'syn', 'syn_ack', 'established', 'fin', 'closed', 'reset'];

/** FlowState.bits */
const B_MIDSTREAM = 1;
const B_FIN0 = 2;
const B_FIN1 = 4;
const B_BASE0 = 8;
const B_BASE1 = 16;
const B_SERVER_PORT = 32;

export class FlowState {
  /** 1-based, in order of first packet */
  readonly id: number;
  readonly kind: number;
  readonly ver: number;
  readonly proto: number;
  readonly l4: number;
  /** endpoint A's and B's address words (as FlowKey.a / .b) */
  private readonly a0: number;
  private readonly a1: number;
  private readonly a2: number;
  private readonly a3: number;
  private readonly b0: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly b3: number;
  readonly pa: number;
  readonly pb: number;
  readonly hash: number;
  /** the first packet's sender is endpoint A */
  readonly srcIsA: boolean;
  tunnelDepth = 0;
  /** MAC addresses (48-bit numbers) of the first packet, -1 when unknown; first VLAN id seen, -1 if none */
  srcMac = -1;
  dstMac = -1;
  vlan = -1;
  /** forward = from the first sender */
  packetsFwd = 0;
  packetsRev = 0;
  bytesFwd = 0;
  bytesRev = 0;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  /** first packet's ICMP type/code (Community ID uses them), -1 if none */
  icmpType = -1;
  icmpCode = -1;
  /** TCP: OR of flags seen, state, per-direction base sequence numbers as tshark sets them */
  tcpFlags = 0;
  tcpState = TCPS_NONE;
  private baseSeq0 = 0;
  private baseSeq1 = 0;
  private bits = 0;
  /** endpoint hosts, in forward direction order (null when the Analysis keeps no host table) */
  srcHost: HostState | null = null;
  dstHost: HostState | null = null;
  /** application protocol (port table or heuristics; app parsers may refine), and how it was decided */
  app: string | null = null;
  appSource: string | null = null;
  heuristicTries = 0;
  /** free slot for the layers above (TCP reassembly, app parsers): keyed by their id */
  ext: Record<string, unknown> | null = null;

  /** hash-chain and LRU links and the timeout class (flow-timeouts.ts), owned by FlowTable */
  nextInBucket: FlowState | null = null;
  lruPrev: FlowState | null = null;
  lruNext: FlowState | null = null;
  cls: number;

  constructor(id: number, key: FlowKey) {
    this.id = id;
    this.kind = key.kind;
    this.ver = key.ver;
    this.proto = key.proto;
    this.l4 = key.l4;
    const a = key.a;
    const b = key.b;
    this.a0 = a[0]!;
    this.a1 = a[1]!;
    this.a2 = a[2]!;
    this.a3 = a[3]!;
    this.b0 = b[0]!;
    this.b1 = b[1]!;
    this.b2 = b[2]!;
    this.b3 = b[3]!;
    this.pa = key.pa;
    this.pb = key.pb;
    this.hash = key.hash;
    this.srcIsA = key.srcIsA;
    this.cls = key.l4 === L4_TCP ? CLS_TCP_OPEN : CLS_OTHER;
  }

  /** Endpoint A's address words (a new array: for rows and endpoint text, not per packet). */
  get a(): Uint32Array {
    return Uint32Array.of(this.a0, this.a1, this.a2, this.a3);
  }

  get b(): Uint32Array {
    return Uint32Array.of(this.b0, this.b1, this.b2, this.b3);
  }

  matches(key: FlowKey): boolean {
    if (
      this.hash !== key.hash ||
      this.kind !== key.kind ||
      this.ver !== key.ver ||
      this.proto !== key.proto ||
      this.l4 !== key.l4 ||
      this.pa !== key.pa ||
      this.pb !== key.pb
    ) {
      return false;
    }
    const a = key.a;
    const b = key.b;
    return (
      this.a3 === a[3] &&
      this.b3 === b[3] &&
      this.a2 === a[2] &&
      this.b2 === b[2] &&
      this.a1 === a[1] &&
      this.b1 === b[1] &&
      this.a0 === a[0] &&
      this.b0 === b[0]
    );
  }

  /** 0 when the packet described by key goes the way of the first packet, else 1 */
  dirOf(key: FlowKey): 0 | 1 {
    return key.srcIsA === this.srcIsA ? 0 : 1;
  }

  /** Source port of the first sender (null for protocols without ports). */
  get srcPort(): number {
    return this.srcIsA ? this.pa : this.pb;
  }

  get dstPort(): number {
    return this.srcIsA ? this.pb : this.pa;
  }

  /** [forward, reverse] packets (a new array; for tests and rows) */
  get packets(): [number, number] {
    return [this.packetsFwd, this.packetsRev];
  }

  get bytes(): [number, number] {
    return [this.bytesFwd, this.bytesRev];
  }

  /** the first TCP segment was not a SYN */
  get midstream(): boolean {
    return (this.bits & B_MIDSTREAM) !== 0;
  }

  set midstream(v: boolean) {
    this.bits = v ? this.bits | B_MIDSTREAM : this.bits & ~B_MIDSTREAM;
  }

  finSeen(dir: 0 | 1): boolean {
    return (this.bits & (dir === 0 ? B_FIN0 : B_FIN1)) !== 0;
  }

  setFinSeen(dir: 0 | 1): void {
    this.bits |= dir === 0 ? B_FIN0 : B_FIN1;
  }

  baseSeqSet(dir: 0 | 1): boolean {
    return (this.bits & (dir === 0 ? B_BASE0 : B_BASE1)) !== 0;
  }

  baseSeq(dir: 0 | 1): number {
    return dir === 0 ? this.baseSeq0 : this.baseSeq1;
  }

  setBaseSeq(dir: 0 | 1, seq: number): void {
    if (dir === 0) this.baseSeq0 = seq;
    else this.baseSeq1 = seq;
    this.bits |= dir === 0 ? B_BASE0 : B_BASE1;
  }

  /** the UDP server port was given to the host (once per flow) */
  get serverPortNoted(): boolean {
    return (this.bits & B_SERVER_PORT) !== 0;
  }

  set serverPortNoted(v: boolean) {
    this.bits = v ? this.bits | B_SERVER_PORT : this.bits & ~B_SERVER_PORT;
  }
}
