/**
 * A QUIC connection seen from outside: version, connection ids and the ClientHello carried in the client's
 * Initial packets (CRYPTO frames, possibly across packets and datagrams). Stops working once the ClientHello is
 * whole; at most maxInitials packets are tried, so a flood of fake Initials costs a bounded amount of work.
 */
import { parseClientHello, type ClientHello } from '../tls/hello.js';
import { CryptoStream } from './crypto-stream.js';
import { initialKeys, openInitial, parseLongHeader, walkInitialFrames, type InitialKeys } from './initial.js';
import { looksLikeQuic } from './heuristic.js';

export { looksLikeQuic };

export interface QuicInfo {
  version: number;
  /** the client's first Destination Connection ID, hex */
  dcid: string;
  scid: string;
  clientHello: ClientHello | null;
  /** direction of the client's first Initial (-1 until seen) */
  clientDir: number;
  packet: number;
  tsSec: number;
  tsNsec: number;
  /** Initial packets that did not decrypt */
  undecryptable: number;
  retry: boolean;
}

const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export class QuicSession {
  readonly info: QuicInfo = {
    version: 0,
    dcid: '',
    scid: '',
    clientHello: null,
    clientDir: -1,
    packet: 0,
    tsSec: 0,
    tsNsec: 0,
    undecryptable: 0,
    retry: false,
  };
  private crypto: CryptoStream | null = null;
  private keys: InitialKeys | null = null;
  private keysFor = '';
  private tried = 0;

  constructor(private readonly maxInitials = 16) {}

  get finished(): boolean {
    return this.info.clientHello !== null || this.tried >= this.maxInitials;
  }

  /** One UDP datagram of the flow. */
  datagram(
    dir: 0 | 1,
    b: Uint8Array,
    off: number,
    end: number,
    packet: number,
    tsSec: number,
    tsNsec: number,
  ): void {
    if (this.finished) return;
    end = Math.min(end, b.length);
    // coalesced packets: at most a handful fit in one datagram
    for (let p = off, k = 0; p < end && k < 8; k++) {
      const h = parseLongHeader(b, p, end);
      if (!h) return;
      p = h.end;
      if (h.type === 'retry') {
        this.info.retry = true;
        continue;
      }
      if (h.type !== 'initial') continue;
      if (this.info.clientDir < 0) {
        this.info.clientDir = dir;
        this.info.version = h.version;
        this.info.dcid = toHex(h.dcid);
        this.info.scid = toHex(h.scid);
      }
      if (dir !== this.info.clientDir) continue;
      if (++this.tried > this.maxInitials) return;
      // keys come from the client's current DCID: the first one, or the one a Retry handed out
      const id = toHex(h.dcid);
      if (id !== this.keysFor) {
        this.keys = initialKeys(h.dcid, h.version, 'client');
        this.keysFor = id;
      }
      if (!this.keys) return;
      const opened = openInitial(b, h, this.keys);
      if (!opened) {
        this.info.undecryptable++;
        continue;
      }
      if (!this.crypto) this.crypto = new CryptoStream();
      const cs = this.crypto;
      let got = false;
      walkInitialFrames(opened.payload, (o, d) => {
        cs.add(o, d);
        got = true;
      });
      if (got && this.info.packet === 0) {
        this.info.packet = packet;
        this.info.tsSec = tsSec;
        this.info.tsNsec = tsNsec;
      }
      this.tryHello();
      if (this.finished) return;
    }
  }

  private tryHello(): void {
    const c = this.crypto?.contiguous();
    if (!c || c.length < 4 || c[0] !== 1) return;
    const len = (c[1]! << 16) | (c[2]! << 8) | c[3]!;
    if (c.length < 4 + len) return;
    this.info.clientHello = parseClientHello(c, 4, 4 + len);
    this.crypto = null;
  }
}
