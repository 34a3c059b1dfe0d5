/**
 * Live conversations: an index (hash-slots.ts) from the numeric key hash to a chain of flows (collisions compared field by
 * field), plus one doubly linked list per timeout class (flow-timeouts.ts) in order of last activity, so
 * idle and over-the-limit flows are found at the heads in O(1).
 */
import type { FlowKey } from './flow-key.js';
import type { FlowState } from './flow-state.js';
import { CLS_COUNT } from './flow-timeouts.js';
import { HashSlots } from './hash-slots.js';

export class FlowTable {
  private readonly buckets = new HashSlots<FlowState>();
  private readonly heads: (FlowState | null)[] = new Array<FlowState | null>(CLS_COUNT).fill(null);
  private readonly tails: (FlowState | null)[] = new Array<FlowState | null>(CLS_COUNT).fill(null);
  size = 0;
  /**
   * the flow found by the last get(): consecutive packets of one conversation are common (half the look-ups on
   * the bench capture), and a match against it is cheaper than the Map's hash look-up
   */
  private last: FlowState | null = null;

  get(key: FlowKey): FlowState | null {
    const last = this.last;
    if (last !== null && last.matches(key)) return last;
    let f = this.buckets.get(key.hash);
    while (f !== null && !f.matches(key)) f = f.nextInBucket;
    if (f !== null) this.last = f;
    return f;
  }

  /** Adds a flow at the most-recently-active end of its class (f.cls). */
  add(f: FlowState): void {
    f.nextInBucket = this.buckets.get(f.hash);
    this.buckets.set(f.hash, f);
    this.append(f);
    this.size++;
  }

  /** Moves a flow to the most-recently-active end of its class. */
  touch(f: FlowState): void {
    if (this.tails[f.cls] === f) return;
    this.unlink(f);
    this.append(f);
  }

  /** Moves a live flow to another timeout class (as the most recently active there). */
  setClass(f: FlowState, cls: number): void {
    if (f.cls === cls) return;
    this.unlink(f);
    f.cls = cls;
    this.append(f);
  }

  /** least recently active flow of one class */
  oldestOf(cls: number): FlowState | null {
    return this.heads[cls] ?? null;
  }

  /** least recently active flow over all classes (by last packet time, then class order) */
  oldest(): FlowState | null {
    let best: FlowState | null = null;
    for (let c = 0; c < CLS_COUNT; c++) {
      const h = this.heads[c] ?? null;
      if (h === null) continue;
      if (
        best === null ||
        h.lastSec < best.lastSec ||
        (h.lastSec === best.lastSec && h.lastNsec < best.lastNsec)
      ) {
        best = h;
      }
    }
    return best;
  }

  remove(f: FlowState): void {
    let cur = this.buckets.get(f.hash);
    let prev: FlowState | null = null;
    while (cur !== null && cur !== f) {
      prev = cur;
      cur = cur.nextInBucket;
    }
    if (cur === null) return;
    if (this.last === f) this.last = null;
    if (prev !== null) prev.nextInBucket = f.nextInBucket;
    else if (f.nextInBucket !== null) this.buckets.set(f.hash, f.nextInBucket);
    else this.buckets.delete(f.hash);
    f.nextInBucket = null;
    this.unlink(f);
    this.size--;
  }

  /** every live flow, class by class, least recently active first */
  *values(): IterableIterator<FlowState> {
    for (let c = 0; c < CLS_COUNT; c++)
      for (let f = this.heads[c] ?? null; f !== null; f = f.lruNext) yield f;
  }

  private append(f: FlowState): void {
    const c = f.cls;
    const tail = this.tails[c] ?? null;
    f.lruPrev = tail;
    f.lruNext = null;
    if (tail !== null) tail.lruNext = f;
    else this.heads[c] = f;
    this.tails[c] = f;
  }

  private unlink(f: FlowState): void {
    const c = f.cls;
    if (f.lruPrev !== null) f.lruPrev.lruNext = f.lruNext;
    else if (this.heads[c] === f) this.heads[c] = f.lruNext;
    if (f.lruNext !== null) f.lruNext.lruPrev = f.lruPrev;
    else if (this.tails[c] === f) this.tails[c] = f.lruPrev;
    f.lruPrev = f.lruNext = null;
  }
}
