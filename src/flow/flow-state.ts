/**
 * One conversation's state: counters, TCP progress, and slots for the layers above (reassembly, app).
 * Memory is bounded by live flows, so a flow is one small object: only number and pointer fields (no arrays
 * per flow, no boxed doubles: 32-bit values are stored as int32), small values packed into bit fields
 * behind accessors. ~270 bytes per flow on 64-bit Node (it was ~1 KB with typed-array addresses and pair
 * arrays; measured by allocating 200 k flows, see flow-state.test.ts).
 */
import { KEY_IP, M_L4, M_PROTO, M_VER, v4PortSig, type FlowKey } from './flow-key.js';
import type { HostState } from './hosts.js';
import { CLS_OTHER, CLS_TCP_OPEN } from './flow-timeouts.js';
import { L4_TCP, L4_UDP } from '../dissect/dissector.js';

export const TCPS_NONE = 0;
export const TCPS_SYN = 1;
export const TCPS_SYN_ACK = 2;
export const TCPS_ESTABLISHED = 3;
export const TCPS_FIN = 4;
export const TCPS_CLOSED = 5;
export const TCPS_RESET = 6;
export const TCP_STATE_NAMES = ['midstream', 'syn', 'syn_ack', 'established', 'fin', 'closed', 'reset'];

// meta (fixed at creation): kind 2 bits | ver 3 | l4 4 | srcIsA 1 | proto 16 (IP protocol or EtherType), the
// layout of FlowKey.ident with the direction bit added
const M_SRC_IS_A = 1 << 9;

// st (changes per packet): tcpFlags 8 bits | tcpState 3 | cls 2 | heuristicTries 3 | tunnelDepth 8 | flags
const S_STATE = 8;
const S_CLS = 11;
const S_TRIES = 13;
const S_DEPTH = 16;
const S_MIDSTREAM = 1 << 24;
const S_FIN0 = 1 << 25;
const S_FIN1 = 1 << 26;
const S_BASE0 = 1 << 27;
const S_BASE1 = 1 << 28;
const S_SERVER_PORT = 1 << 29;
const S_SRC_MAC = 1 << 30;
// bit 31 would make st negative; the destination MAC flag lives in aux

// aux: vlan+1 13 bits | icmpType+1 9 | icmpCode+1 9 (0 = none)
const A_TYPE = 13;
const A_CODE = 22;

/** Numbers per flow of FlowState.saveTo/loadFrom. */
export const FLOW_WORDS = 30;

/** The strings FlowState.saveTo writes as indices (`index`), numbered in order of first use; `list` names them. */
export class SavedNames {
  readonly list: string[] = [];
  private readonly at = new Map<string, number>();

  readonly index = (s: string | null): number => {
    if (s === null) return -1;
    let i = this.at.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.at.set(s, i);
    }
    return i;
  };
}

export class FlowState {
  /** 1-based, in order of first packet (set by the Analysis only) */
  id = 0;
  private meta = 0;
  /** endpoint A's and B's last address word (int32); the other six words only when not all zero */
  private a3 = 0;
  private b3 = 0;
  private hi: Uint32Array | null = null;
  /** pa << 16 | pb */
  private ports = 0;
  hash = 0;
  private st = 0;
  private aux = 0;
  private macHi = 0;
  private srcMacLo = 0;
  private dstMacLo = 0;
  /** forward = from the first sender */
  packetsFwd = 0;
  packetsRev = 0;
  bytesFwd = 0;
  bytesRev = 0;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  private baseSeq0 = 0;
  private baseSeq1 = 0;
  /** endpoint hosts, in forward direction order (null when the Analysis keeps no host table) */
  srcHost: HostState | null = null;
  dstHost: HostState | null = null;
  /** application protocol (port table or heuristics; app parsers may refine), and how it was decided */
  app: string | null = null;
  appSource: string | null = null;
  /** free slot for the layers above (TCP reassembly, app parsers): keyed by their id */
  ext: Record<string, unknown> | null = null;

  /** hash-chain and LRU links, owned by FlowTable */
  nextInBucket: FlowState | null = null;
  lruPrev: FlowState | null = null;
  lruNext: FlowState | null = null;

  constructor(id: number, key: FlowKey) {
    this.reset(id, key);
  }

