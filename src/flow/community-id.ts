/**
 * Community ID v1 (corelight community-id-spec): "1:" + base64(SHA-1(seed(2) saddr daddr proto(1) 0(1)
 * [sport(2) dport(2)])), endpoints ordered so both directions of a flow give the same id. Computed once
 * per flow when its row is built.
 */
import { sha1 } from '../shared/sha1.js';
import { base64Encode } from '../shared/base64.js';

/** ICMP request/reply types that map onto each other as if they were ports (spec, "ICMP"). */
const ICMP4_PAIRS: ReadonlyMap<number, number> = new Map([
  [8, 0],
  [0, 8],
  [13, 14],
  [14, 13],
  [15, 16],
  [16, 15],
  [10, 9],
  [9, 10],
  [17, 18],
  [18, 17],
]);
const ICMP6_PAIRS: ReadonlyMap<number, number> = new Map([
  [128, 129],
  [129, 128],
  [133, 134],
  [134, 133],
  [135, 136],
  [136, 135],
  [130, 131],
  [131, 130],
  [139, 140],
  [140, 139],
  [144, 145],
  [145, 144],
]);

function lessThan(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/**
 * @param src,dst 4 (IPv4) or 16 (IPv6) address bytes of the first sender and its peer
 * @param sport,dport ports (TCP/UDP/SCTP) or ICMP type/code; null for other IP protocols
 */
export function communityId(
  proto: number,
  src: Uint8Array,
  dst: Uint8Array,
  sport: number | null,
  dport: number | null,
  seed = 0,
): string {
  let oneWay = false;
  if ((proto === 1 || proto === 58) && sport !== null) {
    const other = (proto === 1 ? ICMP4_PAIRS : ICMP6_PAIRS).get(sport);
    if (other === undefined) oneWay = true;
    else dport = other;
  }
  let sa = src;
  let da = dst;
  let sp = sport;
  let dp = dport;
  const c = lessThan(src, dst);
  const ordered = oneWay || c < 0 || (c === 0 && sp !== null && dp !== null && sp < dp);
  if (!ordered) {
    sa = dst;
    da = src;
    sp = dport;
    dp = sport;
  }
  const hasPorts = sp !== null && dp !== null;
  const buf = new Uint8Array(2 + sa.length * 2 + 2 + (hasPorts ? 4 : 0));
  buf[0] = (seed >> 8) & 255;
  buf[1] = seed & 255;
  buf.set(sa, 2);
  buf.set(da, 2 + sa.length);
  let o = 2 + sa.length * 2;
  buf[o++] = proto & 255;
  buf[o++] = 0;
  if (hasPorts) {
    buf[o++] = (sp! >> 8) & 255;
    buf[o++] = sp! & 255;
    buf[o++] = (dp! >> 8) & 255;
    buf[o++] = dp! & 255;
  }
  return '1:' + base64Encode(sha1(buf));
}
