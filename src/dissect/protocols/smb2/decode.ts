/**
 * SMB2/3 message pieces (MS-SMB2 section 2.2): the 64-byte header, the request and response bodies that name
 * things (NEGOTIATE dialect, TREE_CONNECT path, CREATE name, READ/WRITE lengths, FileIds) and the NTLMSSP
 * AUTHENTICATE message (MS-NLMP section 2.2.1.3) inside SESSION_SETUP, of which only user, domain and
 * workstation are read: the challenge responses are not clear-text secrets and are never kept.
 * Every offset and length comes from the capture and is checked against the message end.
 */
import { has, u16le, u32le } from '../../../wire/byte-view.js';

export const SMB2_HEADER_LEN = 64;

export const SMB2_COMMANDS = [
  'NEGOTIATE',
  'SESSION_SETUP',
  'LOGOFF',
  'TREE_CONNECT',
  'TREE_DISCONNECT',
  'CREATE',
  'CLOSE',
  'FLUSH',
  'READ',
  'WRITE',
  'LOCK',
  'IOCTL',
  'CANCEL',
  'ECHO',
  'QUERY_DIRECTORY',
  'CHANGE_NOTIFY',
  'QUERY_INFO',
  'SET_INFO',
  'OPLOCK_BREAK',
] as const;

export const CMD_NEGOTIATE = 0;
export const CMD_SESSION_SETUP = 1;
export const CMD_TREE_CONNECT = 3;
export const CMD_CREATE = 5;
export const CMD_CLOSE = 6;
export const CMD_READ = 8;
export const CMD_WRITE = 9;

export const FLAG_RESPONSE = 0x1;
export const FLAG_ASYNC = 0x2;
export const FLAG_RELATED = 0x4;

export const STATUS_PENDING = 0x103;

/** Command name, or CMD_<n> for codes past the table. */
export function commandName(c: number): string {
  return SMB2_COMMANDS[c] ?? `CMD_${c}`;
}

/** Dialect revision as MS-SMB2 writes it ("2.0.2", "3.1.1"); 0x02FF is the SMB1-to-SMB2 wildcard. */
export function dialectName(d: number): string {
  switch (d) {
    case 0x0202:
      return '2.0.2';
    case 0x0210:
      return '2.1';
    case 0x0222:
      return '2.2.2';
    case 0x0224:
      return '2.2.4';
    case 0x0300:
      return '3.0';
    case 0x0302:
      return '3.0.2';
    case 0x0310:
      return '3.1.0';
    case 0x0311:
      return '3.1.1';
    case 0x02ff:
      return '2.???';
    default:
      return `0x${d.toString(16).padStart(4, '0')}`;
  }
}

/** NT status as tshark prints it: 0x%08x. */
export function statusHex(s: number): string {
  return `0x${(s >>> 0).toString(16).padStart(8, '0')}`;
}

/** The header fields this table uses; one object reused per parser. */
export class Smb2Header {
  status = 0;
  command = 0;
  flags = 0;
  nextCommand = 0;
  /** MessageId; exact below 2^53, which every real id is */
  messageId = 0;
  treeId = 0;
  sessionId = '';
}

/** "\xFESMB" at off. */
export function isSmb2(b: Uint8Array, off: number, end: number): boolean {
  return (
    has(off, 4, end) && b[off] === 0xfe && b[off + 1] === 0x53 && b[off + 2] === 0x4d && b[off + 3] === 0x42
  );
}

/** "\xFFSMB" (SMB1) at off. */
export function isSmb1(b: Uint8Array, off: number, end: number): boolean {
  return (
    has(off, 4, end) && b[off] === 0xff && b[off + 1] === 0x53 && b[off + 2] === 0x4d && b[off + 3] === 0x42
  );
}

function hex64le(b: Uint8Array, o: number): string {
  let s = '';
  for (let i = 7; i >= 0; i--) s += b[o + i]!.toString(16).padStart(2, '0');
  return s;
}

/** Reads the header at off into h; false when it is not a whole SMB2 header. */
export function readHeader(b: Uint8Array, off: number, end: number, h: Smb2Header): boolean {
  if (!isSmb2(b, off, end) || !has(off, SMB2_HEADER_LEN, end)) return false;
  if (u16le(b, off + 4) !== SMB2_HEADER_LEN) return false;
  h.status = u32le(b, off + 8);
  h.command = u16le(b, off + 12);
  h.flags = u32le(b, off + 16);
  h.nextCommand = u32le(b, off + 20);
  const hi = u32le(b, off + 28);
  h.messageId = hi < 0x200000 ? hi * 0x100000000 + u32le(b, off + 24) : Number.MAX_SAFE_INTEGER;
  // an async header carries an AsyncId where the tree id would be
  h.treeId = h.flags & FLAG_ASYNC ? 0 : u32le(b, off + 36);
  h.sessionId = hex64le(b, off + 40);
  return true;
}

