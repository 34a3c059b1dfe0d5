/**
 * Which ingest job accounts a layer of a packet: a symmetric hash of the layer's endpoint pair (IP source
 * and destination as the host table sees them; MACs for frames without IP), cut into `jobs` equal ranges.
 * Every job reads every packet; each accounts only the layers whose pair falls in its range, so a
 * conversation (all flows between two hosts, and the peers they make) is counted by exactly one job.
 */
import type { NetLayer, Packet } from '../../dissect/dissector.js';
import { fnv1a } from '../../shared/fnv.js';

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function bytesHash(b: Uint8Array, off: number, len: number): number {
  return mix(fnv1a(b, off, off + len));
}

function pair(x: number, y: number): number {
  const lo = x < y ? x : y;
  const hi = x < y ? y : x;
  return mix((Math.imul(lo, 0x9e3779b1) ^ hi) >>> 0);
}

export function layerHash(l: NetLayer): number {
  if (l.version === 4) return pair(mix(l.src4 >>> 0), mix(l.dst4 >>> 0));
  return pair(bytesHash(l.buf, l.srcOff, 16), bytesHash(l.buf, l.dstOff, 16));
}

/** Frames without IP: the MAC pair (or the source MAC alone when there is no destination). */
export function l2Hash(p: Packet): number {
  const s = p.srcMacOff >= 0 ? bytesHash(p.macBuf, p.srcMacOff, 6) : 0;
  const d = p.dstMacOff >= 0 ? bytesHash(p.macBuf, p.dstMacOff, 6) : 0;
  return pair(s, d);
}

/** The job (0-based) owning a hash, out of `jobs` equal ranges of the 32-bit space. */
export function jobOf(hash: number, jobs: number): number {
  return Math.min(jobs - 1, Math.floor((hash / 4294967296) * jobs));
}