  /**
   * Makes this object a new flow (the Analysis reuses finished flows' objects when no hook can hold on to
   * them: a long capture then leaves no dead flows for the garbage collector).
   */
  reset(id: number, key: FlowKey): this {
    this.id = id;
    this.meta =
      (key.kind & 3) |
      ((key.ver & 7) << M_VER) |
      ((key.l4 & 15) << M_L4) |
      (key.srcIsA ? M_SRC_IS_A : 0) |
      ((key.proto & 0xffff) << M_PROTO);
    const a = key.a;
    const b = key.b;
    this.a3 = a[3]! | 0;
    this.b3 = b[3]! | 0;
    this.hi =
      (a[0]! | a[1]! | a[2]! | b[0]! | b[1]! | b[2]!) === 0
        ? null
        : Uint32Array.of(a[0]!, a[1]!, a[2]!, b[0]!, b[1]!, b[2]!);
    this.ports = ((key.pa & 0xffff) << 16) | (key.pb & 0xffff);
    this.hash = key.hash;
    this.st = (key.l4 === L4_TCP ? CLS_TCP_OPEN : CLS_OTHER) << S_CLS;
    this.aux = 0;
    this.macHi = this.srcMacLo = this.dstMacLo = 0;
    this.packetsFwd = this.packetsRev = this.bytesFwd = this.bytesRev = 0;
    this.firstSec = this.firstNsec = this.lastSec = this.lastNsec = 0;
    this.baseSeq0 = this.baseSeq1 = 0;
    this.srcHost = this.dstHost = null;
    this.app = this.appSource = null;
    this.ext = null;
    this.nextInBucket = this.lruPrev = this.lruNext = null;
    return this;
  }

  get kind(): number {
    return this.meta & 3;
  }

  /** 4, 6, or 0 for link-layer flows */
  get ver(): number {
    return (this.meta >>> M_VER) & 7;
  }

  /** IP protocol, or the EtherType for link-layer flows */
  get proto(): number {
    return (this.meta >>> M_PROTO) & 0xffff;
  }

  get l4(): number {
    return (this.meta >>> M_L4) & 15;
  }

  /** the first packet's sender is endpoint A */
  get srcIsA(): boolean {
    return (this.meta & M_SRC_IS_A) !== 0;
  }

  get pa(): number {
    return this.ports >>> 16;
  }

  get pb(): number {
    return this.ports & 0xffff;
  }

  /** Endpoint A's address words (a new array: for rows and endpoint text, not per packet). */
  get a(): Uint32Array {
    const h = this.hi;
    return h === null ? Uint32Array.of(0, 0, 0, this.a3) : Uint32Array.of(h[0]!, h[1]!, h[2]!, this.a3);
  }

  get b(): Uint32Array {
    const h = this.hi;
    return h === null ? Uint32Array.of(0, 0, 0, this.b3) : Uint32Array.of(h[3]!, h[4]!, h[5]!, this.b3);
  }

  /** Writes the first sender's (which = 0) or its peer's (1) address words into out[0..3]. */
  addrInto(which: 0 | 1, out: Uint32Array): void {
    const useA = (which === 0) === this.srcIsA;
    const h = this.hi;
    const o = useA ? 0 : 3;
    out[0] = h === null ? 0 : h[o]!;
    out[1] = h === null ? 0 : h[o + 1]!;
    out[2] = h === null ? 0 : h[o + 2]!;
    out[3] = useA ? this.a3 : this.b3;
  }

  /** v4PortSig of an IPv4 TCP/UDP flow's key; 0 for any other flow. */
  v4PortSig(): number {
    const l4 = this.l4;
    if (this.kind !== KEY_IP || this.ver !== 4 || (l4 !== L4_TCP && l4 !== L4_UDP)) return 0;
    return v4PortSig(this.a3 >>> 0, this.b3 >>> 0, this.pa, this.pb, this.proto);
  }

  /**
   * Everything flowRow() reads, as FLOW_WORDS numbers at out[at..]: a finished flow sent to another thread to be
   * turned into its row there (loadFrom). `app` and `appSource` go as indices given by `name` (null -> -1).
   */
  saveTo(out: Float64Array, at: number, name: (s: string | null) => number): void {
    const h = this.hi;
    out[at] = this.id;
    out[at + 1] = this.meta;
    out[at + 2] = this.a3;
    out[at + 3] = this.b3;
    out[at + 4] = this.ports;
    out[at + 5] = this.hash;
    out[at + 6] = this.st;
    out[at + 7] = this.aux;
    out[at + 8] = this.macHi;
    out[at + 9] = this.srcMacLo;
    out[at + 10] = this.dstMacLo;
    out[at + 11] = this.packetsFwd;
    out[at + 12] = this.packetsRev;
    out[at + 13] = this.bytesFwd;
    out[at + 14] = this.bytesRev;
    out[at + 15] = this.firstSec;
    out[at + 16] = this.firstNsec;
    out[at + 17] = this.lastSec;
    out[at + 18] = this.lastNsec;
    out[at + 19] = this.baseSeq0;
    out[at + 20] = this.baseSeq1;
    out[at + 21] = name(this.app);
    out[at + 22] = name(this.appSource);
    out[at + 23] = h === null ? 0 : 1;
    for (let i = 0; i < 6; i++) out[at + 24 + i] = h === null ? 0 : h[i]!;
  }

