/**
 * Deterministic mutations of capture files: bit flips, extreme bytes, length fields set to edge values,
 * truncation, splicing records/blocks of two files, duplicated/reordered records, random garbage. The same seed
 * gives the same inputs.
 */
import { layoutOf, type Field, type Layout } from './layout.js';

/** A small seeded PRNG (mulberry32): fast and reproducible across runs. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface Seed {
  name: string;
  bytes: Uint8Array;
  layout: Layout;
}

export function makeSeed(name: string, bytes: Uint8Array): Seed {
  return { name, bytes, layout: layoutOf(bytes) };
}

const EXTREMES = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];

function readField(b: Uint8Array, f: Field): number {
  let v = 0;
  for (let i = 0; i < f.size; i++) {
    const byte = b[f.off + (f.bigEndian ? i : f.size - 1 - i)] ?? 0;
    v = v * 256 + byte;
  }
  if (f.mask !== undefined) v = (v & f.mask) >> (f.mask === 0xf0 ? 4 : 0);
  return v;
}

function writeField(b: Uint8Array, f: Field, value: number): void {
  if (f.mask !== undefined) {
    const shift = f.mask === 0xf0 ? 4 : 0;
    if (f.off < b.length) b[f.off] = (b[f.off]! & ~f.mask) | ((value << shift) & f.mask);
    return;
  }
  let v = value;
  for (let i = f.size - 1; i >= 0; i--) {
    const at = f.off + (f.bigEndian ? i : f.size - 1 - i);
    if (at < b.length) b[at] = v & 0xff;
    v = Math.floor(v / 256);
  }
}

/** Edge values for a length field: 0, 1, max, off by one around the current value, doubled, random. */
function edgeValue(rng: Rng, f: Field, cur: number): number {
  const max = f.mask !== undefined ? 15 : 2 ** (8 * f.size) - 1;
  const c = rng.int(10);
  switch (c) {
    case 0:
      return 0;
    case 1:
      return 1;
    case 2:
      return max;
    case 3:
      return Math.min(max, cur + 1);
    case 4:
      return Math.max(0, cur - 1);
    case 5:
      return Math.min(max, cur * 2);
    case 6:
      return Math.floor(max / 2) + 1;
    case 7:
      return Math.max(0, cur - rng.int(16));
    case 8:
      return Math.min(max, cur + rng.int(64));
    default:
      return rng.int(max + 1);
  }
}

const groups = new WeakMap<Layout, Field[][]>();

