/**
 * TLS client/server fingerprints: JA3 and JA3S (Salesforce; MD5 of a decimal text), JA4 (FoxIO, client only:
 * a readable prefix plus two truncated SHA-256 hashes). GREASE values are left out everywhere.
 */
import { md5Hex } from '../../../shared/md5.js';
import { sha256Hex } from '../../../shared/sha256.js';
import { clientMaxVersion, isGrease, type ClientHello, type ServerHello } from './hello.js';

const noGrease = (l: number[]): number[] => l.filter((v) => !isGrease(v));

/**
 * Hashes of fingerprint texts already seen. A network has few distinct TLS stacks, so the same JA3/JA3S/JA4
 * texts come back for most handshakes; bounded (emptied when full) so hostile hellos cannot grow it.
 */
const MEMO_MAX = 4096;
const md5Memo = new Map<string, string>();
const sha12Memo = new Map<string, string>();

function memo(m: Map<string, string>, s: string, hash: (s: string) => string): string {
  let h = m.get(s);
  if (h === undefined) {
    h = hash(s);
    if (m.size >= MEMO_MAX) m.clear();
    m.set(s, h);
  }
  return h;
}

const md5Text = (s: string): string => memo(md5Memo, s, md5Hex);

export function ja3String(ch: ClientHello): string {
  return [
    ch.legacyVersion,
    noGrease(ch.ciphers).join('-'),
    noGrease(ch.extensions).join('-'),
    noGrease(ch.groups).join('-'),
    ch.pointFormats.join('-'),
  ].join(',');
}

export function ja3(ch: ClientHello): { ja3: string; ja3String: string } {
  const s = ja3String(ch);
  return { ja3: md5Text(s), ja3String: s };
}

export function ja3sString(sh: ServerHello): string {
  return [sh.legacyVersion, sh.cipher, sh.extensions.join('-')].join(',');
}

export function ja3s(sh: ServerHello): { ja3s: string; ja3sString: string } {
  const s = ja3sString(sh);
  return { ja3s: md5Text(s), ja3sString: s };
}

const JA4_VERSION: Record<number, string> = {
  0x0304: '13',
  0x0303: '12',
  0x0302: '11',
  0x0301: '10',
  0x0300: 's3',
  0x0002: 's2',
  0xfeff: 'd1',
  0xfefd: 'd2',
  0xfefc: 'd3',
};

const byNumber = (x: number, y: number): number => x - y;
const hex4 = (v: number): string => v.toString(16).padStart(4, '0');
const two = (n: number): string => String(Math.min(n, 99)).padStart(2, '0');
const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

function alpnPart(alpn: string | undefined): string {
  if (!alpn) return '00';
  const first = alpn.charCodeAt(0);
  const last = alpn.charCodeAt(alpn.length - 1);
  if (isAlnum(first) && isAlnum(last)) return alpn[0]! + alpn[alpn.length - 1]!;
  let h = '';
  for (let i = 0; i < alpn.length; i++) h += alpn.charCodeAt(i).toString(16).padStart(2, '0');
  return h[0]! + h[h.length - 1]!;
}

const utf8 = new TextEncoder();
const sha12 = (s: string): string => sha256Hex(utf8.encode(s)).slice(0, 12);
const hash12 = (s: string): string => (s ? memo(sha12Memo, s, sha12) : '000000000000');

/** JA4 and its raw (unhashed) form. carrier: 't' TCP, 'q' QUIC, 'd' DTLS. */
export function ja4(ch: ClientHello, carrier: 't' | 'q' | 'd' = 't'): { ja4: string; ja4Raw: string } {
  const ciphers = noGrease(ch.ciphers);
  const exts = noGrease(ch.extensions);
  const version = JA4_VERSION[clientMaxVersion(ch)] ?? '00';
  const a = `${carrier}${version}${ch.serverName !== null ? 'd' : 'i'}${two(ciphers.length)}${two(exts.length)}${alpnPart(ch.alpn[0])}`;
  // 4-digit lower-case hex sorts as the numbers do: sorted as numbers, no string compare per step
  const cipherText = ciphers.sort(byNumber).map(hex4).join(',');
  const extText = exts
    .filter((e) => e !== 0x0000 && e !== 0x0010)
    .sort(byNumber)
    .map(hex4)
    .join(',');
  const sigText = noGrease(ch.sigAlgs).map(hex4).join(',');
  const cText = sigText ? `${extText}_${sigText}` : extText;
  return {
    ja4: `${a}_${hash12(cipherText)}_${exts.length ? hash12(cText) : '000000000000'}`,
    ja4Raw: `${a}_${cipherText}_${cText}`,
  };
}
