/**
 * Symmetric conversation key: (kind, IP version, protocol, endpoint A, endpoint B) where A is the
 * numerically smaller (address, port) endpoint, so both directions find the same flow. Filled in place per
 * packet; the hash is a number (no string keys on the hot path). VLAN ids are not part of the key: tshark
 * joins a conversation seen tagged and untagged (vlan-8021q-http-retrans.pcap).
 */
import type { NetLayer } from '../dissect/dissector.js';
import { L4_SCTP, L4_TCP, L4_UDP } from '../dissect/dissector.js';
import { u16be, u32be } from '../wire/byte-view.js';

/** An IP conversation (TCP/UDP/SCTP per port pair, ICMP and other protocols per address pair). */
export const KEY_IP = 1;
/** A link-layer conversation between two MAC addresses (ARP and other non-IP frames). */
export const KEY_L2 = 2;

// FlowKey.ident and FlowState's meta: kind 2 bits | ver 3 | l4 4 | (FlowState: srcIsA 1) | proto 16
export const M_VER = 2;
export const M_L4 = 5;
export const M_PROTO = 10;

export class FlowKey {
  kind = KEY_IP;
  /** 4, 6, or 0 for link-layer keys */
  ver = 0;
  /** IP protocol, or the EtherType for link-layer keys */
  proto = 0;
  /** L4_* of the layer (tells a TCP conversation from IP protocol 6 with a broken header) */
  l4 = 0;
  readonly a = new Uint32Array(4);
  readonly b = new Uint32Array(4);
  pa = 0;
  pb = 0;
  /** the packet's source is endpoint A */
  srcIsA = true;
  hash = 0;
  // Derived once per key (derive()), so that FlowState.matches compares plain numbers: kind, version, l4 and
  // protocol packed as in FlowState's meta; pa << 16 | pb; the last address words as int32; whether any of
  // the other six address words is not zero.
  ident = 0;
  ports = 0;
  a3 = 0;
  b3 = 0;
  wide = false;
  private readonly s = new Uint32Array(4);
  private readonly d = new Uint32Array(4);

  fromLayer(l: NetLayer): void {
    const s = this.s;
    const d = this.d;
    this.kind = KEY_IP;
    this.ver = l.version;
    this.proto = l.ipProto;
    this.l4 = l.l4;
    const ports = l.l4 === L4_TCP || l.l4 === L4_UDP || l.l4 === L4_SCTP;
    if (l.version === 4) {
      this.orderV4(l.src4 >>> 0, l.dst4 >>> 0, ports ? l.srcPort : 0, ports ? l.dstPort : 0);
      return;
    }
    for (let i = 0; i < 4; i++) {
      s[i] = u32be(l.buf, l.srcOff + 4 * i);
      d[i] = u32be(l.buf, l.finalDstOff + 4 * i);
    }
    this.order(ports ? l.srcPort : 0, ports ? l.dstPort : 0);
  }

  /**
   * order() for IPv4 (the other three words of both addresses are zero): the same endpoints, direction and hash
   * as order() gives, without the loops over the zero words.
   */
  private orderV4(s3: number, d3: number, sp: number, dp: number): void {
    const c = s3 !== d3 ? (s3 < d3 ? -1 : 1) : sp - dp;
    const srcIsA = c <= 0;
    this.srcIsA = srcIsA;
    const a3 = srcIsA ? s3 : d3;
    const b3 = srcIsA ? d3 : s3;
    const ka = this.a;
    const kb = this.b;
    ka[0] = ka[1] = ka[2] = kb[0] = kb[1] = kb[2] = 0;
    ka[3] = a3;
    kb[3] = b3;
    this.pa = srcIsA ? sp : dp;
    this.pb = srcIsA ? dp : sp;
    this.packIdent();
    this.a3 = a3 | 0;
    this.b3 = b3 | 0;
    this.wide = false;
    this.hash = this.mix(a3, b3);
  }

