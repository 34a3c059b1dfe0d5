/**
 * One HTTP/1.x connection: parses both directions of the reassembled stream, pairs responses with requests
 * (FIFO, pipelining allowed) and hands out one transaction per exchange. Which side is the client is learned
 * from content (the side that sends request heads), so a capture picked up midstream still works.
 */
import {
  DEFAULT_HEAD_LIMITS,
  HEAD_BAD,
  HEAD_MORE,
  header,
  looksLikeHttp,
  parseHttpHead,
  type HeadLimits,
  type HttpHead,
} from './head.js';
import { BodyReader, bodyFraming, DEFAULT_BODY_LIMITS, type BodyInfo, type BodyLimits } from './body.js';

export interface HttpTransaction {
  request: HttpHead | null;
  response: HttpHead | null;
  requestBody: BodyInfo | null;
  responseBody: BodyInfo | null;
  /** frame and time of the request's first byte (or the response's when there was no request) */
  packet: number;
  tsSec: number;
  tsNsec: number;
  /** direction (0/1) that carried the request, -1 when unknown */
  clientDir: number;
}

export interface HttpSessionLimits {
  head: HeadLimits;
  body: BodyLimits;
  /** requests waiting for a response */
  maxPending: number;
}
export const DEFAULT_HTTP_LIMITS: HttpSessionLimits = {
  head: DEFAULT_HEAD_LIMITS,
  body: DEFAULT_BODY_LIMITS,
  maxPending: 64,
};

const S_HEAD = 0;
const S_BODY = 1;
/** not HTTP any more (upgrade, CONNECT tunnel, garbage): ignore the rest of this direction */
const S_OPAQUE = 2;

/** head buffer of a side that has sent nothing yet: one for all (many connections carry no head one way) */
const NO_HEAD_BUF = new Uint8Array(0);
/** the first head buffer; grown up to maxHead on demand (most heads are small) */
const FIRST_HEAD_BUF = 2048;

class Side {
  state = S_HEAD;
  headBuf = NO_HEAD_BUF;
  headLen = 0;
  body: BodyReader | null = null;
  current: HttpTransaction | null = null;
  headPacket = 0;
  /** junk bytes skipped before a head (bounded: past it, junk is parsed and refused) */
  junk = 0;
  headTsSec = 0;
  headTsNsec = 0;
}

export class HttpSession {
  private readonly sides: [Side, Side];
  private readonly pending: HttpTransaction[] = [];
  /** transactions dropped because too many requests were waiting */
  overflow = 0;
  /** heads that did not parse (the direction then went opaque) */
  badHeads = 0;

  constructor(
    private readonly emit: (tx: HttpTransaction) => void,
    private readonly limits: HttpSessionLimits = DEFAULT_HTTP_LIMITS,
  ) {
    this.sides = [new Side(), new Side()];
  }

  data(dir: 0 | 1, buf: Uint8Array, packet: number, tsSec: number, tsNsec: number): void {
    const s = this.sides[dir];
    let p = 0;
    const end = buf.length;
    // bounded: every pass consumes bytes or changes state to one that consumes
    for (let guard = 0; p < end && guard < 100_000; guard++) {
      if (s.state === S_OPAQUE) return;
      if (s.state === S_BODY) {
        p += s.body!.push(buf, p, end);
        if (s.body!.done) this.bodyDone(dir, s);
        continue;
      }
      // S_HEAD: gather bytes into headBuf until a head parses
      if (s.headLen === 0) {
        // skip stray CR/LF between messages, and a TCP keep-alive's junk byte picked up midstream
        while (
          p < end &&
          (buf[p] === 13 || buf[p] === 10 || (s.junk < 8 && (buf[p]! < 0x41 || buf[p]! > 0x5a)))
        ) {
          if (buf[p] !== 13 && buf[p] !== 10) s.junk++;
          p++;
        }
        if (p >= end) return;
        s.headPacket = packet;
        s.headTsSec = tsSec;
        s.headTsNsec = tsNsec;
      }
      const maxHead = this.limits.head.maxHead;
      if (s.headLen + (end - p) > s.headBuf.length && s.headBuf.length < maxHead) {
        const grown = new Uint8Array(
          Math.min(maxHead, Math.max(s.headBuf.length * 2, s.headLen + (end - p), FIRST_HEAD_BUF)),
        );
        grown.set(s.headBuf.subarray(0, s.headLen));
        s.headBuf = grown;
      }
      const room = s.headBuf.length - s.headLen;
      const take = Math.min(room, end - p);
      s.headBuf.set(buf.subarray(p, p + take), s.headLen);
      const before = s.headLen;
      s.headLen += take;
      // give up early on a direction that does not start like HTTP (TLS on port 80, binary protocols)
      const r =
        before < 8 && s.headLen >= 8 && !looksLikeHttp(s.headBuf, 0, s.headLen)
          ? HEAD_BAD
          : parseHttpHead(s.headBuf, 0, s.headLen, this.limits.head);
      if (r === HEAD_MORE) {
        p += take;
        continue;
      }
      if (r === HEAD_BAD) {
        this.badHeads++;
        s.state = S_OPAQUE;
        s.headLen = 0;
        return;
      }
      // bytes of this chunk past the head go on to the body
      p += r.headLen - before;
      s.headLen = 0;
      this.onHead(dir, s, r);
    }
  }