function fieldsByKind(layout: Layout): Field[][] {
  let g = groups.get(layout);
  if (!g) {
    const m = new Map<string, Field[]>();
    for (const f of layout.fields) {
      const list = m.get(f.kind);
      if (list) list.push(f);
      else m.set(f.kind, [f]);
    }
    g = [...m.values()];
    groups.set(layout, g);
  }
  return g;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const MUTATIONS = [
  'bitflip',
  'extreme',
  'length',
  'truncate',
  'splice',
  'duplicate',
  'garbage',
  'shuffle',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** Field offsets and units are taken from the seed; after a size-changing step they are re-derived. */
export function mutate(
  rng: Rng,
  seeds: readonly Seed[],
  seedIndex: number,
): { bytes: Uint8Array; steps: string[] } {
  const seed = seeds[seedIndex]!;
  let b: Uint8Array = seed.bytes.slice();
  let layout = seed.layout;
  const steps: string[] = [];
  const count = 1 + (rng.chance(0.5) ? 0 : rng.int(4));
  for (let i = 0; i < count; i++) {
    const m: Mutation = rng.chance(0.35) ? 'length' : rng.pick(MUTATIONS);
    const before = b.length;
    b = applyOne(rng, m, b, layout, seeds, steps);
    if (b.length !== before || m === 'splice' || m === 'shuffle') layout = layoutOf(b);
  }
  return { bytes: b, steps };
}

function applyOne(
  rng: Rng,
  m: Mutation,
  b: Uint8Array,
  layout: Layout,
  seeds: readonly Seed[],
  steps: string[],
): Uint8Array {
  if (b.length === 0) return b;
  switch (m) {
    case 'bitflip': {
      const n = 1 + rng.int(8);
      for (let i = 0; i < n; i++) b[rng.int(b.length)]! ^= 1 << rng.int(8);
      steps.push(`bitflip x${n}`);
      return b;
    }
    case 'extreme': {
      const at = rng.int(b.length);
      b[at] = rng.pick(EXTREMES);
      steps.push(`extreme @${at}`);
      return b;
    }
    case 'length': {
      const kinds = fieldsByKind(layout);
      if (kinds.length === 0) return applyOne(rng, 'bitflip', b, layout, seeds, steps);
      // a kind first, then a field of it: rare kinds (TLS SNI length) get as many hits as DNS labels
      const group = rng.pick(kinds);
      if (rng.chance(0.1)) {
        // every field of the kind at once (each caplen off by one, every DNS count maxed)
        const delta = rng.pick([-1, 1, 0x7fff]);
        for (const f of group) writeField(b, f, Math.max(0, readField(b, f) + delta));
        steps.push(`all ${group[0]!.kind} ${delta > 0 ? '+' : ''}${delta}`);
        return b;
      }
      const f = rng.pick(group);
      const v = edgeValue(rng, f, readField(b, f));
      writeField(b, f, v);
      steps.push(`${f.kind}@${f.off}=${v}`);
      return b;
    }
    case 'truncate': {
      let at: number;
      if (layout.units.length > 0 && rng.chance(0.5)) {
        const u = rng.pick(layout.units);
        at = u[0] + rng.int(Math.max(1, u[1] - u[0]));
      } else at = rng.int(b.length);
      steps.push(`truncate ${at}`);
      return b.slice(0, at);
    }
    case 'splice': {
      const other = rng.pick(seeds);
      const ou = other.layout.units;
      if (layout.units.length === 0 || ou.length === 0) {
        // raw splice at random offsets
        const cut = rng.int(b.length);
        const from = rng.int(other.bytes.length);
        steps.push(`raw splice ${other.name}@${from} at ${cut}`);
        return concat([b.subarray(0, cut), other.bytes.subarray(from, from + 4096)]);
      }
      const at = rng.pick(layout.units)[0];
      const n = 1 + rng.int(8);
      const start = rng.int(ou.length);
      const pieces: Uint8Array[] = [];
      for (let k = start; k < Math.min(ou.length, start + n); k++) {
        const [s, e] = ou[k]!;
        pieces.push(other.bytes.subarray(s, e));
      }
      steps.push(`splice ${pieces.length} units of ${other.name} at ${at}`);
      return concat([b.subarray(0, at), ...pieces, b.subarray(at)]);
    }
    case 'duplicate': {
      if (layout.units.length === 0) return applyOne(rng, 'garbage', b, layout, seeds, steps);
      const u = rng.pick(layout.units);
      const times = rng.pick([1, 2, 50, 300]);
      const piece = b.subarray(u[0], u[1]);
      steps.push(`duplicate unit@${u[0]} x${times}`);
      return concat([b.subarray(0, u[1]), ...Array<Uint8Array>(times).fill(piece), b.subarray(u[1])]);
    }
    case 'shuffle': {
      if (layout.units.length < 2) return applyOne(rng, 'bitflip', b, layout, seeds, steps);
      const units = layout.units.slice();
      // swap a few neighbours: reordered TCP segments and fragments
      for (let k = 0; k < 1 + rng.int(6); k++) {
        const i = rng.int(units.length - 1);
        const t = units[i]!;
        units[i] = units[i + 1]!;
        units[i + 1] = t;
      }
      const first = layout.units[0]![0];
      const last = layout.units[layout.units.length - 1]![1];
      steps.push('shuffle');
      return concat([b.subarray(0, first), ...units.map(([s, e]) => b.subarray(s, e)), b.subarray(last)]);
    }
    case 'garbage': {
      const len = rng.pick([1, 4, 16, 64, 1500]);
      const g = new Uint8Array(len);
      for (let i = 0; i < len; i++) g[i] = rng.int(256);
      const at = rng.int(b.length + 1);
      if (rng.chance(0.5)) {
        steps.push(`garbage overwrite ${len}@${at}`);
        b.set(g.subarray(0, Math.max(0, Math.min(len, b.length - at))), at);
        return b;
      }
      steps.push(`garbage insert ${len}@${at}`);
      return concat([b.subarray(0, at), g, b.subarray(at)]);
    }
  }
}
