/**
 * SSH (RFC 4253): the identification line of each side and the KEXINIT message that follows it in clear,
 * for HASSH (client) and HASSHServer fingerprints: MD5 of "kex;ciphers;macs;compression" in the direction the
 * side sends (client: client-to-server lists; server: server-to-client lists).
 */
import { md5Hex } from '../../../shared/md5.js';
import { latin1 } from '../../../shared/bytes-text.js';

export interface KexInit {
  kex: string;
  hostKey: string;
  encC2S: string;
  encS2C: string;
  macC2S: string;
  macS2C: string;
  compC2S: string;
  compS2C: string;
}

/** Parses a KEXINIT payload (starting at the message type byte 20). */
export function parseKexInit(b: Uint8Array, off: number, end: number): KexInit | null {
  if (off + 17 > end || b[off] !== 20) return null;
  let p = off + 17;
  const lists: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (p + 4 > end) return null;
    const l = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    if (p + 4 + l > end || l > 8192) return null;
    lists.push(latin1(b, p + 4, p + 4 + l, 8192));
    p += 4 + l;
  }
  const [kex, hostKey, encC2S, encS2C, macC2S, macS2C, compC2S, compS2C] = lists as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { kex, hostKey, encC2S, encS2C, macC2S, macS2C, compC2S, compS2C };
}

export function hassh(k: KexInit): { hash: string; text: string } {
  const text = `${k.kex};${k.encC2S};${k.macC2S};${k.compC2S}`;
  return { hash: md5Hex(text), text };
}

export function hasshServer(k: KexInit): { hash: string; text: string } {
  const text = `${k.kex};${k.encS2C};${k.macS2C};${k.compS2C}`;
  return { hash: md5Hex(text), text };
}

const MAX_BANNER = 255;
const MAX_PACKET = 35000;

/** One direction of an SSH connection up to its KEXINIT. */
export class SshSide {
  banner: string | null = null;
  kexinit: KexInit | null = null;
  /** bytes did not follow the protocol (or the cap): stop */
  dead = false;
  private buf = new Uint8Array(0);
  private len = 0;

  get done(): boolean {
    return this.dead || this.kexinit !== null;
  }

  push(b: Uint8Array): void {
    if (this.done) return;
    const need = this.len + b.length;
    if (need > MAX_PACKET + MAX_BANNER + 1024) {
      this.dead = true;
      return;
    }
    if (need > this.buf.length) {
      const g = new Uint8Array(Math.max(need, 2 * this.buf.length, 1024));
      g.set(this.buf.subarray(0, this.len));
      this.buf = g;
    }
    this.buf.set(b, this.len);
    this.len += b.length;
    this.parse();
  }

  private parse(): void {
    const b = this.buf;
    let p = 0;
    // lines before the banner are allowed from servers (RFC 4253 section 4.2); the banner starts with "SSH-"
    while (this.banner === null) {
      let e = p;
      while (e < this.len && b[e] !== 10) e++;
      if (e >= this.len) {
        if (this.len - p > MAX_BANNER) this.dead = true;
        return this.keep(p);
      }
      const line = latin1(b, p, e > p && b[e - 1] === 13 ? e - 1 : e, MAX_BANNER);
      p = e + 1;
      if (line.startsWith('SSH-')) this.banner = line;
    }
    // binary packet: uint32 length, padding length, payload
    if (this.len - p < 6) return this.keep(p);
    const plen = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    if (plen > MAX_PACKET || plen < 5) {
      this.dead = true;
      return;
    }
    if (this.len - p < 4 + plen) return this.keep(p);
    const pad = b[p + 4]!;
    const payloadEnd = p + 4 + plen - pad;
    if (payloadEnd <= p + 5) {
      this.dead = true;
      return;
    }
    this.kexinit = parseKexInit(b, p + 5, payloadEnd);
    if (!this.kexinit) this.dead = true;
  }

  private keep(from: number): void {
    this.buf.copyWithin(0, from, this.len);
    this.len -= from;
  }
}
