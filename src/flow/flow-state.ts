/** One conversation's state: counters, TCP progress, and slots for the layers above (reassembly, app). */
import type { FlowKey } from './flow-key.js';
import type { HostState } from './hosts.js';

export const TCPS_NONE = 0;
export const TCPS_SYN = 1;
export const TCPS_SYN_ACK = 2;
export const TCPS_ESTABLISHED = 3;
export const TCPS_FIN = 4;
export const TCPS_CLOSED = 5;
export const TCPS_RESET = 6;
export const TCP_STATE_NAMES = ['midstream', 'syn', 'syn_ack', 'established', 'fin', 'closed', 'reset'];

export class FlowState {
  /** 1-based, in order of first packet */
  readonly id: number;
  readonly kind: number;
  readonly ver: number;
  readonly proto: number;
  readonly l4: number;
  readonly a: Uint32Array;
  readonly b: Uint32Array;
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
  /** [forward (from the first sender), reverse] */
  readonly packets = [0, 0];
  readonly bytes = [0, 0];
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
  midstream = false;
  readonly finSeen = [false, false];
  readonly baseSeq = [0, 0];
  readonly baseSeqSet = [false, false];
  /** endpoint hosts, in forward direction order */
  srcHost: HostState | null = null;
  dstHost: HostState | null = null;
  serverPortNoted = false;
  /** application protocol (port table or heuristics; app parsers may refine), and how it was decided */
  app: string | null = null;
  appSource: string | null = null;
  heuristicTries = 0;
  /** free slot for the layers above (TCP reassembly, app parsers): keyed by their id */
  ext: Record<string, unknown> | null = null;

  /** hash-chain and LRU links, owned by FlowTable */
  nextInBucket: FlowState | null = null;
  lruPrev: FlowState | null = null;
  lruNext: FlowState | null = null;

  constructor(id: number, key: FlowKey) {
    this.id = id;
    this.kind = key.kind;
    this.ver = key.ver;
    this.proto = key.proto;
    this.l4 = key.l4;
    this.a = Uint32Array.from(key.a);
    this.b = Uint32Array.from(key.b);
    this.pa = key.pa;
    this.pb = key.pb;
    this.hash = key.hash;
    this.srcIsA = key.srcIsA;
  }

  matches(key: FlowKey): boolean {
    if (
      this.hash !== key.hash ||
      this.kind !== key.kind ||
      this.ver !== key.ver ||
      this.proto !== key.proto
    ) {
      return false;
    }
    if (this.l4 !== key.l4 || this.pa !== key.pa || this.pb !== key.pb) return false;
    for (let i = 0; i < 4; i++) if (this.a[i] !== key.a[i] || this.b[i] !== key.b[i]) return false;
    return true;
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
}
