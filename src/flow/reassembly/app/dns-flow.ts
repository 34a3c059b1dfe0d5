/**
 * DNS transactions of one flow (UDP datagrams, or messages split out of a TCP stream): queries wait for their
 * response by transaction id; each query message gives one row, unsolicited responses (mDNS) one row each.
 */
import type { DnsRow } from '../../../shared/app-rows.js';
import {
  DnsMessageReader,
  dnsClassName,
  dnsTypeName,
  typeValueText,
} from '../../../dissect/protocols/dns/decode.js';
import { dnsRcodeName } from '../../../dissect/protocols/dns/names.js';
import { isoTime } from '../../../shared/time.js';
import type { Endpoints } from './base.js';

const MAX_PENDING = 256;

/** One reader for every flow: a message is turned into row text before the next one is decoded. */
const reader = new DnsMessageReader();

interface Pending {
  row: DnsRow;
  sec: number;
  nsec: number;
}

export class DnsFlow {
  /** queries waiting for their response, by transaction id (made on demand and let go when empty: most flows are one query and its answer, then idle) */
  private pendingMap: Map<number, Pending> | null = null;

  private get pending(): Map<number, Pending> {
    return (this.pendingMap ??= new Map<number, Pending>());
  }

  constructor(
    private readonly flowId: number,
    private readonly ep: Endpoints,
    private readonly proto: string,
    private readonly transport: 'udp' | 'tcp',
    private readonly emit: (row: DnsRow) => void,
  ) {}

  /** One DNS message at b[off, end) sent in direction dir. Returns false when it is not one (too short). */
  message(
    dir: 0 | 1,
    b: Uint8Array,
    off: number,
    end: number,
    packet: number,
    sec: number,
    nsec: number,
  ): boolean {
    const m = reader;
    if (!m.decode(b, off, end, this.proto === 'nbns')) return false;
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
      return true;
    }
    const p = this.pendingMap?.get(m.id);
    if (p) {
      this.pending.delete(m.id);
      // answered: a flow that lives on (idle timeout) keeps no empty map
      if (this.pending.size === 0) this.pendingMap = null;
      fillResponse(p.row, m);
      p.row.rtt = Math.max(0, sec - p.sec + (nsec - p.nsec) / 1e9);
      this.emit(p.row);
    } else {
      const row = this.row(m, dir === 0 ? 1 : 0, packet, sec, nsec);
      fillResponse(row, m);
      this.emit(row);
    }
    return true;
  }

  /** The flow ended: queries without a response are emitted as they are. */
  close(): void {
    if (this.pendingMap === null) return;
    for (const p of this.pendingMap.values()) this.emit(p.row);
    this.pendingMap.clear();
  }

  private row(m: DnsMessageReader, clientDir: number, packet: number, sec: number, nsec: number): DnsRow {
    const q = m.questionCount > 0;
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
      query_name: q ? m.qName[0]! : null,
      query_type: q ? dnsTypeName(m.qType[0]!) : null,
      query_class: q ? dnsClassName(m.qClass[0]!) : null,
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

function questionTexts(m: DnsMessageReader): string[] {
  const out = new Array<string>(m.questionCount);
  for (let i = 0; i < m.questionCount; i++) out[i] = m.qName[i]! + ' ' + dnsTypeName(m.qType[i]!);
  return out;
}

function fillResponse(row: DnsRow, m: DnsMessageReader): void {
  row.has_response = true;
  row.rcode = dnsRcodeName(m.rcode);
  const answers = new Array<string>(m.answerCount);
  let ttl: number | null = null;
  for (let i = 0; i < m.answerCount; i++) {
    answers[i] = m.aName[i]! + ' ' + typeValueText(m.aType[i]!, m.aValue[i]!);
    const t = m.aTtl[i]!;
    if (ttl === null || t < ttl) ttl = t;
  }
  row.answers = answers;
  row.ttl = ttl;
  row.flags = flagText(m);
  if (row.query_name === null && m.questionCount > 0) {
    row.query_name = m.qName[0]!;
    row.query_type = dnsTypeName(m.qType[0]!);
    row.query_class = dnsClassName(m.qClass[0]!);
  }
}

/** "AA TC RD RA" as set, in that order: one of 16 constant strings. */
const FLAG_TEXT: string[] = Array.from({ length: 16 }, (_, bits) =>
  ['AA', 'TC', 'RD', 'RA'].filter((_f, i) => (bits & (8 >> i)) !== 0).join(' '),
);

function flagText(m: DnsMessageReader): string {
  return FLAG_TEXT[(m.aa ? 8 : 0) | (m.tc ? 4 : 0) | (m.rd ? 2 : 0) | (m.ra ? 1 : 0)]!;
}
