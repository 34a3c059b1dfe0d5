/**
 * TLS over a reassembled TCP stream: the record layer per direction (records split across segments,
 * handshake messages split across records), up to the point where the handshake turns encrypted. Keeps the
 * hellos and the leaf certificate; application data records are skipped by length without copying.
 */
import { parseClientHello, parseServerHello, type ClientHello, type ServerHello } from './hello.js';
import { parseCertificateMessage, type Certificate } from './x509.js';
import { looksLikeTls } from './heuristic.js';

export { looksLikeTls };

/** handshake messages larger than this are skipped (a certificate chain is rarely above 32 KiB) */
export const MAX_HANDSHAKE_MSG = 256 * 1024;

const CT_CCS = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APPDATA = 23;
const CT_HEARTBEAT = 24;

class Side {
  hdr = new Uint8Array(5);
  hdrLen = 0;
  recType = 0;
  recLeft = 0;
  hs = new Uint8Array(0);
  hsLen = 0;
  /** bytes of an oversized handshake message still to skip */
  hsSkip = 0;
  /** handshake of this side is encrypted or no longer of interest */
  quiet = false;
  /** not TLS (or lost sync): ignore the rest */
  dead = false;
  records = 0;
}

export interface TlsHandshakeInfo {
  clientHello: ClientHello | null;
  serverHello: ServerHello | null;
  certificate: Certificate | null;
  certCount: number;
  /** direction that sent the ClientHello (-1 if none seen) */
  clientDir: number;
  /** frame and time of the ClientHello's (or ServerHello's) first byte */
  packet: number;
  tsSec: number;
  tsNsec: number;
  alerts: number;
  /** a side's bytes did not look like TLS records */
  notTls: boolean;
}

export class TlsSession {
  readonly info: TlsHandshakeInfo = {
    clientHello: null,
    serverHello: null,
    certificate: null,
    certCount: 0,
    clientDir: -1,
    packet: 0,
    tsSec: 0,
    tsNsec: 0,
    alerts: 0,
    notTls: false,
  };
  private readonly sides: [Side, Side] = [new Side(), new Side()];
  private packet = 0;
  private tsSec = 0;
  private tsNsec = 0;
  private msgPacket = 0;
  private msgTsSec = 0;
  private msgTsNsec = 0;

  /**
   * certificates: false leaves info.certificate null and certCount 0 (a run that makes no tls rows); the
   * certificate never decides when a side goes quiet, so the session finishes at the same byte either way
   */
  constructor(private readonly certificates = true) {}

  /** Both sides are past anything we want: the caller may stop feeding bytes. */
  get finished(): boolean {
    return (this.sides[0].quiet || this.sides[0].dead) && (this.sides[1].quiet || this.sides[1].dead);
  }

  data(dir: 0 | 1, b: Uint8Array, packet: number, tsSec: number, tsNsec: number): void {
    const s = this.sides[dir];
    if (s.dead) return;
    this.packet = packet;
    this.tsSec = tsSec;
    this.tsNsec = tsNsec;
    let p = 0;
    while (p < b.length && !s.dead) {
      if (s.recLeft === 0) {
        const n = Math.min(5 - s.hdrLen, b.length - p);
        s.hdr.set(b.subarray(p, p + n), s.hdrLen);
        s.hdrLen += n;
        p += n;
        if (s.hdrLen < 5) return;
        s.hdrLen = 0;
        const type = s.hdr[0]!;
        const len = (s.hdr[3]! << 8) | s.hdr[4]!;
        // RFC 8446 section 5.1/5.2: records carry at most 2^14 (+2048 when protected)
        if (type < CT_CCS || type > CT_HEARTBEAT || s.hdr[1] !== 3 || len > 18432 || len === 0) {
          s.dead = true;
          this.info.notTls = true;
          return;
        }
        s.recType = type;
        s.recLeft = len;
        s.records++;
        if (type === CT_CCS) s.quiet = true;
        if (type === CT_ALERT) this.info.alerts++;
        if (type === CT_APPDATA) s.quiet = true;
        continue;
      }
      const n = Math.min(s.recLeft, b.length - p);
      if (s.recType === CT_HANDSHAKE && !s.quiet) this.handshakeBytes(dir, s, b, p, p + n);
      s.recLeft -= n;
      p += n;
    }
  }