  /** Makes this object the flow saveTo() wrote at src[at..] (`names`: the strings of its indices). */
  loadFrom(src: Float64Array, at: number, names: readonly string[]): this {
    this.id = src[at]!;
    this.meta = src[at + 1]!;
    this.a3 = src[at + 2]!;
    this.b3 = src[at + 3]!;
    this.ports = src[at + 4]!;
    this.hash = src[at + 5]!;
    this.st = src[at + 6]!;
    this.aux = src[at + 7]!;
    this.macHi = src[at + 8]!;
    this.srcMacLo = src[at + 9]!;
    this.dstMacLo = src[at + 10]!;
    this.packetsFwd = src[at + 11]!;
    this.packetsRev = src[at + 12]!;
    this.bytesFwd = src[at + 13]!;
    this.bytesRev = src[at + 14]!;
    this.firstSec = src[at + 15]!;
    this.firstNsec = src[at + 16]!;
    this.lastSec = src[at + 17]!;
    this.lastNsec = src[at + 18]!;
    this.baseSeq0 = src[at + 19]!;
    this.baseSeq1 = src[at + 20]!;
    const app = src[at + 21]!;
    const appSource = src[at + 22]!;
    this.app = app < 0 ? null : names[app]!;
    this.appSource = appSource < 0 ? null : names[appSource]!;
    this.hi =
      src[at + 23] === 0
        ? null
        : Uint32Array.of(
            src[at + 24]!,
            src[at + 25]!,
            src[at + 26]!,
            src[at + 27]!,
            src[at + 28]!,
            src[at + 29]!,
          );
    return this;
  }

  /**
   * The conversation key as numbers (not the direction), for the byte-range split's hand-over
   * (engine/parallel/range-split.ts): words[at..at+4] = kind/version/l4/protocol, A's and B's last address
   * word, ports, hash; returns the other six address words (a copy) when they are not all zero, else null.
   * keyFromWords makes the FlowKey that matches() this flow from them.
   */
  keyWords(words: Int32Array, at: number): Uint32Array | null {
    words[at] = this.meta & ~M_SRC_IS_A;
    words[at + 1] = this.a3;
    words[at + 2] = this.b3;
    words[at + 3] = this.ports;
    words[at + 4] = this.hash;
    return this.hi === null ? null : this.hi.slice();
  }