  /** len bytes of direction dir were lost. */
  gap(dir: 0 | 1, len: number): void {
    const s = this.sides[dir];
    if (s.state === S_BODY && s.body) {
      const used = s.body.gap(len);
      if (s.body.done) this.bodyDone(dir, s);
      if (used === len) return;
    }
    // lost inside or between heads: we cannot find the next message boundary reliably
    if (s.state !== S_OPAQUE) {
      s.state = S_OPAQUE;
      s.headLen = 0;
    }
  }

  /** Direction dir ended (FIN/RST/close): close-framed bodies complete, others are cut. */
  end(dir: 0 | 1): void {
    const s = this.sides[dir];
    if (s.state === S_BODY && s.body) {
      s.body.end();
      this.bodyDone(dir, s);
    }
  }

  /** The connection is over: everything still open is emitted. */
  close(): void {
    this.end(0);
    this.end(1);
    for (const tx of this.pending.splice(0)) this.emit(tx);
  }

  private onHead(dir: 0 | 1, s: Side, h: HttpHead): void {
    let tx: HttpTransaction;
    let method: string | null = null;
    if (h.isRequest) {
      tx = {
        request: h,
        response: null,
        requestBody: null,
        responseBody: null,
        packet: s.headPacket,
        tsSec: s.headTsSec,
        tsNsec: s.headTsNsec,
        clientDir: dir,
      };
      if (this.pending.length >= this.limits.maxPending) {
        this.overflow++;
        this.emit(this.pending.shift()!);
      }
      this.pending.push(tx);
    } else {
      const i = this.pending.findIndex((t) => t.response === null && t.clientDir !== dir);
      if (h.status >= 100 && h.status < 200 && h.status !== 101) {
        // interim response: the final one follows; it belongs to no transaction of its own
        s.state = S_HEAD;
        return;
      }
      if (i >= 0) {
        tx = this.pending[i]!;
        tx.response = h;
        method = tx.request!.method;
      } else {
        tx = {
          request: null,
          response: h,
          requestBody: null,
          responseBody: null,
          packet: s.headPacket,
          tsSec: s.headTsSec,
          tsNsec: s.headTsNsec,
          clientDir: dir === 0 ? 1 : 0,
        };
        this.pending.push(tx);
      }
    }
    s.current = tx;
    if (!h.isRequest && (h.status === 101 || (method === 'CONNECT' && h.status >= 200 && h.status < 300))) {
      // the connection now carries another protocol in both directions
      this.finishTx(tx);
      this.sides[0].state = S_OPAQUE;
      this.sides[1].state = S_OPAQUE;
      return;
    }
    const f = bodyFraming(h, method);
    s.body = new BodyReader(f.framing, f.length, header(h, 'content-encoding'), this.limits.body);
    if (s.body.done) this.bodyDone(dir, s);
    else s.state = S_BODY;
  }

  private bodyDone(dir: 0 | 1, s: Side): void {
    const tx = s.current;
    const body = s.body;
    s.body = null;
    s.current = null;
    s.state = S_HEAD;
    if (!tx || !body) return;
    const info = body.framing === 'none' ? null : body.info();
    if (tx.clientDir === dir && tx.request) tx.requestBody = info;
    else {
      tx.responseBody = info;
      this.finishTx(tx);
    }
  }

  private finishTx(tx: HttpTransaction): void {
    const i = this.pending.indexOf(tx);
    if (i >= 0) this.pending.splice(i, 1);
    this.emit(tx);
  }
}
