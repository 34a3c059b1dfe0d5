/**
 * One SMB2 connection (TCP 445 direct hosting, or NetBIOS session service on 139; RFC 1002 section 4.3):
 * frames each direction's bytes into messages, walks compounded chains (NextCommand), pairs requests with
 * responses by MessageId and reports one event per finished command. READ and WRITE are not reported one by
 * one: their byte counts add up per open file and come out with the file's CLOSE (or at the end of the
 * connection for files never closed). SMB1 messages (the old NEGOTIATE a client may open with) are skipped.
 *
 * Memory: the first KEEP bytes of each message are held (names and security blobs sit there); of a READ
 * response or WRITE request only the fixed head (its data streams past to the file's hash, not copied). The
 * per-direction buffer grows to what a message needs and is let go after a large one, so an idle connection
 * (a scanner's NEGOTIATE) holds a few hundred bytes. Pending requests, trees, sessions and files are capped.
 */
import {
  CMD_CLOSE,
  CMD_CREATE,
  CMD_NEGOTIATE,
  CMD_READ,
  CMD_SESSION_SETUP,
  CMD_TREE_CONNECT,
  CMD_WRITE,
  FLAG_RELATED,
  FLAG_RESPONSE,
  STATUS_PENDING,
  Smb2Header,
  commandName,
  createName,
  createResponseFileId,
  dialectName,
  ioLength,
  isSmb1,
  negotiateDialect,
  readHeader,
  requestFileId,
  sessionSetupIdentity,
  statusHex,
  treeConnectPath,
  SMB2_HEADER_LEN,
  fileIdAt,
} from './decode.js';
import { u16le, u32le } from '../../../wire/byte-view.js';
import { Transfer, type KeepFileBytes } from './transfer.js';

/** Bytes of each message held for parsing. */
const KEEP = 16384;
/** First buffer size, and the largest one kept between messages. */
const BUF_MIN = 512;
const BUF_IDLE = 4096;
/** NBSS length is at most 24 bits; larger is not SMB. */
const MAX_MESSAGE = 0xffffff;
/** Messages of one compound chain followed, at most. */
const MAX_CHAIN = 64;
const MAX_PENDING = 4096;
const MAX_FILES = 4096;
const MAX_TREES = 1024;
const MAX_SESSIONS = 256;
const MAX_CHAINED = 256;
const ALL_ONES = 'f'.repeat(32);

export interface Smb2Event {
  command: string;
  messageId: number;
  /** the direction the client sent from (the sender of requests) */
  clientDir: 0 | 1;
  packet: number;
  tsSec: number;
  tsNsec: number;
  /** NT status of the response as 0x%08x; null when no response was seen */
  status: string | null;
  tree: string | null;
  fileName: string | null;
  dialect: string | null;
  user: string | null;
  domain: string | null;
  host: string | null;
  bytesRead: number | null;
  bytesWritten: number | null;
}

/** A file's data that went one way while it was open (WRITE: upload; READ: download). */
export interface Smb2FileEvent {
  tree: string | null;
  name: string | null;
  direction: 'upload' | 'download';
  size: number;
  /** end of file the server announced when the file was opened */
  declaredSize: number | null;
  /** null when the data did not all come in file order from offset 0 */
  sha256: string | null;
  complete: boolean;
  content: Uint8Array | null;
  clientDir: 0 | 1;
  packet: number;
  tsSec: number;
  tsNsec: number;
}

interface Pending {
  cmd: number;
  id: number;
  packet: number;
  tsSec: number;
  tsNsec: number;
  tree: string | null;
  name: string | null;
  fileId: string | null;
  /** MessageId of the CREATE earlier in the same compound chain whose file this request works on */
  fileOf: number | null;
  /** READ: the file offset asked for */
  ioOffset: number;
  sessionId: string;
  user: string | null;
  domain: string | null;
  host: string | null;
}

interface OpenFile {
  tree: string | null;
  name: string | null;
  read: number;
  written: number;
  declared: number | null;
  up: Transfer | null;
  down: Transfer | null;
}

/** 64-bit little-endian unsigned as a number (exact below 2^53, saturating above). */
function u64le(b: Uint8Array, o: number): number {
  const hi = u32le(b, o + 4);
  return hi < 0x200000 ? hi * 0x100000000 + u32le(b, o) : Number.MAX_SAFE_INTEGER;
}

