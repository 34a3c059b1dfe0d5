import { ipKey } from '../../shared/filter/ip-key.js';

/**
 * The shard of a row: a 32-bit hash of the conversation's endpoint pair, sorted so both directions agree
 * (flows by src/dst, application rows by client/server, hosts by their address). Addresses are hashed by
 * their key (ip-key.ts), so 10.0.0.1 and ::ffff:10.0.0.1 agree; MAC-only flows hash their MACs.
 * The Distributed tables route by `shard_key % shards`.
 */
function fnv(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const norm = (a: unknown): string => {
  if (typeof a !== 'string') return '';
  return ipKey(a) ?? a.toLowerCase();
};

export function pairShardKey(a: unknown, b: unknown): number {
  const x = norm(a);
  const y = norm(b);
  const [lo, hi] = x <= y ? [x, y] : [y, x];
  return mix(fnv(hi, fnv(lo, 0x811c9dc5) ^ 0x7c));
}

export function hostShardKey(ip: unknown): number {
  return mix(fnv(norm(ip), 0x811c9dc5));
}
