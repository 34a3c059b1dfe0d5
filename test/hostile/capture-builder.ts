/**
 * Builds small captures for the hostile-input tests: a pcap writer plus Ethernet/IPv4/IPv6/UDP/TCP frame
 * builders and a few application payloads (DNS, HTTP, TLS ClientHello). Checksums are left zero: nothing here
 * verifies them. Every length field can be overridden to build lying headers on purpose.
 */

export const LINK_ETHERNET = 1;

const enc = new TextEncoder();

export function bytesOf(s: string | Uint8Array): Uint8Array {
  return typeof s === 'string' ? latin1(s) : s;
}

/** Each char code as one byte (keeps ESC, NUL and high bytes as they are; UTF-8 is the caller's choice). */
export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function utf8(s: string): Uint8Array {
  return enc.encode(s);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function be16(v: number): Uint8Array {
  return new Uint8Array([(v >> 8) & 0xff, v & 0xff]);
}
function be24(v: number): Uint8Array {
  return new Uint8Array([(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
}
function be32(v: number): Uint8Array {
  return new Uint8Array([(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
}

export function ipv4Bytes(a: string): Uint8Array {
  return new Uint8Array(a.split('.').map(Number));
}

export function ipv6Bytes(a: string): Uint8Array {
  const [h = '', t = ''] = a.split('::');
  const hw = h ? h.split(':') : [];
  const tw = a.includes('::') && t ? t.split(':') : [];
  const words = [...hw, ...Array<string>(8 - hw.length - tw.length).fill('0'), ...tw];
  return concat(...words.map((w) => be16(parseInt(w, 16))));
}

/** A pcap file (little-endian, microseconds). */
export class PcapWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;
  constructor(
    readonly linkType = LINK_ETHERNET,
    readonly snaplen = 262144,
  ) {
    const h = new Uint8Array(24);
    const v = new DataView(h.buffer);
    v.setUint32(0, 0xa1b2c3d4, true);
    v.setUint16(4, 2, true);
    v.setUint16(6, 4, true);
    v.setUint32(16, snaplen, true);
    v.setUint32(20, linkType, true);
    this.push(h);
  }

  private push(b: Uint8Array): void {
    this.parts.push(b);
    this.size += b.length;
  }

  /** One record; caplen/len may lie (they default to the frame's length). */
  add(frame: Uint8Array, o: { ts?: number; caplen?: number; len?: number } = {}): this {
    const ts = o.ts ?? 1_700_000_000 + this.parts.length / 1000;
    const h = new Uint8Array(16);
    const v = new DataView(h.buffer);
    v.setUint32(0, Math.floor(ts), true);
    v.setUint32(4, Math.round((ts - Math.floor(ts)) * 1e6) % 1e6, true);
    v.setUint32(8, o.caplen ?? frame.length, true);
    v.setUint32(12, o.len ?? frame.length, true);
    this.push(h);
    this.push(frame);
    return this;
  }

  /** Raw bytes appended as they are (a record header that lies, garbage). */
  raw(b: Uint8Array): this {
    this.push(b);
    return this;
  }

  bytes(): Uint8Array {
    return concat(...this.parts);
  }
}

export function ether(
  payload: Uint8Array,
  ethertype = 0x0800,
  src = '02:00:00:00:00:01',
  dst = '02:00:00:00:00:02',
): Uint8Array {
  const mac = (m: string): Uint8Array => new Uint8Array(m.split(':').map((x) => parseInt(x, 16)));
  return concat(mac(dst), mac(src), be16(ethertype), payload);
}

export interface Ipv4Opts {
  src: string;
  dst: string;
  proto: number;
  payload: Uint8Array;
  id?: number;
  /** fragment offset in 8-byte units, and the more-fragments flag */
  fragOffset?: number;
  moreFragments?: boolean;
  ttl?: number;
  /** lies on purpose when given */
  totalLength?: number;
  ihl?: number;
}

export function ipv4(o: Ipv4Opts): Uint8Array {
  const h = new Uint8Array(20);
  h[0] = 0x40 | (o.ihl ?? 5);
  h.set(be16(o.totalLength ?? 20 + o.payload.length), 2);
  h.set(be16(o.id ?? 1), 4);
  h.set(be16(((o.moreFragments ? 1 : 0) << 13) | (o.fragOffset ?? 0)), 6);
  h[8] = o.ttl ?? 64;
  h[9] = o.proto;
  h.set(ipv4Bytes(o.src), 12);
  h.set(ipv4Bytes(o.dst), 16);
  return concat(h, o.payload);
}

export function ipv6(o: {
  src: string;
  dst: string;
  next: number;
  payload: Uint8Array;
  payloadLength?: number;
}): Uint8Array {
  const h = new Uint8Array(40);
  h[0] = 0x60;
  h.set(be16(o.payloadLength ?? o.payload.length), 4);
  h[6] = o.next;
  h[7] = 64;
  h.set(ipv6Bytes(o.src), 8);
  h.set(ipv6Bytes(o.dst), 24);
  return concat(h, o.payload);
}

export function udp(sport: number, dport: number, payload: Uint8Array, length?: number): Uint8Array {
  return concat(be16(sport), be16(dport), be16(length ?? 8 + payload.length), be16(0), payload);
}

export const SYN = 0x02;
export const ACK = 0x10;
export const PSH = 0x08;
export const FIN = 0x01;

export function tcp(
  sport: number,
  dport: number,
  seq: number,
  ack: number,
  flags: number,
  payload: Uint8Array = new Uint8Array(0),
  dataOffset = 5,
): Uint8Array {
  const h = new Uint8Array(20);
  h.set(be16(sport), 0);
  h.set(be16(dport), 2);
  h.set(be32(seq), 4);
  h.set(be32(ack), 8);
  h[12] = dataOffset << 4;
  h[13] = flags;
  h.set(be16(65535), 14);
  return concat(h, payload);
}

/** An Ethernet/IPv4/UDP frame. */
export function udpFrame(
  src: string,
  dst: string,
  sport: number,
  dport: number,
  payload: Uint8Array,
): Uint8Array {
  return ether(ipv4({ src, dst, proto: 17, payload: udp(sport, dport, payload) }));
}

/**
 * A whole TCP conversation as frames: handshake, then each message in its direction (client first), then FIN.
 * Messages longer than mss are cut into several segments.
 */
export function tcpConversation(
  client: string,
  server: string,
  cport: number,
  sport: number,
  messages: { fromClient: boolean; data: Uint8Array }[],
  mss = 1400,
): Uint8Array[] {
  let cseq = 1000;
  let sseq = 5000;
  const c = (flags: number, p?: Uint8Array): Uint8Array =>
    ether(ipv4({ src: client, dst: server, proto: 6, payload: tcp(cport, sport, cseq, sseq, flags, p) }));
  const s = (flags: number, p?: Uint8Array): Uint8Array =>
    ether(ipv4({ src: server, dst: client, proto: 6, payload: tcp(sport, cport, sseq, cseq, flags, p) }));
  const frames = [c(SYN)];
  cseq++;
  frames.push(s(SYN | ACK));
  sseq++;
  frames.push(c(ACK));
  for (const m of messages) {
    for (let o = 0; o < m.data.length; o += mss) {
      const piece = m.data.subarray(o, o + mss);
      if (m.fromClient) {
        frames.push(c(ACK | PSH, piece));
        cseq += piece.length;
      } else {
        frames.push(s(ACK | PSH, piece));
        sseq += piece.length;
      }
    }
  }
  frames.push(c(FIN | ACK), s(FIN | ACK));
  return frames;
}

/** A DNS name in wire format (labels longer than 63 bytes are cut into several labels). */
export function dnsName(name: string): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const label of name.split('.').filter((l) => l.length > 0)) {
    const b = latin1(label);
    for (let o = 0; o < b.length; o += 63) {
      const piece = b.subarray(o, o + 63);
      parts.push(new Uint8Array([piece.length]), piece);
    }
  }
  return concat(...parts, new Uint8Array([0]));
}

export interface DnsOpts {
  id?: number;
  response?: boolean;
  /** question name (wire bytes, or a name) */
  qname: Uint8Array | string;
  qtype?: number;
  /** answers: name (bytes or a pointer), type, rdata */
  answers?: { name: Uint8Array; type: number; rdata: Uint8Array }[];
  /** header counts that lie on purpose */
  counts?: [number, number, number, number];
}

export function dns(o: DnsOpts): Uint8Array {
  const answers = o.answers ?? [];
  const counts = o.counts ?? [1, answers.length, 0, 0];
  const q = typeof o.qname === 'string' ? dnsName(o.qname) : o.qname;
  return concat(
    be16(o.id ?? 0x1234),
    be16(o.response ? 0x8180 : 0x0100),
    ...counts.map(be16),
    q,
    be16(o.qtype ?? 1),
    be16(1),
    ...answers.flatMap((a) => [a.name, be16(a.type), be16(1), be32(60), be16(a.rdata.length), a.rdata]),
  );
}

/** A TLS record holding a ClientHello with the given SNI (raw bytes, nothing checked). */
export function tlsClientHello(sni: Uint8Array | string, alpn: string[] = []): Uint8Array {
  const name = bytesOf(sni);
  const sniExt = concat(
    be16(0),
    be16(name.length + 5),
    be16(name.length + 3),
    new Uint8Array([0]),
    be16(name.length),
    name,
  );
  const alpnList = concat(...alpn.map((p) => concat(new Uint8Array([p.length]), latin1(p))));
  const alpnExt = alpn.length
    ? concat(be16(16), be16(alpnList.length + 2), be16(alpnList.length), alpnList)
    : new Uint8Array(0);
  const exts = concat(sniExt, alpnExt);
  const body = concat(
    be16(0x0303),
    new Uint8Array(32).fill(7),
    new Uint8Array([0]),
    be16(4),
    be16(0x1301),
    be16(0xc02f),
    new Uint8Array([1, 0]),
    be16(exts.length),
    exts,
  );
  const hs = concat(new Uint8Array([1]), be24(body.length), body);
  return concat(new Uint8Array([22, 3, 1]), be16(hs.length), hs);
}

/** An HTTP/1.1 request; header values go on the wire byte for byte. */
export function httpRequest(method: string, uri: string, headers: [string, string][], body = ''): Uint8Array {
  const head = `${method} ${uri} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return concat(latin1(head), latin1(body));
}

export function httpResponse(
  status: number,
  headers: [string, string][],
  body: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const head = `HTTP/1.1 ${status} X\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return concat(latin1(head), body);
}
