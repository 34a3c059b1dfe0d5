/**
 * DNS message decoder (RFC 1035 section 4; also mDNS RFC 6762, LLMNR RFC 4795 and NBNS RFC 1002, which share
 * the format). decodeDns allocates per message (an object per record, names are strings); DnsMessageReader
 * reuses its storage and reads only what rows show. Every count and length is capped; bad bytes give null or
 * a message marked truncated, never an exception.
 */
import { has, u16be, u32be } from '../../../wire/byte-view.js';
import { ipv4Text, ipv4ToString, ipv6ToString } from '../../../shared/addr.js';
import { nameRead, readName, readNameAt } from './name.js';
import { dnsClassName, dnsTypeName } from './names.js';

export const DNS_HEADER_LEN = 12;
/** caps against absurd counts: a 64 KiB message cannot hold more than this many useful records anyway */
export const MAX_QUESTIONS = 64;
export const MAX_RECORDS = 256;
const MAX_TXT = 1024;

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

export interface DnsRecord {
  name: string;
  type: number;
  class: number;
  ttl: number;
  /** decoded RDATA as text (address, target name, "pref exchange", ...); "" for types we do not render */
  value: string;
}

export interface DnsMessage {
  id: number;
  /** true for a response */
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  rcode: number;
  /** counts as written in the header (may exceed what was decoded) */
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authority: DnsRecord[];
  additional: DnsRecord[];
  /** true when the message ended (or turned malformed) before all counted entries were read */
  truncated: boolean;
}

export interface DnsDecodeOptions {
  /** decode NetBIOS first-level encoded names (NBNS on port 137) */
  nbns?: boolean;
}

/** Decodes one DNS message occupying buf[off, end). Returns null when not even the header and first question fit. */
export function decodeDns(
  buf: Uint8Array,
  off: number,
  end: number,
  opts: DnsDecodeOptions = {},
): DnsMessage | null {
  end = Math.min(end, buf.length);
  if (!has(off, DNS_HEADER_LEN, end)) return null;
  const flags = u16be(buf, off + 2);
  const m: DnsMessage = {
    id: u16be(buf, off),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 15,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    rcode: flags & 15,
    qdcount: u16be(buf, off + 4),
    ancount: u16be(buf, off + 6),
    nscount: u16be(buf, off + 8),
    arcount: u16be(buf, off + 10),
    questions: [],
    answers: [],
    authority: [],
    additional: [],
    truncated: false,
  };
  const nbns = opts.nbns === true;
  let pos = off + DNS_HEADER_LEN;
  for (let i = 0; i < m.qdcount; i++) {
    if (i >= MAX_QUESTIONS) {
      m.truncated = true;
      return m;
    }
    const n = readName(buf, off, end, pos, nbns);
    if (!n || !has(n.next, 4, end)) {
      m.truncated = true;
      return m;
    }
    m.questions.push({ name: n.name, type: u16be(buf, n.next), class: u16be(buf, n.next + 2) });
    pos = n.next + 4;
  }
  let budget = MAX_RECORDS;
  const sections: [number, DnsRecord[]][] = [
    [m.ancount, m.answers],
    [m.nscount, m.authority],
    [m.arcount, m.additional],
  ];
  for (const [count, list] of sections) {
    for (let i = 0; i < count; i++) {
      if (budget-- <= 0) {
        m.truncated = true;
        return m;
      }
      const n = readName(buf, off, end, pos, nbns);
      if (!n || !has(n.next, 10, end)) {
        m.truncated = true;
        return m;
      }
      const type = u16be(buf, n.next);
      const rdlen = u16be(buf, n.next + 8);
      const rdata = n.next + 10;
      if (rdata + rdlen > end) {
        m.truncated = true;
        return m;
      }
      list.push({
        name: n.name,
        type,
        class: u16be(buf, n.next + 2),
        ttl: u32be(buf, n.next + 4),
        value: rdataText(buf, off, end, type, rdata, rdlen, nbns),
      });
      pos = rdata + rdlen;
    }
  }
  return m;
}

/**
 * A DNS message decoded into storage that is reused from one message to the next: the header, every question
 * and the answer section, in parallel arrays. Authority and additional records are not read (no row shows
 * them), so a query's EDNS record or an mDNS answer's additional records cost nothing. What it reads, it
 * reads exactly as decodeDns does (same caps, same text), so rows built from either are the same.
 * Valid until the next decode().
 */
export class DnsMessageReader {
  id = 0;
  qr = false;
  opcode = 0;
  aa = false;
  tc = false;
  rd = false;
  ra = false;
  rcode = 0;
  qdcount = 0;
  ancount = 0;
  /** questions read: qName/qType/qClass[0, questionCount) */
  questionCount = 0;
  readonly qName: string[] = [];
  readonly qType: number[] = [];
  readonly qClass: number[] = [];
  /** answers read: aName/aType/aTtl/aValue[0, answerCount) */
  answerCount = 0;
  readonly aName: string[] = [];
  readonly aType: number[] = [];
  readonly aTtl: number[] = [];
  readonly aValue: string[] = [];

