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
  /**
   * Queries waiting for their response, oldest first: the oldest in the slot (one/oneRow/oneSec/oneNsec),
   * the rest in a map by transaction id made on demand. Most flows are one query and its answer, then idle:
   * they need no map and no object per query besides its row.
   */
  private one = -1;
  private oneRow: DnsRow | null = null;
  private oneSec = 0;
  private oneNsec = 0;
  /** queries newer than the slot's, in arrival order (let go when empty) */
  private pendingMap: Map<number, Pending> | null = null;

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
      const prev = this.take(m.id);
      if (prev) this.emit(prev);
      if (this.pendingCount() >= MAX_PENDING) {
        const oldest = this.takeOldest();
        if (oldest) this.emit(oldest);
      }
      const row = this.row(m, dir, packet, sec, nsec);
      if (this.one < 0 && this.pendingMap === null) {
        this.one = m.id;
        this.oneRow = row;
        this.oneSec = sec;
        this.oneNsec = nsec;
      } else (this.pendingMap ??= new Map<number, Pending>()).set(m.id, { row, sec, nsec });
      return true;
    }
    let row: DnsRow | null = null;
    let qSec = 0;
    let qNsec = 0;
    if (this.one === m.id) {
      row = this.oneRow;
      qSec = this.oneSec;
      qNsec = this.oneNsec;
      this.clearOne();
    } else {
      const p = this.pendingMap?.get(m.id);
      if (p) {
        this.pendingMap!.delete(m.id);
        // answered: a flow that lives on (idle timeout) keeps no empty map
        if (this.pendingMap!.size === 0) this.pendingMap = null;
        row = p.row;
        qSec = p.sec;
        qNsec = p.nsec;
      }
    }
    if (row) {
      fillResponse(row, m);
      row.rtt = Math.max(0, sec - qSec + (nsec - qNsec) / 1e9);
      this.emit(row);
    } else {
      const r = this.row(m, dir === 0 ? 1 : 0, packet, sec, nsec);
      fillResponse(r, m);
      this.emit(r);
    }
    return true;
  }

  /** No query waits for its response: this object holds nothing a new one made for the flow would not. */
  idle(): boolean {
    return this.one < 0 && this.pendingMap === null;
  }

  /** The flow ended: queries without a response are emitted as they are, oldest first. */
  close(): void {
    if (this.oneRow) this.emit(this.oneRow);
    this.clearOne();
    if (this.pendingMap === null) return;
    for (const p of this.pendingMap.values()) this.emit(p.row);
    this.pendingMap = null;
  }

  private pendingCount(): number {
    return (this.one >= 0 ? 1 : 0) + (this.pendingMap?.size ?? 0);
  }

  private clearOne(): void {
    this.one = -1;
    this.oneRow = null;
  }

  /** The row of the query waiting under id, taken out of the pending ones (null when none). */
  private take(id: number): DnsRow | null {
    if (this.one === id) {
      const r = this.oneRow;
      this.clearOne();
      return r;
    }
    const map = this.pendingMap;
    const p = map?.get(id);
    if (!map || !p) return null;
    map.delete(id);
    if (map.size === 0) this.pendingMap = null;
    return p.row;
  }

  private takeOldest(): DnsRow | null {
    if (this.one >= 0) {
      const r = this.oneRow;
      this.clearOne();
      return r;
    }
    const map = this.pendingMap;
    if (!map) return null;
    const [k, v] = map.entries().next().value as [number, Pending];
    map.delete(k);
    if (map.size === 0) this.pendingMap = null;
    return v.row;
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

// row lists are built by push, not `new Array(n)`: a holey array is cloned to another thread (the import's
// decoding worker) element by element as a sparse one, ~1.5x the cost of a packed one on DNS-heavy captures
function questionTexts(m: DnsMessageReader): string[] {
  const n = m.questionCount;
  if (n === 0) return [];
  const hit = recentList(RECENT_QUESTIONS, n, m.qName, m.qType, null);
  if (hit !== null) return hit;
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(m.qName[i]! + ' ' + dnsTypeName(m.qType[i]!));
  remember(RECENT_QUESTIONS, n, m.qName, m.qType, null, out);
  return out;
}

function answerTexts(m: DnsMessageReader): string[] {
  const n = m.answerCount;
  if (n === 0) return [];
  const hit = recentList(RECENT_ANSWERS, n, m.aName, m.aType, m.aValue);
  if (hit !== null) return hit;
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(m.aName[i]! + ' ' + typeValueText(m.aType[i]!, m.aValue[i]!));
  remember(RECENT_ANSWERS, n, m.aName, m.aType, m.aValue, out);
  return out;
}

/** A list handed out recently and the parts its texts were made of. */
interface RecentList {
  names: string[];
  types: number[];
  values: string[] | null;
  list: string[];
}

/** Lists handed out recently, by their first name; cleared when full. */
const RECENT_QUESTIONS = new Map<string, RecentList>();
const RECENT_ANSWERS = new Map<string, RecentList>();
const RECENT_MAX = 4096;

/**
 * The question or answer list handed out recently for the same names, types and values: a resolver answers a
 * name with the same records again and again, and rows sharing one (never modified) array cost one copy when
 * a batch of rows is cloned to another thread (the import's decoding worker) and kept for enrichment. The
 * parts are compared before any text is made: the reader's names are mostly the same strings again (the name
 * cache), so a repeated list costs a few comparisons instead of its texts and a look-up of a fresh string.
 */
function recentList(
  recent: Map<string, RecentList>,
  n: number,
  names: readonly string[],
  types: readonly number[],
  values: readonly string[] | null,
): string[] | null {
  const prev = recent.get(names[0]!);
  if (prev === undefined || prev.list.length !== n) return null;
  for (let i = 0; i < n; i++) {
    if (prev.types[i] !== types[i] || prev.names[i] !== names[i]) return null;
    if (values !== null && prev.values![i] !== values[i]) return null;
  }
  return prev.list;
}

function remember(
  recent: Map<string, RecentList>,
  n: number,
  names: readonly string[],
  types: readonly number[],
  values: readonly string[] | null,
  list: string[],
): void {
  if (recent.size >= RECENT_MAX) recent.clear();
  recent.set(names[0]!, {
    names: names.slice(0, n),
    types: types.slice(0, n),
    values: values === null ? null : values.slice(0, n),
    list,
  });
}

function fillResponse(row: DnsRow, m: DnsMessageReader): void {
  row.has_response = true;
  row.rcode = dnsRcodeName(m.rcode);
  let ttl: number | null = null;
  for (let i = 0; i < m.answerCount; i++) {
    const t = m.aTtl[i]!;
    if (ttl === null || t < ttl) ttl = t;
  }
  row.answers = answerTexts(m);
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
