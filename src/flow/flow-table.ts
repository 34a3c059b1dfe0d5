/**
 * Live conversations: a Map from the numeric key hash to a chain of flows (collisions compared field by
 * field), plus a doubly linked list in order of last activity, so idle and over-the-limit flows are found
 * at its head in O(1).
 */
import type { FlowKey } from './flow-key.js';
import type { FlowState } from './flow-state.js';

export class FlowTable {
  private readonly buckets = new Map<number, FlowState>();
  private head: FlowState | null = null;
  private tail: FlowState | null = null;
  size = 0;

  get(key: FlowKey): FlowState | null {
    let f = this.buckets.get(key.hash) ?? null;
    while (f !== null && !f.matches(key)) f = f.nextInBucket;
    return f;
  }

  add(f: FlowState): void {
    f.nextInBucket = this.buckets.get(f.hash) ?? null;
    this.buckets.set(f.hash, f);
    f.lruPrev = this.tail;
    f.lruNext = null;
    if (this.tail !== null) this.tail.lruNext = f;
    else this.head = f;
    this.tail = f;
    this.size++;
  }

  /** Moves a flow to the most-recently-active end. */
  touch(f: FlowState): void {
    if (this.tail === f) return;
    this.unlink(f);
    f.lruPrev = this.tail;
    f.lruNext = null;
    if (this.tail !== null) this.tail.lruNext = f;
    else this.head = f;
    this.tail = f;
  }

  /** least recently active flow */
  oldest(): FlowState | null {
    return this.head;
  }

  remove(f: FlowState): void {
    let cur = this.buckets.get(f.hash) ?? null;
    let prev: FlowState | null = null;
    while (cur !== null && cur !== f) {
      prev = cur;
      cur = cur.nextInBucket;
    }
    if (cur === null) return;
    if (prev !== null) prev.nextInBucket = f.nextInBucket;
    else if (f.nextInBucket !== null) this.buckets.set(f.hash, f.nextInBucket);
    else this.buckets.delete(f.hash);
    f.nextInBucket = null;
    this.unlink(f);
    f.lruPrev = f.lruNext = null;
    this.size--;
  }

  /** every live flow, least recently active first */
  *values(): IterableIterator<FlowState> {
    for (let f = this.head; f !== null; f = f.lruNext) yield f;
  }

  private unlink(f: FlowState): void {
    if (f.lruPrev !== null) f.lruPrev.lruNext = f.lruNext;
    else if (this.head === f) this.head = f.lruNext;
    if (f.lruNext !== null) f.lruNext.lruPrev = f.lruPrev;
    else if (this.tail === f) this.tail = f.lruPrev;
  }
}