  fromMacs(buf: Uint8Array, srcOff: number, dstOff: number, etherType: number): void {
    const s = this.s;
    const d = this.d;
    this.kind = KEY_L2;
    this.ver = 0;
    this.proto = etherType;
    this.l4 = 0;
    s[0] = s[1] = d[0] = d[1] = 0;
    s[2] = u16be(buf, srcOff);
    s[3] = u32be(buf, srcOff + 2);
    d[2] = u16be(buf, dstOff);
    d[3] = u32be(buf, dstOff + 2);
    this.order(0, 0);
  }

  private order(sp: number, dp: number): void {
    const s = this.s;
    const d = this.d;
    let c = 0;
    for (let i = 0; i < 4 && c === 0; i++) if (s[i] !== d[i]) c = s[i]! < d[i]! ? -1 : 1;
    if (c === 0) c = sp - dp;
    this.srcIsA = c <= 0;
    const a = this.srcIsA ? s : d;
    const b = this.srcIsA ? d : s;
    // element by element: TypedArray.prototype.set costs more than the copy for four words
    const ka = this.a;
    const kb = this.b;
    ka[0] = a[0]!;
    ka[1] = a[1]!;
    ka[2] = a[2]!;
    ka[3] = a[3]!;
    kb[0] = b[0]!;
    kb[1] = b[1]!;
    kb[2] = b[2]!;
    kb[3] = b[3]!;
    this.pa = this.srcIsA ? sp : dp;
    this.pb = this.srcIsA ? dp : sp;
    this.derive();
    this.hash = this.mix(ka[3]!, kb[3]!);
  }

  private packIdent(): void {
    this.ident =
      (this.kind & 3) |
      ((this.ver & 7) << M_VER) |
      ((this.l4 & 15) << M_L4) |
      ((this.proto & 0xffff) << M_PROTO);
    this.ports = ((this.pa & 0xffff) << 16) | (this.pb & 0xffff);
  }

  /** Sets the derived fields (ident, ports, a3, b3, wide) from the key's fields (keyFromWords calls it too). */
  derive(): void {
    const a = this.a;
    const b = this.b;
    this.packIdent();
    this.a3 = a[3]! | 0;
    this.b3 = b[3]! | 0;
    this.wide = (a[0]! | a[1]! | a[2]! | b[0]! | b[1]! | b[2]!) !== 0;
  }

  /**
   * The key's hash from its fields (a[0..2], b[0..2] read from the arrays, the last words given; ports packed
   * by packIdent first): the same computation for every key, so a flow found by either path hashes alike.
   */
  private mix(a3: number, b3: number): number {
    const ka = this.a;
    const kb = this.b;
    let h =
      Math.imul(this.kind * 31 + this.ver * 7 + this.proto, 0x9e3779b1) ^ Math.imul(this.l4, 0x27d4eb2f);
    h = Math.imul(h ^ ka[0]!, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13) ^ kb[0]!, 0xc2b2ae35);
    h = Math.imul(h ^ ka[1]!, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13) ^ kb[1]!, 0xc2b2ae35);
    h = Math.imul(h ^ ka[2]!, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13) ^ kb[2]!, 0xc2b2ae35);
    h = Math.imul(h ^ a3, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13) ^ b3, 0xc2b2ae35);
    h = Math.imul(h ^ this.ports, 0x85ebca6b);
    return (h ^ (h >>> 16)) | 0;
  }
}

/**
 * A number for an IPv4 TCP/UDP conversation from its canonical endpoints (A = the smaller address, then port):
 * equal keys give equal numbers. Lets a split run's first part (Analysis.beginTail) skip, without decoding,
 * the records of conversations that are not its own.
 */
export function v4PortSig(a: number, b: number, pa: number, pb: number, proto: number): number {
  let h = Math.imul(proto + 0x9e3779b1, 0x85ebca6b) ^ a;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f) ^ ((pa << 16) | pb);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) | 0;
}