  /** Decodes buf[off, end); false when not even the header fits (decodeDns's null). */
  decode(buf: Uint8Array, off: number, end: number, nbns: boolean): boolean {
    end = Math.min(end, buf.length);
    this.questionCount = 0;
    this.answerCount = 0;
    if (!has(off, DNS_HEADER_LEN, end)) return false;
    const flags = u16be(buf, off + 2);
    this.id = u16be(buf, off);
    this.qr = (flags & 0x8000) !== 0;
    this.opcode = (flags >> 11) & 15;
    this.aa = (flags & 0x0400) !== 0;
    this.tc = (flags & 0x0200) !== 0;
    this.rd = (flags & 0x0100) !== 0;
    this.ra = (flags & 0x0080) !== 0;
    this.rcode = flags & 15;
    this.qdcount = u16be(buf, off + 4);
    this.ancount = u16be(buf, off + 6);
    let pos = off + DNS_HEADER_LEN;
    for (let i = 0; i < this.qdcount; i++) {
      if (i >= MAX_QUESTIONS) return true;
      const next = readNameAt(buf, off, end, pos, nbns);
      if (next < 0 || !has(next, 4, end)) return true;
      const k = this.questionCount++;
      this.qName[k] = nameRead;
      this.qType[k] = u16be(buf, next);
      this.qClass[k] = u16be(buf, next + 2);
      pos = next + 4;
    }
    // answers come first, so decodeDns's budget over all sections never stops them short of MAX_RECORDS
    for (let i = 0; i < this.ancount && i < MAX_RECORDS; i++) {
      const next = readNameAt(buf, off, end, pos, nbns);
      if (next < 0 || !has(next, 10, end)) return true;
      const type = u16be(buf, next);
      const rdlen = u16be(buf, next + 8);
      const rdata = next + 10;
      if (rdata + rdlen > end) return true;
      const k = this.answerCount++;
      this.aName[k] = nameRead;
      this.aType[k] = type;
      this.aTtl[k] = u32be(buf, next + 4);
      this.aValue[k] = rdataText(buf, off, end, type, rdata, rdlen, nbns);
      pos = rdata + rdlen;
    }
    return true;
  }
}

function nameAt(buf: Uint8Array, msg: number, end: number, at: number): string {
  return readNameAt(buf, msg, end, at) < 0 ? '<malformed>' : nameRead;
}

/** RDATA of the common types rendered as text, the way dig/tshark show the value. */
function rdataText(
  buf: Uint8Array,
  msg: number,
  end: number,
  type: number,
  at: number,
  len: number,
  nbns: boolean,
): string {
  const stop = at + len;
  switch (type) {
    case 1: // A
      return len === 4 ? ipv4Text(u32be(buf, at)) : '';
    case 28: // AAAA
      return len === 16 ? ipv6ToString(buf, at) : '';
    case 2: // NS
    case 5: // CNAME
    case 12: // PTR
    case 39: // DNAME
      return nameAt(buf, msg, stop, at);
    case 15: // MX
      return len >= 3 ? `${u16be(buf, at)} ${nameAt(buf, msg, stop, at + 2)}` : '';
    case 33: // SRV: priority weight port target
      return len >= 7
        ? `${u16be(buf, at)} ${u16be(buf, at + 2)} ${u16be(buf, at + 4)} ${nameAt(buf, msg, stop, at + 6)}`
        : '';
    case 6: {
      // SOA: mname rname serial refresh retry expire minimum
      const mn = readName(buf, msg, stop, at);
      const rn = mn && readName(buf, msg, stop, mn.next);
      if (!mn || !rn || !has(rn.next, 20, stop)) return '';
      const p = rn.next;
      return `${mn.name} ${rn.name} ${u32be(buf, p)} ${u32be(buf, p + 4)} ${u32be(buf, p + 8)} ${u32be(buf, p + 12)} ${u32be(buf, p + 16)}`;
    }
    case 16: // TXT: one or more character-strings
    case 99: {
      const parts: string[] = [];
      let p = at;
      while (p < stop && parts.length < 64) {
        const l = buf[p]!;
        if (p + 1 + l > stop) break;
        let s = '';
        for (let i = p + 1; i < p + 1 + l && s.length < MAX_TXT; i++) s += String.fromCharCode(buf[i]!);
        parts.push(s);
        p += 1 + l;
      }
      return parts.join(' ');
    }
    case 32: // NB (NBNS): flags + IPv4 per entry
      if (nbns && len >= 6) return ipv4ToString(u32be(buf, at + 2));
      return '';
    default:
      return '';
  }
}

/** One-line text of a record for rows: "A 1.2.3.4", "CNAME x.example". */
export function recordText(r: DnsRecord): string {
  return typeValueText(r.type, r.value);
}

/** recordText from the type and the rendered value. */
export function typeValueText(type: number, value: string): string {
  return value ? `${dnsTypeName(type)} ${value}` : dnsTypeName(type);
}

export { dnsClassName, dnsTypeName };

/**
 * DNS over TCP frames each message with a 2-byte length (RFC 1035 section 4.2.2). Given a reassembled stream
 * slice, returns the message boundaries found whole: [start, end) pairs, at most max of them.
 */
export function splitTcpDns(
  buf: Uint8Array,
  off: number,
  end: number,
  max = 64,
): { messages: [number, number][]; consumed: number } {
  const messages: [number, number][] = [];
  let p = off;
  while (messages.length < max && has(p, 2, end)) {
    const l = u16be(buf, p);
    if (!has(p + 2, l, end)) break;
    messages.push([p + 2, p + 2 + l]);
    p += 2 + l;
  }
  return { messages, consumed: p - off };
}
