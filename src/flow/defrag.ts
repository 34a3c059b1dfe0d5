/**
 * IPv4 and IPv6 fragment reassembly (RFC 791, RFC 8200 section 4.5) for the decoders (dissect's
 * FragmentSink). Fragments are copied (the reader's buffer is reused) and held per datagram until the
 * datagram is complete, times out or a memory limit drops it. Overlapping bytes: the first copy received
 * wins (a later fragment cannot rewrite what was already delivered, the usual defence against
 * overlap-based evasion). A completed datagram is written to a fresh buffer: the transport and app
 * decoders may hold a view on it while later fragments complete other datagrams.
 */
import type { FragmentSink, NetLayer, Packet } from '../dissect/dissector.js';
import { u32be } from '../wire/byte-view.js';
import { EMPTY_BYTES } from '../wire/record.js';

export interface FragmentLimits {
  /** largest datagram rebuilt (fragment offset + length); default 65535 + 8 (largest IPv6 fragment end) */
  maxDatagramBytes?: number;
  /** fragment bytes held over all incomplete datagrams; default 16 MiB */
  maxTotalBytes?: number;
  /** incomplete datagrams held at once; default 4096 */
  maxDatagrams?: number;
  /** an incomplete datagram older than this (capture time) is dropped; default 60 s */
  timeoutSec?: number;
}

export type DropReason = 'timeout' | 'overflow' | 'oversize' | 'conflict';

interface Piece {
  off: number;
  data: Uint8Array;
}

class Datagram {
  next: Datagram | null = null;
  pieces: Piece[] = [];
  held = 0;
  /** datagram length, known once the last fragment (MF = 0) arrived; -1 before */
  total = -1;
  constructor(
    readonly hash: number,
    readonly version: number,
    readonly proto: number,
    readonly id: number,
    readonly s: Uint32Array,
    readonly d: Uint32Array,
    readonly firstSec: number,
  ) {}
}

export class Defragmenter implements FragmentSink {
  out: Uint8Array = EMPTY_BYTES;
  outLen = 0;
  /** called when a datagram is given up */
  onDrop: ((reason: DropReason) => void) | null = null;
  readonly drops: Record<DropReason, number> = { timeout: 0, overflow: 0, oversize: 0, conflict: 0 };
  completed = 0;
  private readonly maxDatagramBytes: number;
  private readonly maxTotalBytes: number;
  private readonly maxDatagrams: number;
  private readonly timeoutSec: number;
  private readonly byHash = new Map<number, Datagram>();
  /** insertion order = age order */
  private readonly order = new Set<Datagram>();
  private heldTotal = 0;
  private readonly ks = new Uint32Array(4);
  private readonly kd = new Uint32Array(4);

  constructor(limits: FragmentLimits = {}) {
    this.maxDatagramBytes = limits.maxDatagramBytes ?? 65535 + 8;
    this.maxTotalBytes = limits.maxTotalBytes ?? 16 << 20;
    this.maxDatagrams = limits.maxDatagrams ?? 4096;
    this.timeoutSec = limits.timeoutSec ?? 60;
  }

  /** bytes currently held in incomplete datagrams */
  get heldBytes(): number {
    return this.heldTotal;
  }

  get pending(): number {
    return this.order.size;
  }