class Framer {
  /** 4-byte NBSS header bytes collected */
  hdr = new Uint8Array(4);
  hdrHave = 0;
  /** length of the current message, bytes of it consumed, bytes of it kept */
  msgLen = -1;
  msgDone = 0;
  kept = 0;
  /** bytes of the current message to keep */
  cap = 0;
  buf: Uint8Array | null = null;
  /** the stream lost its framing (gap, garbage): wait for a chunk starting with a message */
  lost = false;
  packet = 0;
  tsSec = 0;
  tsNsec = 0;
  /** the message's file data: [dataFrom, dataTo) of the message goes to xfer at file offset xferAt */
  classified = false;
  dataFrom = 0;
  dataTo = 0;
  xfer: Transfer | null = null;
  xferAt = 0;
}

/** Bytes of a message needed to find its file data: header, and READ response / WRITE request fixed part. */
const DATA_HEAD = SMB2_HEADER_LEN + 48;

export interface Smb2Options {
  /** files: each open file's uploaded and downloaded data, reported at CLOSE (or at the end) */
  onFile?: (f: Smb2FileEvent) => void;
  /** file extraction: bytes kept per file, from a shared budget */
  keep?: KeepFileBytes | null;
}

/** The framer's buffer with room for n bytes (at most the message's cap), its kept bytes carried over. */
function grow(f: Framer, n: number): Uint8Array {
  const old = f.buf;
  if (old !== null && old.length >= n) return old;
  const buf = new Uint8Array(Math.min(f.cap, Math.max(n, BUF_MIN, old ? old.length * 2 : 0)));
  if (old !== null && f.kept > 0) buf.set(old.subarray(0, f.kept));
  f.buf = buf;
  return buf;
}

export class Smb2Session {
  private readonly fr: [Framer, Framer] = [new Framer(), new Framer()];
  private readonly h = new Smb2Header();
  /** header of a message being classified while another may be parsed */
  private readonly h2 = new Smb2Header();
  private readonly pending = new Map<number, Pending>();
  private readonly trees = new Map<number, string>();
  private readonly files = new Map<string, OpenFile>();
  /** CREATE MessageId -> the FileId it returned (for related requests chained after it) */
  private readonly chained = new Map<number, string>();
  private readonly users = new Map<string, { user: string; domain: string; host: string }>();
  private dialect: string | null = null;
  /** sender of requests; -1 until a message tells */
  private clientDir: 0 | 1 | -1 = -1;
  /** messages parsed (for tests) */
  messages = 0;

  constructor(
    private readonly emit: (e: Smb2Event) => void,
    /** the direction the client is known to send from (by port), or -1 */
    clientDirHint: 0 | 1 | -1 = -1,
    private readonly opts: Smb2Options = {},
  ) {
    this.clientDir = clientDirHint;
  }

  data(dir: 0 | 1, b: Uint8Array, packet: number, tsSec: number, tsNsec: number): void {
    const f = this.fr[dir];
    let i = 0;
    const n = b.length;
    if (f.lost) {
      // resume only at a chunk that starts with a session message carrying SMB
      if (f.hdrHave === 0 && n >= 8 && b[0] === 0 && (b[4] === 0xfe || b[4] === 0xff) && b[5] === 0x53)
        f.lost = false;
      else return;
    }
    while (i < n) {
      if (f.msgLen < 0) {
        while (f.hdrHave < 4 && i < n) f.hdr[f.hdrHave++] = b[i++]!;
        if (f.hdrHave < 4) return;
        f.hdrHave = 0;
        const type = f.hdr[0]!;
        const len = (f.hdr[1]! << 16) | (f.hdr[2]! << 8) | f.hdr[3]!;
        if (type !== 0x00 && (type < 0x81 || type > 0x85)) {
          f.lost = true;
          return;
        }
        if (len > MAX_MESSAGE) {
          f.lost = true;
          return;
        }
        // session request/response/keepalive (139): their bodies are skipped like a message's tail
        f.msgLen = len;
        f.msgDone = 0;
        f.kept = type === 0x00 ? 0 : -1;
        f.cap = Math.min(len, KEEP);
        f.classified = false;
        f.xfer = null;
        f.packet = packet;
        f.tsSec = tsSec;
        f.tsNsec = tsNsec;
      }
      const take = Math.min(n - i, f.msgLen - f.msgDone);
      if (f.kept >= 0 && f.kept < f.cap) {
        const k = Math.min(take, f.cap - f.kept);
        const buf = grow(f, f.kept + k);
        buf.set(b.subarray(i, i + k), f.kept);
        f.kept += k;
      }
      if (!f.classified && f.kept >= 0 && (f.kept >= DATA_HEAD || f.msgDone + take === f.msgLen))
        this.classify(f);
      if (f.xfer !== null) {
        // the part of [msgDone, msgDone + take) that is file data
        const lo = Math.max(f.msgDone, f.dataFrom);
        const hi = Math.min(f.msgDone + take, f.dataTo);
        if (hi > lo) {
          if (f.xfer.packet === 0) {
            f.xfer.packet = f.packet;
            f.xfer.tsSec = f.tsSec;
            f.xfer.tsNsec = f.tsNsec;
          }
          f.xfer.data(b, i + (lo - f.msgDone), i + (hi - f.msgDone), f.xferAt + (lo - f.dataFrom));
        }
      }
      i += take;
      f.msgDone += take;
      if (f.msgDone === f.msgLen) {
        if (f.kept > 0 && f.buf) this.message(dir, f.buf, f.kept, f.packet, f.tsSec, f.tsNsec);
        f.msgLen = -1;
        if (f.buf !== null && f.buf.length > BUF_IDLE) f.buf = null;
      }
    }
  }

