/**
 * QUIC long-header packets and Initial packet protection (RFC 9000 section 17.2, RFC 9001 section 5, RFC 9369
 * for version 2). Initial keys derive from the client's Destination Connection ID and a public per-version
 * salt, so any observer can read the ClientHello in the client's Initial packets.
 */
import { hkdfExpandLabel, hkdfExtract } from '../../../shared/sha256.js';
import { Aes128, aes128GcmOpen } from './aes.js';

export const QUIC_V1 = 0x00000001;
export const QUIC_V2 = 0x6b3343cf;

const hexBytes = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));
const SALT_V1 = hexBytes('38762cf7f55934b34d179ae6a4c80cadccbb7f0a');
const SALT_V2 = hexBytes('0dede3def700a6db819381be6e269dcbf9bd2ed9');
const SALT_D29 = hexBytes('afbfec289993d24c9e9786f19c6111e04390a899');
const SALT_D23 = hexBytes('c3eef712c72ebb5a11a7d2432bb46365bef9f502');

/** Initial salt of a version; null for versions whose Initial protection we do not know. */
function initialSalt(version: number): Uint8Array | null {
  if (version === QUIC_V1) return SALT_V1;
  if (version === QUIC_V2) return SALT_V2;
  if ((version & 0xffffff00) >>> 0 === 0xff000000) {
    const d = version & 0xff;
    if (d >= 29 && d <= 34) return SALT_D29;
    if (d >= 23 && d <= 28) return SALT_D23;
  }
  return null;
}

export function versionText(v: number): string {
  if (v === QUIC_V1) return 'QUIC v1';
  if (v === QUIC_V2) return 'QUIC v2';
  if ((v & 0xffffff00) >>> 0 === 0xff000000) return `QUIC draft-${v & 0xff}`;
  if (v === 0) return 'version negotiation';
  return `0x${v.toString(16).padStart(8, '0')}`;
}

/** Long packet type as RFC 9000 names it; version 2 permutes the bits (RFC 9369 section 3.2). */
export type LongType = 'initial' | '0rtt' | 'handshake' | 'retry';
const V1_TYPES: LongType[] = ['initial', '0rtt', 'handshake', 'retry'];
const V2_TYPES: LongType[] = ['retry', 'initial', '0rtt', 'handshake'];

export interface LongPacket {
  type: LongType;
  version: number;
  dcid: Uint8Array;
  scid: Uint8Array;
  /** offset of the (protected) packet number */
  pnOffset: number;
  /** end of this packet (start of the next coalesced one) */
  end: number;
  /** start of the packet (its first byte) */
  start: number;
}

/** Variable-length integer (RFC 9000 section 16) at off; [value, bytes] or null. Values above 2^53 are clipped. */
export function varint(b: Uint8Array, off: number, end: number): [number, number] | null {
  if (off >= end) return null;
  const n = 1 << (b[off]! >> 6);
  if (off + n > end) return null;
  let v = b[off]! & 0x3f;
  for (let i = 1; i < n; i++) v = v * 256 + b[off + i]!;
  return [v, n];
}

/** Parses the long header at off; null if it is not one (short header, version negotiation, malformed). */
export function parseLongHeader(b: Uint8Array, off: number, end: number): LongPacket | null {
  if (off + 7 > end) return null;
  const first = b[off]!;
  if ((first & 0x80) === 0) return null;
  const version = ((b[off + 1]! << 24) | (b[off + 2]! << 16) | (b[off + 3]! << 8) | b[off + 4]!) >>> 0;
  if (version === 0) return null;
  let p = off + 5;
  const dl = b[p]!;
  if (dl > 20 || p + 1 + dl >= end) return null;
  const dcid = b.subarray(p + 1, p + 1 + dl);
  p += 1 + dl;
  const sl = b[p]!;
  if (sl > 20 || p + 1 + sl > end) return null;
  const scid = b.subarray(p + 1, p + 1 + sl);
  p += 1 + sl;
  const type = (version === QUIC_V2 ? V2_TYPES : V1_TYPES)[(first >> 4) & 3]!;
  if (type === 'retry') return { type, version, dcid, scid, pnOffset: end, end, start: off };
  if (type === 'initial') {
    const t = varint(b, p, end);
    if (!t || p + t[1] + t[0] > end) return null;
    p += t[1] + t[0];
  }
  const l = varint(b, p, end);
  if (!l) return null;
  p += l[1];
  if (p + l[0] > end || l[0] < 20) return null;
  return { type, version, dcid, scid, pnOffset: p, end: p + l[0], start: off };
}