/** UTF-16LE text of [start, start+len) when it lies inside [lo, end); null otherwise. Bounded at 2048 chars. */
export function utf16le(b: Uint8Array, start: number, len: number, lo: number, end: number): string | null {
  if (start < lo || !has(start, len, end)) return null;
  const n = Math.min(len >>> 1, 2048);
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = u16le(b, start + 2 * i);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** A (offset, length) pair relative to the SMB2 header at msg: the text it points at, or null. */
function headerRelText(
  b: Uint8Array,
  msg: number,
  end: number,
  offField: number,
  lenField: number,
): string | null {
  const o = u16le(b, offField);
  const n = u16le(b, lenField);
  if (n === 0) return '';
  return utf16le(b, msg + o, n, msg + SMB2_HEADER_LEN, end);
}

/** TREE_CONNECT request: the share path (\\server\share). */
export function treeConnectPath(b: Uint8Array, msg: number, end: number): string | null {
  const body = msg + SMB2_HEADER_LEN;
  if (!has(body, 8, end)) return null;
  return headerRelText(b, msg, end, body + 4, body + 6);
}

/** CREATE request: the file name relative to the share ("" for the share's root). */
export function createName(b: Uint8Array, msg: number, end: number): string | null {
  const body = msg + SMB2_HEADER_LEN;
  if (!has(body, 56, end)) return null;
  return headerRelText(b, msg, end, body + 44, body + 46);
}

/** NEGOTIATE response: the dialect the server chose. */
export function negotiateDialect(b: Uint8Array, msg: number, end: number): number | null {
  const body = msg + SMB2_HEADER_LEN;
  if (!has(body, 6, end)) return null;
  return u16le(b, body + 4);
}

/** 16-byte FileId at off as 32 hex digits; null when out of range. */
export function fileIdAt(b: Uint8Array, off: number, end: number): string | null {
  if (!has(off, 16, end)) return null;
  let s = '';
  for (let i = 0; i < 16; i++) s += b[off + i]!.toString(16).padStart(2, '0');
  return s;
}

/** The FileId a request names (CLOSE, READ, WRITE), or null for other commands. */
export function requestFileId(cmd: number, b: Uint8Array, msg: number, end: number): string | null {
  const body = msg + SMB2_HEADER_LEN;
  if (cmd === CMD_CLOSE) return fileIdAt(b, body + 8, end);
  if (cmd === CMD_READ || cmd === CMD_WRITE) return fileIdAt(b, body + 16, end);
  return null;
}

/** CREATE response: the FileId handed out. */
export function createResponseFileId(b: Uint8Array, msg: number, end: number): string | null {
  return fileIdAt(b, msg + SMB2_HEADER_LEN + 64, end);
}

/** READ request Length / WRITE request Length, or READ/WRITE response DataLength/Count (all at body+4). */
export function ioLength(b: Uint8Array, msg: number, end: number): number | null {
  const body = msg + SMB2_HEADER_LEN;
  if (!has(body, 8, end)) return null;
  return u32le(b, body + 4);
}

export interface NtlmIdentity {
  user: string;
  domain: string;
  host: string;
}

const NTLMSSP = [0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00];

/** Text of an NTLMSSP (len, maxlen, offset) field, UTF-16LE or OEM (here latin1) by the negotiate flags. */
function ntlmField(b: Uint8Array, base: number, end: number, f: number, unicode: boolean): string | null {
  const len = u16le(b, f);
  const off = u32le(b, f + 4);
  if (len === 0) return '';
  if (off > end - base) return null;
  const start = base + off;
  if (!has(start, len, end)) return null;
  if (unicode) return utf16le(b, start, len, base, end);
  let s = '';
  for (let i = 0; i < len && i < 1024; i++) s += String.fromCharCode(b[start + i]!);
  return s;
}

/**
 * SESSION_SETUP request: user, domain and host of an NTLMSSP AUTHENTICATE (type 3) message found in the
 * security buffer (raw or inside SPNEGO: found by its signature, at most 64 KiB scanned); null otherwise.
 */
export function sessionSetupIdentity(b: Uint8Array, msg: number, end: number): NtlmIdentity | null {
  const body = msg + SMB2_HEADER_LEN;
  if (!has(body, 16, end)) return null;
  const bo = u16le(b, body + 12);
  const bl = u16le(b, body + 14);
  const start = msg + bo;
  if (bo < SMB2_HEADER_LEN || !has(start, bl, end)) return null;
  const stop = start + bl;
  for (let i = start; i + 64 <= stop && i - start < 65536; i++) {
    if (b[i] !== 0x4e) continue;
    let k = 1;
    while (k < 8 && b[i + k] === NTLMSSP[k]) k++;
    if (k < 8) continue;
    if (u32le(b, i + 8) !== 3) return null;
    const unicode = (u32le(b, i + 60) & 1) === 1;
    const domain = ntlmField(b, i, stop, i + 28, unicode);
    const user = ntlmField(b, i, stop, i + 36, unicode);
    const host = ntlmField(b, i, stop, i + 44, unicode);
    if (user === null || domain === null || host === null) return null;
    return { user, domain, host };
  }
  return null;
}