  fragment(
    p: Packet,
    layer: NetLayer,
    ipProto: number,
    ident: number,
    fragOffset: number,
    more: boolean,
    b: Uint8Array,
    off: number,
    len: number,
  ): boolean {
    this.expire(p.tsSec);
    const ks = this.ks;
    const kd = this.kd;
    if (layer.version === 4) {
      ks[0] = ks[1] = ks[2] = kd[0] = kd[1] = kd[2] = 0;
      ks[3] = layer.src4;
      kd[3] = layer.dst4;
    } else {
      for (let i = 0; i < 4; i++) {
        ks[i] = u32be(layer.buf, layer.srcOff + 4 * i);
        kd[i] = u32be(layer.buf, layer.dstOff + 4 * i);
      }
    }
    let h = Math.imul(layer.version * 257 + ipProto, 0x9e3779b1) ^ ident;
    for (let i = 0; i < 4; i++) {
      h = Math.imul(h ^ ks[i]!, 0x85ebca6b);
      h = Math.imul(h ^ kd[i]!, 0xc2b2ae35);
    }
    h = (h ^ (h >>> 15)) | 0;
    let d = this.byHash.get(h) ?? null;
    while (d !== null && !this.same(d, layer.version, ipProto, ident)) d = d.next;
    if (d === null) {
      if (this.order.size >= this.maxDatagrams) this.dropOldest('overflow');
      d = new Datagram(h, layer.version, ipProto, ident, Uint32Array.from(ks), Uint32Array.from(kd), p.tsSec);
      d.next = this.byHash.get(h) ?? null;
      this.byHash.set(h, d);
      this.order.add(d);
    }
    const endOff = fragOffset + len;
    if (endOff > this.maxDatagramBytes) {
      this.drop(d, 'oversize');
      return false;
    }
    if (!more) {
      if (d.total >= 0 && d.total !== endOff) {
        this.drop(d, 'conflict');
        return false;
      }
      d.total = endOff;
    }
    while (this.heldTotal + len > this.maxTotalBytes) {
      const oldest = this.order.values().next().value;
      if (oldest === undefined || oldest === d) break;
      this.drop(oldest, 'overflow');
    }
    if (this.heldTotal + len > this.maxTotalBytes) {
      this.drop(d, 'overflow');
      return false;
    }
    d.pieces.push({ off: fragOffset, data: b.slice(off, off + len) });
    d.held += len;
    this.heldTotal += len;
    if (d.total < 0 || !this.covered(d)) return false;
    const out = new Uint8Array(d.total);
    // later arrivals first, so the first copy of overlapping bytes is written last and wins
    for (let i = d.pieces.length - 1; i >= 0; i--) {
      const pc = d.pieces[i]!;
      const n = Math.min(pc.data.length, d.total - pc.off);
      if (n > 0) out.set(n === pc.data.length ? pc.data : pc.data.subarray(0, n), pc.off);
    }
    this.remove(d);
    this.completed++;
    this.out = out;
    this.outLen = out.length;
    return true;
  }

  private same(d: Datagram, version: number, proto: number, id: number): boolean {
    if (d.version !== version || d.proto !== proto || d.id !== id) return false;
    for (let i = 0; i < 4; i++) if (d.s[i] !== this.ks[i] || d.d[i] !== this.kd[i]) return false;
    return true;
  }

  /** whether the pieces cover [0, total) without a hole */
  private covered(d: Datagram): boolean {
    const ps = d.pieces.slice().sort((a, b) => a.off - b.off);
    let reach = 0;
    for (const pc of ps) {
      if (pc.off > reach) return false;
      reach = Math.max(reach, pc.off + pc.data.length);
      if (reach >= d.total) return true;
    }
    return reach >= d.total;
  }

  private expire(nowSec: number): void {
    for (;;) {
      const oldest = this.order.values().next().value;
      if (oldest === undefined || oldest.firstSec + this.timeoutSec >= nowSec) return;
      this.drop(oldest, 'timeout');
    }
  }

  private dropOldest(reason: DropReason): void {
    const oldest = this.order.values().next().value;
    if (oldest !== undefined) this.drop(oldest, reason);
  }

  private drop(d: Datagram, reason: DropReason): void {
    this.remove(d);
    this.drops[reason]++;
    this.onDrop?.(reason);
  }

  private remove(d: Datagram): void {
    this.order.delete(d);
    this.heldTotal -= d.held;
    let cur = this.byHash.get(d.hash) ?? null;
    let prev: Datagram | null = null;
    while (cur !== null && cur !== d) {
      prev = cur;
      cur = cur.next;
    }
    if (cur === null) return;
    if (prev === null) {
      if (d.next === null) this.byHash.delete(d.hash);
      else this.byHash.set(d.hash, d.next);
    } else prev.next = d.next;
  }
}