export interface InitialKeys {
  aes: Aes128;
  iv: Uint8Array;
  hp: Aes128;
}

/** Initial keys of one side (client or server) for a connection id (RFC 9001 section 5.2). */
export function initialKeys(
  dcid: Uint8Array,
  version: number,
  side: 'client' | 'server',
): InitialKeys | null {
  const salt = initialSalt(version);
  if (!salt) return null;
  const secret = hkdfExpandLabel(
    hkdfExtract(salt, dcid),
    side === 'client' ? 'client in' : 'server in',
    new Uint8Array(0),
    32,
  );
  const v2 = version === QUIC_V2;
  const e = new Uint8Array(0);
  return {
    aes: new Aes128(hkdfExpandLabel(secret, v2 ? 'quicv2 key' : 'quic key', e, 16)),
    iv: hkdfExpandLabel(secret, v2 ? 'quicv2 iv' : 'quic iv', e, 12),
    hp: new Aes128(hkdfExpandLabel(secret, v2 ? 'quicv2 hp' : 'quic hp', e, 16)),
  };
}

/**
 * Removes header protection and decrypts one Initial packet. Returns the frames' plaintext and the packet
 * number, or null when the keys do not fit (tag mismatch) or the packet is too short. Does not modify b.
 */
export function openInitial(
  b: Uint8Array,
  pkt: LongPacket,
  keys: InitialKeys,
): { payload: Uint8Array; pn: number } | null {
  const sampleOff = pkt.pnOffset + 4;
  if (sampleOff + 16 > pkt.end) return null;
  const mask = new Uint8Array(16);
  keys.hp.encryptBlock(b, sampleOff, mask, 0);
  const first = b[pkt.start]! ^ (mask[0]! & 0x0f);
  const pnLen = (first & 3) + 1;
  const header = b.slice(pkt.start, pkt.pnOffset + pnLen);
  header[0] = first;
  let pn = 0;
  for (let i = 0; i < pnLen; i++) {
    const v = b[pkt.pnOffset + i]! ^ mask[1 + i]!;
    header[pkt.pnOffset - pkt.start + i] = v;
    pn = pn * 256 + v;
  }
  const nonce = keys.iv.slice();
  for (let i = 0; i < 4; i++) nonce[11 - i] = nonce[11 - i]! ^ ((pn >>> (8 * i)) & 255);
  const payload = aes128GcmOpen(keys.aes, nonce, header, b.subarray(pkt.pnOffset + pnLen, pkt.end));
  return payload ? { payload, pn } : null;
}

/**
 * Walks the frames of a decrypted Initial payload and hands CRYPTO frame data to onCrypto. Initial packets may
 * only hold PADDING, PING, ACK, CRYPTO and CONNECTION_CLOSE (RFC 9000 section 12.4); anything else stops the walk.
 */
export function walkInitialFrames(
  p: Uint8Array,
  onCrypto: (offset: number, data: Uint8Array) => void,
): boolean {
  let o = 0;
  for (let guard = 0; o < p.length && guard < 4096; guard++) {
    const t = p[o]!;
    if (t === 0x00 || t === 0x01) {
      o++;
      continue;
    }
    if (t === 0x02 || t === 0x03) {
      o++;
      const n = t === 0x03 ? 7 : 4;
      let count = 0;
      for (let i = 0; i < n; i++) {
        if (i === 4 && t !== 0x03) break;
        const v = varint(p, o, p.length);
        if (!v) return false;
        o += v[1];
        if (i === 2) count = v[0];
        if (i === 3) {
          // count (gap, range) pairs follow the first range
          if (count > 256) return false;
          for (let k = 0; k < 2 * count; k++) {
            const w = varint(p, o, p.length);
            if (!w) return false;
            o += w[1];
          }
        }
      }
      continue;
    }
    if (t === 0x06) {
      const off = varint(p, o + 1, p.length);
      if (!off) return false;
      const len = varint(p, o + 1 + off[1], p.length);
      if (!len) return false;
      const d = o + 1 + off[1] + len[1];
      if (d + len[0] > p.length) return false;
      onCrypto(off[0], p.subarray(d, d + len[0]));
      o = d + len[0];
      continue;
    }
    if (t === 0x1c || t === 0x1d) return true;
    return false;
  }
  return true;
}
