/**
 * A small bounded DER reader (ITU-T X.690) and the X.509 certificate fields worth showing (RFC 5280 section
 * 4.1): subject and issuer, serial, validity, SAN DNS names, self-signed, SHA-256 of the whole DER. It walks a
 * fixed path through the structure (no recursion), and every length is checked against its parent.
 */
import { sha256Hex } from '../../../shared/sha256.js';
import { latin1, utf8Text } from '../../../shared/bytes-text.js';
import { toHex } from '../../../shared/md5.js';
import { fnv1a, sameBytes } from '../../../shared/fnv.js';

interface Tlv {
  tag: number;
  /** content bytes are [start, end) */
  start: number;
  end: number;
}

/** One DER TLV at off inside [off, limit), or null. Only definite lengths up to 4 bytes. */
function tlv(b: Uint8Array, off: number, limit: number): Tlv | null {
  if (off + 2 > limit) return null;
  const tag = b[off]!;
  if ((tag & 0x1f) === 0x1f) return null; // multi-byte tags never occur in certificates
  let l = b[off + 1]!;
  let p = off + 2;
  if (l & 0x80) {
    const n = l & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return null;
    l = 0;
    for (let i = 0; i < n; i++) l = l * 256 + b[p + i]!;
    p += n;
  }
  if (p + l > limit) return null;
  return { tag, start: p, end: p + l };
}

/** Children of a constructed TLV, at most max. */
function children(b: Uint8Array, t: Tlv, max = 64): Tlv[] {
  const out: Tlv[] = [];
  let p = t.start;
  while (p < t.end && out.length < max) {
    const c = tlv(b, p, t.end);
    if (!c) break;
    out.push(c);
    p = c.end;
  }
  return out;
}

export interface Certificate {
  subject: string;
  subjectCN: string | null;
  subjectO: string | null;
  issuer: string;
  issuerCN: string | null;
  issuerO: string | null;
  /** hex, as printed by openssl (no leading zero byte) */
  serial: string;
  notBefore: string | null;
  notAfter: string | null;
  sanDns: string[];
  sanIp: string[];
  selfSigned: boolean;
  sha256: string;
}

const ATTR: Record<string, string> = {
  '550403': 'CN',
  '550406': 'C',
  '550407': 'L',
  '550408': 'ST',
  '55040a': 'O',
  '55040b': 'OU',
  '2a864886f70d010901': 'emailAddress',
};

function stringValue(b: Uint8Array, t: Tlv): string {
  switch (t.tag) {
    case 0x0c: // UTF8String
      return utf8Text(b, t.start, t.end, 1024);
    case 0x1e: {
      // BMPString: UTF-16BE
      let s = '';
      for (let i = t.start; i + 1 < t.end && s.length < 512; i += 2)
        s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s;
    }
    default: // Printable, IA5, Teletex (treated as Latin-1), ...
      return latin1(b, t.start, t.end, 1024);
  }
}

interface Name {
  text: string;
  cn: string | null;
  o: string | null;
}

function parseName(b: Uint8Array, t: Tlv): Name {
  const parts: string[] = [];
  let cn: string | null = null;
  let o: string | null = null;
  for (const rdn of children(b, t, 32)) {
    for (const atv of children(b, rdn, 8)) {
      const [oid, val] = children(b, atv, 2);
      if (!oid || !val || oid.tag !== 0x06) continue;
      const key = toHex(b.subarray(oid.start, oid.end));
      const name = ATTR[key] ?? key;
      const v = stringValue(b, val);
      if (name === 'CN' && cn === null) cn = v;
      if (name === 'O' && o === null) o = v;
      parts.push(`${name}=${v}`);
    }
  }
  return { text: parts.join(', '), cn, o };
}

function parseTime(b: Uint8Array, t: Tlv | undefined): string | null {
  if (!t || (t.tag !== 0x17 && t.tag !== 0x18)) return null;
  const s = latin1(b, t.start, t.end, 32);
  const m = (
    t.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/
  ).exec(s);
  if (!m) return null;
  let year = m[1]!;
  // RFC 5280 section 4.1.2.5.1: UTCTime years 50..99 are 19xx
  if (t.tag === 0x17) year = (Number(year) >= 50 ? '19' : '20') + year;
  return `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}Z`;
}

/**
 * Recently parsed certificates by their DER bytes: servers send the same leaf in handshake after handshake.
 * Direct-mapped by a hash of the bytes; a hit compares the bytes themselves.
 */
const CERT_SLOTS = 256;
const certHash = new Int32Array(CERT_SLOTS);
const certDer: (Uint8Array | null)[] = new Array<Uint8Array | null>(CERT_SLOTS).fill(null);
const certParsed: (Certificate | null)[] = new Array<Certificate | null>(CERT_SLOTS).fill(null);
/** larger certificates are parsed each time */
const MAX_CACHED_DER = 16384;