  /** Bytes of message buffers held now (both directions). */
  get held(): number {
    return (this.fr[0].buf?.length ?? 0) + (this.fr[1].buf?.length ?? 0);
  }

  gap(dir: 0 | 1): void {
    const f = this.fr[dir];
    if (f.xfer !== null && f.msgLen >= 0 && f.msgDone < f.dataTo) f.xfer.lost();
    f.xfer = null;
    f.lost = true;
    f.msgLen = -1;
    f.hdrHave = 0;
  }

  /** The connection ended: files still open with bytes moved come out as CLOSE rows without status. */
  close(): void {
    const cd: 0 | 1 = this.clientDir === 1 ? 1 : 0;
    for (const [, o] of this.files) {
      this.fileEvents(o);
      if (o.read === 0 && o.written === 0) continue;
      const f = this.fr[cd];
      this.emit({
        command: 'CLOSE',
        messageId: -1,
        clientDir: cd,
        packet: f.packet,
        tsSec: f.tsSec,
        tsNsec: f.tsNsec,
        status: null,
        tree: o.tree,
        fileName: o.name,
        dialect: this.dialect,
        user: null,
        domain: null,
        host: null,
        bytesRead: o.read,
        bytesWritten: o.written,
      });
    }
    this.files.clear();
    this.pending.clear();
  }

  /**
   * Once a message's head is in: a WRITE request or a successful READ response (not compounded) names the
   * file and where its data lies in the message, so the data can be hashed as it streams past.
   */
  private classify(f: Framer): void {
    f.classified = true;
    const b = f.buf;
    const h = this.h2;
    if (b === null || !readHeader(b, 0, f.kept, h) || h.nextCommand !== 0) return;
    const body = SMB2_HEADER_LEN;
    const resp = (h.flags & FLAG_RESPONSE) !== 0;
    // a lone READ or WRITE needs only its fixed head (the byte counts); the data is not copied
    if (h.command === CMD_READ || h.command === CMD_WRITE)
      f.cap = Math.min(f.cap, Math.max(f.kept, DATA_HEAD));
    if (!this.opts.onFile) return;
    let o: OpenFile | undefined;
    let from = 0;
    let len = 0;
    let at = 0;
    let up = false;
    if (h.command === CMD_WRITE && !resp && f.kept >= body + 32) {
      // WRITE request (2.2.21): DataOffset(2) at +2, Length(4) at +4, Offset(8) at +8, FileId at +16
      const fid = fileIdAt(b, body + 16, f.kept);
      o = fid !== null ? this.files.get(fid) : undefined;
      from = u16le(b, body + 2);
      len = u32le(b, body + 4);
      at = u64le(b, body + 8);
      up = true;
    } else if (h.command === CMD_READ && resp && h.status === 0 && f.kept >= body + 8) {
      // READ response (2.2.20): DataOffset(1) at +2, DataLength(4) at +4; the offset is the request's
      const p = this.pending.get(h.messageId);
      o = p?.fileId != null ? this.files.get(p.fileId) : undefined;
      from = b[body + 2]!;
      len = u32le(b, body + 4);
      at = p?.ioOffset ?? 0;
    } else return;
    if (!o || from < SMB2_HEADER_LEN || len === 0) return;
    const to = Math.min(from + len, f.msgLen);
    if (to <= from) return;
    const keep = this.opts.keep ?? null;
    f.xfer = up ? (o.up ??= new Transfer(keep)) : (o.down ??= new Transfer(keep));
    f.dataFrom = from;
    f.dataTo = to;
    f.xferAt = at;
    // data that already went by in earlier chunks of a short message is in the kept head
    if (f.msgDone > from) {
      const x = f.xfer;
      if (x.packet === 0) {
        x.packet = f.packet;
        x.tsSec = f.tsSec;
        x.tsNsec = f.tsNsec;
      }
      x.data(b, from, Math.min(to, f.msgDone), at);
    }
  }

