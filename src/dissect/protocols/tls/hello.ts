/**
 * ClientHello and ServerHello bodies (RFC 8446 section 4.1.2-4.1.3, RFC 5246 section 7.4.1) with the
 * extensions fingerprints need. Input is one handshake message body (after the 4-byte handshake header).
 * Every list is capped; a malformed hello yields null.
 */
import { has, u16be } from '../../../wire/byte-view.js';
import { latin1 } from '../../../shared/bytes-text.js';

const MAX_LIST = 512;

export interface ClientHello {
  legacyVersion: number;
  ciphers: number[];
  /** extension types in wire order */
  extensions: number[];
  serverName: string | null;
  alpn: string[];
  groups: number[];
  pointFormats: number[];
  sigAlgs: number[];
  /** supported_versions (43) in wire order, empty when absent */
  versions: number[];
  sessionIdLen: number;
}

export interface ServerHello {
  legacyVersion: number;
  cipher: number;
  extensions: number[];
  /** supported_versions (43) chosen version, or 0 */
  selectedVersion: number;
  alpn: string | null;
}

/** GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

function u16List(b: Uint8Array, off: number, end: number, out: number[]): void {
  for (let p = off; p + 2 <= end && out.length < MAX_LIST; p += 2) out.push(u16be(b, p));
}

export function parseClientHello(b: Uint8Array, off: number, end: number): ClientHello | null {
  end = Math.min(end, b.length);
  if (!has(off, 35, end)) return null;
  const ch: ClientHello = {
    legacyVersion: u16be(b, off),
    ciphers: [],
    extensions: [],
    serverName: null,
    alpn: [],
    groups: [],
    pointFormats: [],
    sigAlgs: [],
    versions: [],
    sessionIdLen: b[off + 34]!,
  };
  let p = off + 35 + ch.sessionIdLen;
  if (!has(p, 2, end)) return null;
  const cl = u16be(b, p);
  if (!has(p + 2, cl, end) || cl % 2 !== 0) return null;
  u16List(b, p + 2, p + 2 + cl, ch.ciphers);
  p += 2 + cl;
  if (!has(p, 1, end)) return null;
  const compLen = b[p]!;
  p += 1 + compLen;
  if (p > end) return null;
  if (p === end) return ch; // no extensions (SSLv3 style)
  if (!has(p, 2, end)) return null;
  const extEnd = Math.min(end, p + 2 + u16be(b, p));
  p += 2;
  while (p + 4 <= extEnd && ch.extensions.length < MAX_LIST) {
    const type = u16be(b, p);
    const len = u16be(b, p + 2);
    const d = p + 4;
    if (d + len > extEnd) return ch.extensions.length > 0 ? ch : null;
    ch.extensions.push(type);
    parseClientExt(b, type, d, d + len, ch);
    p = d + len;
  }
  return ch;
}

function parseClientExt(b: Uint8Array, type: number, d: number, e: number, ch: ClientHello): void {
  switch (type) {
    case 0: {
      // server_name: list of (type, name); host_name is type 0
      let p = d + 2;
      while (p + 3 <= e) {
        const nt = b[p]!;
        const nl = u16be(b, p + 1);
        if (p + 3 + nl > e) break;
        if (nt === 0 && ch.serverName === null) ch.serverName = latin1(b, p + 3, p + 3 + nl, 255);
        p += 3 + nl;
      }
      break;
    }
    case 16: {
      let p = d + 2;
      while (p + 1 <= e && ch.alpn.length < 32) {
        const l = b[p]!;
        if (p + 1 + l > e) break;
        ch.alpn.push(latin1(b, p + 1, p + 1 + l, 255));
        p += 1 + l;
      }
      break;
    }
    case 10:
      u16List(b, d + 2, Math.min(e, d + 2 + u16be(b, d)), ch.groups);
      break;
    case 11:
      for (let p = d + 1; p < Math.min(e, d + 1 + b[d]!) && ch.pointFormats.length < 32; p++)
        ch.pointFormats.push(b[p]!);
      break;
    case 13:
      u16List(b, d + 2, Math.min(e, d + 2 + u16be(b, d)), ch.sigAlgs);
      break;
    case 43:
      u16List(b, d + 1, Math.min(e, d + 1 + (b[d] ?? 0)), ch.versions);
      break;
  }
}

export function parseServerHello(b: Uint8Array, off: number, end: number): ServerHello | null {
  end = Math.min(end, b.length);
  if (!has(off, 35, end)) return null;
  const sh: ServerHello = {
    legacyVersion: u16be(b, off),
    cipher: 0,
    extensions: [],
    selectedVersion: 0,
    alpn: null,
  };
  let p = off + 35 + b[off + 34]!;
  if (!has(p, 3, end)) return null;
  sh.cipher = u16be(b, p);
  p += 3;
  if (!has(p, 2, end)) return sh;
  const extEnd = Math.min(end, p + 2 + u16be(b, p));
  p += 2;
  while (p + 4 <= extEnd && sh.extensions.length < MAX_LIST) {
    const type = u16be(b, p);
    const len = u16be(b, p + 2);
    const d = p + 4;
    if (d + len > extEnd) break;
    sh.extensions.push(type);
    if (type === 43 && len >= 2) sh.selectedVersion = u16be(b, d);
    if (type === 16 && len >= 4 && d + 3 + b[d + 2]! <= d + len)
      sh.alpn = latin1(b, d + 3, d + 3 + b[d + 2]!, 255);
    p = d + len;
  }
  return sh;
}

/** "TLS 1.2", "SSL 3.0", "DTLS 1.2"... */
export function versionName(v: number): string {
  switch (v) {
    case 0x0304:
      return 'TLS 1.3';
    case 0x0303:
      return 'TLS 1.2';
    case 0x0302:
      return 'TLS 1.1';
    case 0x0301:
      return 'TLS 1.0';
    case 0x0300:
      return 'SSL 3.0';
    case 0x0002:
      return 'SSL 2.0';
    case 0xfeff:
      return 'DTLS 1.0';
    case 0xfefd:
      return 'DTLS 1.2';
    case 0xfefc:
      return 'DTLS 1.3';
    default:
      return (v & 0xff00) === 0x7f00 ? `TLS 1.3 draft ${v & 0xff}` : `0x${v.toString(16).padStart(4, '0')}`;
  }
}

/** Highest non-GREASE version the client offers (supported_versions, else the legacy field). */
export function clientMaxVersion(ch: ClientHello): number {
  let best = 0;
  for (const v of ch.versions) if (!isGrease(v) && versionRank(v) > versionRank(best)) best = v;
  return best || ch.legacyVersion;
}

function versionRank(v: number): number {
  if (v === 0) return -1;
  // DTLS counts down from 0xfeff; map it so higher means newer
  if (v >= 0xfe00) return 0x10000 - v;
  return v;
}
