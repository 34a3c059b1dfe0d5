/**
 * SIP over TCP (RFC 3261 section 18.3): messages follow each other on the stream, each a head ending in an
 * empty line and a body of Content-Length (compact "l") bytes. Heads are held up to MAX_HEAD bytes per
 * direction; bodies are skipped, not kept. A head that never ends, or garbage, stops that direction.
 */
import { latin1 } from '../../../shared/bytes-text.js';
import { decodeSip, type SipMessage } from './decode.js';

const MAX_HEAD = 8192;

class Side {
  head = new Uint8Array(MAX_HEAD);
  have = 0;
  skip = 0;
  dead = false;
  packet = 0;
  tsSec = 0;
  tsNsec = 0;
}

/** Index just past "\r\n\r\n" (or "\n\n") in b[0, n), or -1. */
function headEnd(b: Uint8Array, n: number): number {
  for (let i = 1; i < n; i++) {
    if (b[i] !== 0x0a) continue;
    if (b[i - 1] === 0x0a) return i + 1;
    if (i >= 3 && b[i - 1] === 0x0d && b[i - 2] === 0x0a) return i + 1;
  }
  return -1;
}

function contentLength(b: Uint8Array, n: number): number {
  const text = latin1(b, 0, n, n);
  const m = /\r?\n(?:content-length|l)[ \t]*:[ \t]*(\d{1,9})/i.exec(text);
  return m ? Number(m[1]) : 0;
}

export class SipStream {
  private readonly sides: [Side, Side] = [new Side(), new Side()];

  constructor(
    private readonly emit: (m: SipMessage, dir: 0 | 1, packet: number, tsSec: number, tsNsec: number) => void,
  ) {}

  data(dir: 0 | 1, b: Uint8Array, packet: number, tsSec: number, tsNsec: number): void {
    const s = this.sides[dir];
    let i = 0;
    while (i < b.length && !s.dead) {
      if (s.skip > 0) {
        const k = Math.min(s.skip, b.length - i);
        s.skip -= k;
        i += k;
        continue;
      }
      if (s.have === 0) {
        s.packet = packet;
        s.tsSec = tsSec;
        s.tsNsec = tsNsec;
      }
      const k = Math.min(MAX_HEAD - s.have, b.length - i);
      s.head.set(b.subarray(i, i + k), s.have);
      const before = s.have;
      s.have += k;
      const e = headEnd(s.head, s.have);
      if (e < 0) {
        if (s.have >= MAX_HEAD) s.dead = true;
        i += k;
        continue;
      }
      i += e - before;
      const m = decodeSip(s.head, 0, e);
      if (m === null) {
        s.dead = true;
        break;
      }
      this.emit(m, dir, s.packet, s.tsSec, s.tsNsec);
      s.skip = contentLength(s.head, e);
      s.have = 0;
    }
  }

  gap(dir: 0 | 1): void {
    this.sides[dir].dead = true;
  }
}