  /** The file's transfers as file events (each direction that moved bytes). */
  private fileEvents(o: OpenFile): void {
    const on = this.opts.onFile;
    for (const [t, direction] of [
      [o.up, 'upload'],
      [o.down, 'download'],
    ] as const) {
      if (!on || t === null || t.size === 0) continue;
      const r = t.finish();
      on({
        tree: o.tree,
        name: o.name,
        direction,
        size: t.size,
        declaredSize: direction === 'download' ? o.declared : null,
        sha256: r.sha256,
        complete: r.complete,
        content: r.content,
        clientDir: this.clientDir === 1 ? 1 : 0,
        packet: t.packet,
        tsSec: t.tsSec,
        tsNsec: t.tsNsec,
      });
    }
    o.up = null;
    o.down = null;
  }

  /** One NBSS message (its first `end` bytes): a compound chain of SMB2 messages, or SMB1 (skipped). */
  private message(dir: 0 | 1, b: Uint8Array, end: number, packet: number, sec: number, nsec: number): void {
    if (isSmb1(b, 0, end)) return;
    let off = 0;
    let prev: Pending | null = null;
    for (let k = 0; k < MAX_CHAIN; k++) {
      const h = this.h;
      if (!readHeader(b, off, end, h)) return;
      const next = h.nextCommand;
      // a chained message ends where the next begins (8-byte aligned, forward only)
      const msgEnd = next > 0 && next >= SMB2_HEADER_LEN && off + next <= end ? off + next : end;
      this.messages++;
      const isResp = (h.flags & FLAG_RESPONSE) !== 0;
      if (this.clientDir < 0) this.clientDir = isResp ? (dir === 0 ? 1 : 0) : dir;
      if (isResp) this.response(b, off, msgEnd, packet, sec, nsec);
      else {
        prev = this.request(b, off, msgEnd, packet, sec, nsec, prev);
      }
      if (next === 0 || msgEnd === end || next % 8 !== 0) return;
      off = msgEnd;
    }
  }

  private request(
    b: Uint8Array,
    off: number,
    end: number,
    packet: number,
    tsSec: number,
    tsNsec: number,
    prev: Pending | null,
  ): Pending {
    const h = this.h;
    const related = prev !== null && (h.flags & FLAG_RELATED) !== 0;
    let fileId = requestFileId(h.command, b, off, end);
    let fileOf: number | null = null;
    let name: string | null = null;
    // a related compound request names the previous request's file by an all-ones FileId; after a CREATE in
    // the same chain that file's id is only known from the CREATE's response
    if (related && fileId === ALL_ONES) {
      fileId = prev.fileId;
      if (fileId === null && prev.cmd === CMD_CREATE) fileOf = prev.id;
      name = prev.name;
    }
    const tree = this.trees.get(h.treeId) ?? (related ? prev.tree : null);
    const id = this.users.get(h.sessionId);
    const p: Pending = {
      cmd: h.command,
      id: h.messageId,
      packet,
      tsSec,
      tsNsec,
      tree,
      name,
      fileId,
      fileOf,
      ioOffset:
        h.command === CMD_READ && end - off >= SMB2_HEADER_LEN + 16 ? u64le(b, off + SMB2_HEADER_LEN + 8) : 0,
      sessionId: h.sessionId,
      user: id?.user ?? null,
      domain: id?.domain ?? null,
      host: id?.host ?? null,
    };
    switch (h.command) {
      case CMD_TREE_CONNECT:
        p.tree = treeConnectPath(b, off, end);
        break;
      case CMD_CREATE:
        p.name = createName(b, off, end);
        break;
      case CMD_SESSION_SETUP: {
        const who = sessionSetupIdentity(b, off, end);
        if (who) {
          p.user = who.user;
          p.domain = who.domain;
          p.host = who.host;
        }
        break;
      }
    }
    if (fileId !== null) {
      const o = this.files.get(fileId);
      if (o) {
        p.name ??= o.name;
        p.tree = o.tree ?? p.tree;
      }
    }
    if (this.pending.size >= MAX_PENDING) {
      const first = this.pending.keys().next().value as number;
      this.pending.delete(first);
    }
    this.pending.set(h.messageId, p);
    return p;
  }

