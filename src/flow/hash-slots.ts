/**
 * A map from 32-bit hashes to objects, by open addressing with linear probing over a typed array of keys: the
 * flow table's index (flow-table.ts), looked up once or twice per packet. Against a Map<number, T> it saves the
 * Map's own hashing of the number and its bucket chains; the hashes it gets are already mixed (FlowKey.mix), so
 * their low bits pick the slot. Deletion shifts the following entries back (no tombstones), so a long capture's
 * churn of flows never slows the probes down.
 */
export class HashSlots<T extends object> {
  private keys: Int32Array;
  private vals: (T | null)[];
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.keys = new Int32Array(cap);
    this.vals = new Array<T | null>(cap).fill(null);
    this.mask = cap - 1;
  }

  get(hash: number): T | null {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const v = vals[i]!;
      if (v === null || keys[i] === hash) return v;
    }
  }

  set(hash: number, value: T): void {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hash & mask;
    for (; vals[i] !== null; i = (i + 1) & mask) {
      if (keys[i] === hash) {
        vals[i] = value;
        return;
      }
    }
    keys[i] = hash;
    vals[i] = value;
    // at most half full: probes stay short
    if (++this.size * 2 > vals.length) this.grow();
  }

  delete(hash: number): void {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = hash & mask;
    for (; ; i = (i + 1) & mask) {
      if (vals[i] === null) return;
      if (keys[i] === hash) break;
    }
    this.size--;
    // shift back the entries after i that belong at i or before it (their probe passed through i)
    for (let j = (i + 1) & mask; vals[j] !== null; j = (j + 1) & mask) {
      const home = keys[j]! & mask;
      const between = i <= j ? i < home && home <= j : i < home || home <= j;
      if (between) continue;
      keys[i] = keys[j]!;
      vals[i] = vals[j]!;
      i = j;
    }
    vals[i] = null;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldVals.length * 2;
    this.keys = new Int32Array(cap);
    this.vals = new Array<T | null>(cap).fill(null);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < oldVals.length; i++) {
      const v = oldVals[i]!;
      if (v !== null) this.set(oldKeys[i]!, v);
    }
  }
}