/** Parses one DER certificate in b[off, end); null when its outer structure is not a certificate. */
export function parseCertificate(b: Uint8Array, off: number, end: number): Certificate | null {
  end = Math.min(end, b.length);
  const n = end - off;
  if (n <= 0 || n > MAX_CACHED_DER) return parseDer(b, off, end);
  const h = fnv1a(b, off, end);
  const slot = (h ^ (h >>> 16)) & (CERT_SLOTS - 1);
  const der = certDer[slot];
  let c = certParsed[slot];
  if (!(certHash[slot] === h && der && c && der.length === n && sameBytes(der, 0, b, off, n))) {
    c = parseDer(b, off, end);
    if (c === null) return null;
    certHash[slot] = h;
    certDer[slot] = b.slice(off, end);
    certParsed[slot] = c;
  }
  // each caller gets its own object and lists
  return { ...c, sanDns: c.sanDns.slice(), sanIp: c.sanIp.slice() };
}

function parseDer(b: Uint8Array, off: number, end: number): Certificate | null {
  const cert = tlv(b, off, end);
  if (!cert || cert.tag !== 0x30) return null;
  const tbs = tlv(b, cert.start, cert.end);
  if (!tbs || tbs.tag !== 0x30) return null;
  const f = children(b, tbs, 16);
  let i = 0;
  if (f[0]?.tag === 0xa0) i++; // explicit version
  const serial = f[i];
  const issuerT = f[i + 2];
  const validity = f[i + 3];
  const subjectT = f[i + 4];
  if (
    !serial ||
    serial.tag !== 0x02 ||
    !issuerT ||
    issuerT.tag !== 0x30 ||
    !validity ||
    !subjectT ||
    subjectT.tag !== 0x30
  )
    return null;
  let sStart = serial.start;
  while (sStart < serial.end - 1 && b[sStart] === 0) sStart++;
  const issuer = parseName(b, issuerT);
  const subject = parseName(b, subjectT);
  const [nb, na] = children(b, validity, 2);
  const c: Certificate = {
    subject: subject.text,
    subjectCN: subject.cn,
    subjectO: subject.o,
    issuer: issuer.text,
    issuerCN: issuer.cn,
    issuerO: issuer.o,
    serial: toHex(b.subarray(sStart, Math.min(serial.end, sStart + 64))),
    notBefore: parseTime(b, nb),
    notAfter: parseTime(b, na),
    sanDns: [],
    sanIp: [],
    selfSigned: bytesEqual(b, issuerT, subjectT),
    sha256: sha256Hex(b.subarray(off, cert.end)),
  };
  const extsWrap = f.find((x) => x.tag === 0xa3);
  const exts = extsWrap && tlv(b, extsWrap.start, extsWrap.end);
  if (exts) {
    for (const ext of children(b, exts, 64)) {
      const parts = children(b, ext, 3);
      const oid = parts[0];
      const value = parts[parts.length - 1];
      if (!oid || !value || value.tag !== 0x04) continue;
      if (toHex(b.subarray(oid.start, oid.end)) !== '551d11') continue;
      const names = tlv(b, value.start, value.end);
      if (!names) continue;
      for (const gn of children(b, names, 256)) {
        if (gn.tag === 0x82) c.sanDns.push(latin1(b, gn.start, gn.end, 255));
        else if (gn.tag === 0x87 && gn.end - gn.start === 4)
          c.sanIp.push(Array.from(b.subarray(gn.start, gn.end)).join('.'));
      }
    }
  }
  return c;
}

function bytesEqual(b: Uint8Array, x: Tlv, y: Tlv): boolean {
  if (x.end - x.start !== y.end - y.start) return false;
  for (let i = 0; i < x.end - x.start; i++) if (b[x.start + i] !== b[y.start + i]) return false;
  return true;
}

/**
 * The TLS Certificate handshake message body (RFC 5246 section 7.4.2): a 3-byte total length, then 3-byte
 * length + DER for each certificate. Returns the parsed leaf and the chain length (capped at 16).
 */
export function parseCertificateMessage(
  b: Uint8Array,
  off: number,
  end: number,
): { leaf: Certificate | null; count: number } {
  end = Math.min(end, b.length);
  if (off + 3 > end) return { leaf: null, count: 0 };
  const total = (b[off]! << 16) | (b[off + 1]! << 8) | b[off + 2]!;
  const stop = Math.min(end, off + 3 + total);
  let p = off + 3;
  let count = 0;
  let leaf: Certificate | null = null;
  while (p + 3 <= stop && count < 16) {
    const l = (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
    if (p + 3 + l > stop) break;
    if (count === 0) leaf = parseCertificate(b, p + 3, p + 3 + l);
    count++;
    p += 3 + l;
  }
  return { leaf, count };
}