  matches(key: FlowKey): boolean {
    if (
      this.hash !== key.hash ||
      this.ports !== key.ports ||
      this.a3 !== key.a3 ||
      this.b3 !== key.b3 ||
      (this.meta & ~M_SRC_IS_A) !== key.ident
    )
      return false;
    const h = this.hi;
    if (h === null) return !key.wide;
    const a = key.a;
    const b = key.b;
    return h[0] === a[0] && h[1] === a[1] && h[2] === a[2] && h[3] === b[0] && h[4] === b[1] && h[5] === b[2];
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

  /** OR of the TCP flags seen (bit 0 FIN ... bit 7 CWR) */
  get tcpFlags(): number {
    return this.st & 0xff;
  }

  set tcpFlags(v: number) {
    this.st = (this.st & ~0xff) | (v & 0xff);
  }

  /** TCPS_* */
  get tcpState(): number {
    return (this.st >>> S_STATE) & 7;
  }

  set tcpState(v: number) {
    this.st = (this.st & ~(7 << S_STATE)) | ((v & 7) << S_STATE);
  }

  /** timeout class (flow-timeouts.ts), owned by FlowTable */
  get cls(): number {
    return (this.st >>> S_CLS) & 3;
  }

  set cls(v: number) {
    this.st = (this.st & ~(3 << S_CLS)) | ((v & 3) << S_CLS);
  }

  /** payload-heuristic attempts so far (capped at 7) */
  get heuristicTries(): number {
    return (this.st >>> S_TRIES) & 7;
  }

  set heuristicTries(v: number) {
    this.st = (this.st & ~(7 << S_TRIES)) | (Math.min(Math.max(v, 0), 7) << S_TRIES);
  }

  /** IP layers outside this one (0 = outermost; capped at 255) */
  get tunnelDepth(): number {
    return (this.st >>> S_DEPTH) & 0xff;
  }

  set tunnelDepth(v: number) {
    this.st = (this.st & ~(0xff << S_DEPTH)) | (Math.min(Math.max(v, 0), 255) << S_DEPTH);
  }

  /** the first TCP segment was not a SYN */
  get midstream(): boolean {
    return (this.st & S_MIDSTREAM) !== 0;
  }

  set midstream(v: boolean) {
    this.st = v ? this.st | S_MIDSTREAM : this.st & ~S_MIDSTREAM;
  }

  finSeen(dir: 0 | 1): boolean {
    return (this.st & (dir === 0 ? S_FIN0 : S_FIN1)) !== 0;
  }

  setFinSeen(dir: 0 | 1): void {
    this.st |= dir === 0 ? S_FIN0 : S_FIN1;
  }

  baseSeqSet(dir: 0 | 1): boolean {
    return (this.st & (dir === 0 ? S_BASE0 : S_BASE1)) !== 0;
  }

  /** the direction's base sequence number (uint32) */
  baseSeq(dir: 0 | 1): number {
    return (dir === 0 ? this.baseSeq0 : this.baseSeq1) >>> 0;
  }

  setBaseSeq(dir: 0 | 1, seq: number): void {
    if (dir === 0) this.baseSeq0 = seq | 0;
    else this.baseSeq1 = seq | 0;
    this.st |= dir === 0 ? S_BASE0 : S_BASE1;
  }

  /** the UDP server port was given to the host (once per flow) */
  get serverPortNoted(): boolean {
    return (this.st & S_SERVER_PORT) !== 0;
  }

  set serverPortNoted(v: boolean) {
    this.st = v ? this.st | S_SERVER_PORT : this.st & ~S_SERVER_PORT;
  }

  /** first VLAN id seen, -1 if none */
  get vlan(): number {
    return (this.aux & 0x1fff) - 1;
  }

  set vlan(v: number) {
    this.aux = (this.aux & ~0x1fff) | (v >= 0 && v <= 4095 ? v + 1 : 0);
  }

  /** first packet's ICMP type/code (Community ID uses them), -1 if none */
  get icmpType(): number {
    return ((this.aux >>> A_TYPE) & 0x1ff) - 1;
  }

  set icmpType(v: number) {
    this.aux = (this.aux & ~(0x1ff << A_TYPE)) | ((v >= 0 && v <= 255 ? v + 1 : 0) << A_TYPE);
  }

  get icmpCode(): number {
    return ((this.aux >>> A_CODE) & 0x1ff) - 1;
  }

  set icmpCode(v: number) {
    this.aux = (this.aux & ~(0x1ff << A_CODE)) | ((v >= 0 && v <= 255 ? v + 1 : 0) << A_CODE);
  }

  /** MAC address (48-bit number) of the first packet's sender, -1 when unknown */
  get srcMac(): number {
    return this.st & S_SRC_MAC ? (this.macHi >>> 16) * 0x100000000 + (this.srcMacLo >>> 0) : -1;
  }

  set srcMac(v: number) {
    if (v < 0) {
      this.st &= ~S_SRC_MAC;
      return;
    }
    this.macHi = (this.macHi & 0xffff) | ((Math.floor(v / 0x100000000) & 0xffff) << 16);
    this.srcMacLo = (v % 0x100000000) | 0;
    this.st |= S_SRC_MAC;
  }

  /** MAC address of the first packet's receiver, -1 when unknown */
  get dstMac(): number {
    return this.aux & (1 << 31) ? (this.macHi & 0xffff) * 0x100000000 + (this.dstMacLo >>> 0) : -1;
  }

  set dstMac(v: number) {
    if (v < 0) {
      this.aux &= ~(1 << 31);
      return;
    }
    this.macHi = (this.macHi & ~0xffff) | (Math.floor(v / 0x100000000) & 0xffff);
    this.dstMacLo = (v % 0x100000000) | 0;
    this.aux |= 1 << 31;
  }
}

/** Fills `key` from FlowState.keyWords output so that the flow they came from matches() it. */
export function keyFromWords(key: FlowKey, words: Int32Array, at: number, hi: Uint32Array | null): void {
  const meta = words[at]!;
  key.kind = meta & 3;
  key.ver = (meta >>> M_VER) & 7;
  key.l4 = (meta >>> M_L4) & 15;
  key.proto = (meta >>> M_PROTO) & 0xffff;
  key.srcIsA = true;
  key.a[0] = hi === null ? 0 : hi[0]!;
  key.a[1] = hi === null ? 0 : hi[1]!;
  key.a[2] = hi === null ? 0 : hi[2]!;
  key.a[3] = words[at + 1]!;
  key.b[0] = hi === null ? 0 : hi[3]!;
  key.b[1] = hi === null ? 0 : hi[4]!;
  key.b[2] = hi === null ? 0 : hi[5]!;
  key.b[3] = words[at + 2]!;
  const ports = words[at + 3]!;
  key.pa = (ports >>> 16) & 0xffff;
  key.pb = ports & 0xffff;
  key.hash = words[at + 4]!;
  key.derive();
}
