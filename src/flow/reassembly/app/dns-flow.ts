/**
 * DNS transactions of one flow (UDP datagrams, or messages split out of a TCP stream): queries wait for their
 * response by transaction id; each query message gives one row, unsolicited responses (mDNS) one row each.
 */
import type { DnsRow } from '../../../shared/app-rows.js';
import {
  decodeDns,
  dnsClassName,
  dnsTypeName,
  recordText,
  type DnsMessage,
} from '../../../dissect/protocols/dns/decode.js';
import { dnsRcodeName } from '../../../dissect/protocols/dns/names.js';
import { isoTime } from '../../../shared/time.js';
import type { Endpoints } from './base.js';

const MAX_PENDING = 256;

interface Pending {
  row: DnsRow;
  sec: number;
  nsec: number;
}

export class DnsFlow {
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly flowId: number,
    private readonly ep: Endpoints,
    private readonly proto: string,
    private readonly transport: 'udp' | 'tcp',
    private readonly emit: (row: DnsRow) => void,
  ) {}

  /** One DNS message at b[off, end) sent in direction dir. Returns the decoded message (or null). */
  message(
    dir: 0 | 1,
    b: Uint8Array,
    off: number,
    end: number,
    packet: number,
    sec: number,
    nsec: number,
  ): DnsMessage | null {
    const m = decodeDns(b, off, end, { nbns: this.proto === 'nbns' });
    if (!m) return null;
    if (!m.qr) {
      const prev = this.pending.get(m.id);
      if (prev) {
        this.pending.delete(m.id);
        this.emit(prev.row);
      }
      if (this.pending.size >= MAX_PENDING) {
        const [k, v] = this.pending.entries().next().value as [number, Pending];
        this.pending.delete(k);
        this.emit(v.row);
      }
      this.pending.set(m.id, { row: this.row(m, dir, packet, sec, nsec), sec, nsec });
      return m;
    }
    const p = this.pending.get(m.id);
    if (p) {
      this.pending.delete(m.id);
      fillResponse(p.row, m);
      p.row.rtt = Math.max(0, sec - p.sec + (nsec - p.nsec) / 1e9);
      this.emit(p.row);
    } else {
      const row = this.row(m, dir === 0 ? 1 : 0, packet, sec, nsec);
      fillResponse(row, m);
      this.emit(row);
    }
    return m;
  }

  /** The flow ended: queries without a response are emitted as they are. */
  close(): void {
    for (const p of this.pending.values()) this.emit(p.row);
    this.pending.clear();
  }

  private row(m: DnsMessage, clientDir: number, packet: number, sec: number, nsec: number): DnsRow {
    const q = m.questions[0];
    const c = clientDir === 1 ? 1 : 0;
    const s = c === 1 ? 0 : 1;
    const ep = this.ep;
    // one literal with every column (the same order as rowBase's): spreading a base row into it cost a tenth
    // of the app layer's CPU on DNS-heavy captures
    return {
      flow_id: this.flowId,
      ts: isoTime(sec, nsec),
      packet,
      client_ip: ep.ip[c],
      client_port: ep.port[c],
      server_ip: ep.ip[s],
      server_port: ep.port[s],
      proto: this.proto,
      transport: this.transport,
      trans_id: m.id,
      query_name: q ? q.name : null,
      query_type: q ? dnsTypeName(q.type) : null,
      query_class: q ? dnsClassName(q.class) : null,
      has_query: !m.qr,
      has_response: false,
      questions: questionTexts(m),
      rcode: null,
      answers: [],
      ttl: null,
      rtt: null,
      flags: flagText(m),
    };
  }
}

function questionTexts(m: DnsMessage): string[] {
  const out = new Array<string>(m.questions.length);
  for (let i = 0; i < m.questions.length; i++) {
    const x = m.questions[i]!;
    out[i] = x.name + ' ' + dnsTypeName(x.type);
  }
  return out;
}

function fillResponse(row: DnsRow, m: DnsMessage): void {
  row.has_response = true;
  row.rcode = dnsRcodeName(m.rcode);
  row.answers = m.answers.map((a) => `${a.name} ${recordText(a)}`);
  let ttl: number | null = null;
  for (const a of m.answers) if (ttl === null || a.ttl < ttl) ttl = a.ttl;
  row.ttl = ttl;
  row.flags = flagText(m);
  if (row.query_name === null && m.questions[0]) {
    row.query_name = m.questions[0].name;
    row.query_type = dnsTypeName(m.questions[0].type);
    row.query_class = dnsClassName(m.questions[0].class);
  }
}

function flagText(m: DnsMessage): string {
  const f: string[] = [];
  if (m.aa) f.push('AA');
  if (m.tc) f.push('TC');
  if (m.rd) f.push('RD');
  if (m.ra) f.push('RA');
  return f.join(' ');
}