  /** len bytes lost: inside a record we stay in step; elsewhere the record layer is lost. */
  gap(dir: 0 | 1, len: number): void {
    const s = this.sides[dir];
    if (s.recLeft >= len && s.hdrLen === 0) {
      s.recLeft -= len;
      if (s.recType === CT_HANDSHAKE) {
        s.hsLen = 0;
        s.quiet = true;
      }
      return;
    }
    s.dead = true;
  }

  private handshakeBytes(dir: 0 | 1, s: Side, b: Uint8Array, start: number, end: number): void {
    let p = start;
    if (s.hsSkip > 0) {
      const n = Math.min(s.hsSkip, end - p);
      s.hsSkip -= n;
      p += n;
    }
    if (p >= end) return;
    if (s.hsLen === 0) {
      this.msgPacket = this.packet;
      this.msgTsSec = this.tsSec;
      this.msgTsNsec = this.tsNsec;
      // whole messages inside these bytes are read where they are (the usual hello); only a message cut by
      // the segment's end, or one too large, is gathered in the buffer below
      while (end - p >= 4 && !s.quiet) {
        const len = (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
        if (len > MAX_HANDSHAKE_MSG || end - p - 4 < len) break;
        this.message(dir, s, b[p]!, b, p + 4, p + 4 + len);
        p += 4 + len;
      }
      if (p >= end) return;
    }
    const need = s.hsLen + (end - p);
    if (need > s.hs.length) {
      const grown = new Uint8Array(Math.min(Math.max(need, s.hs.length * 2, 4096), MAX_HANDSHAKE_MSG + 4));
      grown.set(s.hs.subarray(0, s.hsLen));
      s.hs = grown;
    }
    const take = Math.min(end - p, s.hs.length - s.hsLen);
    s.hs.set(b.subarray(p, p + take), s.hsLen);
    s.hsLen += take;
    // whole messages out of the buffer
    let q = 0;
    while (s.hsLen - q >= 4 && !s.quiet) {
      const type = s.hs[q]!;
      const len = (s.hs[q + 1]! << 16) | (s.hs[q + 2]! << 8) | s.hs[q + 3]!;
      if (len > MAX_HANDSHAKE_MSG) {
        s.hsSkip = Math.max(0, len - (s.hsLen - q - 4) - (end - p - take));
        q = s.hsLen;
        break;
      }
      if (s.hsLen - q - 4 < len) break;
      this.message(dir, s, type, s.hs, q + 4, q + 4 + len);
      q += 4 + len;
    }
    if (q > 0) {
      s.hs.copyWithin(0, q, s.hsLen);
      s.hsLen -= q;
    }
  }

  private message(dir: 0 | 1, s: Side, type: number, b: Uint8Array, start: number, end: number): void {
    const info = this.info;
    switch (type) {
      case 1: {
        if (info.clientHello) break;
        info.clientHello = parseClientHello(b, start, end);
        info.clientDir = dir;
        this.stamp();
        // nothing the client sends after its hello matters to us
        s.quiet = true;
        break;
      }
      case 2: {
        const sh = parseServerHello(b, start, end);
        if (!sh) break;
        info.serverHello = sh;
        if (info.clientDir < 0) {
          info.clientDir = dir === 0 ? 1 : 0;
          this.stamp();
        }
        // TLS 1.3: everything after ServerHello is encrypted
        if (sh.selectedVersion === 0x0304 || (sh.selectedVersion & 0xff00) === 0x7f00) s.quiet = true;
        break;
      }
      case 11: {
        if (info.certificate || !this.certificates) break;
        const r = parseCertificateMessage(b, start, end);
        info.certificate = r.leaf;
        info.certCount = r.count;
        break;
      }
      case 14: // ServerHelloDone: nothing more of interest from the server
        s.quiet = true;
        break;
    }
  }

  private stamp(): void {
    if (this.info.packet) return;
    this.info.packet = this.msgPacket;
    this.info.tsSec = this.msgTsSec;
    this.info.tsNsec = this.msgTsNsec;
  }
}