  private response(
    b: Uint8Array,
    off: number,
    end: number,
    packet: number,
    tsSec: number,
    tsNsec: number,
  ): void {
    const h = this.h;
    // an interim "pending" answer: the real one follows with the same MessageId
    if (h.status === STATUS_PENDING) return;
    const p = this.pending.get(h.messageId);
    if (p) this.pending.delete(h.messageId);
    if (p && p.cmd !== h.command) return;
    if (p && p.fileId === null && p.fileOf !== null) p.fileId = this.chained.get(p.fileOf) ?? null;
    const ok = h.status === 0;
    const e: Smb2Event = {
      command: commandName(h.command),
      messageId: h.messageId,
      clientDir: this.clientDir === 1 ? 1 : 0,
      packet: p?.packet ?? packet,
      tsSec: p?.tsSec ?? tsSec,
      tsNsec: p?.tsNsec ?? tsNsec,
      status: statusHex(h.status),
      tree: p?.tree ?? this.trees.get(h.treeId) ?? null,
      fileName: p?.name ?? null,
      dialect: this.dialect,
      user: p?.user ?? null,
      domain: p?.domain ?? null,
      host: p?.host ?? null,
      bytesRead: null,
      bytesWritten: null,
    };
    const id = this.users.get(h.sessionId);
    if (id && e.user === null) {
      e.user = id.user;
      e.domain = id.domain;
      e.host = id.host;
    }
    switch (h.command) {
      case CMD_NEGOTIATE: {
        const d = negotiateDialect(b, off, end);
        if (d !== null && ok) e.dialect = this.dialect = dialectName(d);
        break;
      }
      case CMD_SESSION_SETUP:
        if (ok && p && p.user !== null && this.users.size < MAX_SESSIONS)
          this.users.set(h.sessionId, { user: p.user, domain: p.domain ?? '', host: p.host ?? '' });
        break;
      case CMD_TREE_CONNECT:
        if (ok && p?.tree != null && this.trees.size < MAX_TREES) this.trees.set(h.treeId, p.tree);
        break;
      case CMD_CREATE: {
        const fid = ok ? createResponseFileId(b, off, end) : null;
        if (fid !== null && this.files.size < MAX_FILES) {
          // EndofFile of the CREATE response (MS-SMB2 2.2.14), body offset 48
          const body = off + SMB2_HEADER_LEN;
          const declared = end - body >= 56 ? u64le(b, body + 48) : null;
          this.files.set(fid, {
            tree: e.tree,
            name: p?.name ?? null,
            read: 0,
            written: 0,
            declared,
            up: null,
            down: null,
          });
        }
        if (fid !== null) {
          if (this.chained.size >= MAX_CHAINED) this.chained.clear();
          this.chained.set(h.messageId, fid);
        }
        break;
      }
      case CMD_READ: {
        const o = p?.fileId != null ? this.files.get(p.fileId) : undefined;
        const n = ok ? ioLength(b, off, end) : null;
        if (o && n !== null) o.read += n;
        return;
      }
      case CMD_WRITE: {
        const o = p?.fileId != null ? this.files.get(p.fileId) : undefined;
        const n = ok ? ioLength(b, off, end) : null;
        if (o && n !== null) o.written += n;
        return;
      }
      case CMD_CLOSE: {
        const o = p?.fileId != null ? this.files.get(p.fileId) : undefined;
        if (o) {
          e.bytesRead = o.read;
          e.bytesWritten = o.written;
          e.fileName ??= o.name;
          if (ok) {
            this.files.delete(p!.fileId!);
            this.fileEvents(o);
          }
        }
        break;
      }
    }
    this.emit(e);
  }
}
