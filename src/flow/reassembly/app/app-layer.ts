/**
 * The application layer of a run: plugs into Analysis (onPacket / onFlowEnd), reassembles TCP for flows whose
 * `app` has a stream parser, hands UDP datagrams to datagram parsers, and turns what they find into rows.
 * Per-flow state lives in FlowState.ext.app and is dropped when a flow's parser has nothing more to learn.
 *
 *   const app = new AppLayer({ dns: (r) => ..., http: ..., tls: ..., credential: ..., file: ... });
 *   new Analysis({ onPacket: app.onPacket, onFlowEnd: app.onFlowEnd });
 */
import type { NetLayer, Packet } from '../../../dissect/dissector.js';
import { L4_TCP, L4_UDP } from '../../../dissect/dissector.js';
import type { PacketRecord } from '../../../wire/record.js';
import type { FlowRow } from '../../../shared/rows.js';
import type { FlowState } from '../../flow-state.js';
import { TcpReassembler } from '../tcp-reassembler.js';
import {
  DEFAULT_LIMITS,
  ReassemblyBudget,
  TcpSegmentIn,
  type Dir,
  type ReassemblyLimits,
  type ReassemblyProblem,
  type StreamRef,
  type StreamSink,
} from '../types.js';
import {
  DEFAULT_HTTP_LIMITS,
  HttpSession,
  type HttpSessionLimits,
} from '../../../dissect/protocols/http/session.js';
import { TlsSession } from '../../../dissect/protocols/tls/session.js';
import { QuicSession } from '../../../dissect/protocols/quic/session.js';
import { splitTcpDns } from '../../../dissect/protocols/dns/decode.js';
import { Endpoints, rowBase } from './base.js';
import { DnsFlow } from './dns-flow.js';
import { emitHttp } from './http-rows.js';
import { tlsRow } from './tls-rows.js';
import type { AppSinks } from './sinks.js';
import { lineProtocolFor, type FtpExpectation, type LineSession } from './line-protocols.js';
import { FtpData } from './ftp-data.js';
import { udpParserFor, type UdpParser } from './udp-protocols.js';
import { smb2Stream } from './smb2-rows.js';
import { sipStream } from './sip-rows.js';

/** Apps whose TCP payload we reassemble. */
const STREAM_APPS = new Set([
  'http',
  'tls',
  'dns',
  'mdns',
  'llmnr',
  'ssh',
  'ftp',
  'smtp',
  'pop3',
  'imap',
  'telnet',
  'ftp-data',
  'smb2',
  'sip',
]);
/** FTP data connections announced and not yet seen, at most this many */
const MAX_EXPECTATIONS = 1024;
const DNS_APPS = new Set(['dns', 'mdns', 'llmnr', 'nbns']);
/** payload packets we wait for a flow without app to be classified before giving up on it */
const UNDECIDED_PACKETS = 4;
const MAX_DNS_TCP_BUF = 65537;
/** Telnet announces no FTP data connection */
const noExpect = (): void => undefined;

export interface AppLayerOptions {
  limits?: ReassemblyLimits;
  /** total out-of-order bytes held across all flows */
  maxHeldBytes?: number;
  /**
   * file extraction: keep up to this many bytes of each transferred file (HTTP bodies, FTP data) and hand
   * them to the file sink with the row; default 0 (only the first bytes of HTTP bodies, for sniffing)
   */
  keepFileBytes?: number;
  /** bytes kept for extraction across all transfers in flight (default 256 MiB) */
  maxKeptFileBytes?: number;
}

class FlowApp implements StreamSink {
  ep: Endpoints | null = null;
  kind: string | null = null;
  tcp: TcpReassembler | null = null;
  http: HttpSession | null = null;
  tls: TlsSession | null = null;
  tlsDone = false;
  quic: QuicSession | null = null;
  quicDone = false;
  dns: DnsFlow | null = null;
  /** DNS over TCP: the start of a message cut by a segment's end, per direction (made on first use) */
  dnsBuf: [Uint8Array | null, Uint8Array | null] | null = null;
  line: LineSession | null = null;
  ftpData: FtpData | null = null;
  udp: UdpParser | null = null;
  undecided = 0;
  /** nothing more to learn: ignore further packets */
  off = false;
  tsSec = 0;
  tsNsec = 0;

  constructor(
    readonly layer: AppLayer,
    readonly flow: FlowState,
  ) {}

  endpoints(): Endpoints {
    return (this.ep ??= new Endpoints(this.flow));
  }

  data(dir: Dir, bytes: Uint8Array, _off: number, ref: StreamRef, tsSec: number, tsNsec: number): void {
    this.layer.streamData(this, dir, bytes, ref.packet, tsSec, tsNsec);
  }
  gap(dir: Dir, _off: number, len: number): void {
    this.http?.gap(dir, len);
    this.ftpData?.gap(len);
    this.tls?.gap(dir, len);
    this.line?.gap(dir, len);
    if (this.dnsBuf) this.dnsBuf[dir] = null;
  }
  end(dir: Dir): void {
    this.http?.end(dir);
    this.line?.end(dir);
  }
}

export class AppLayer {
  private readonly seg = new TcpSegmentIn();
  private readonly budget: ReassemblyBudget;
  private readonly limits: ReassemblyLimits;
  /** counters for tests and the summary */
  readonly stats = { tcpFlows: 0, udpMessages: 0, tlsRows: 0, httpRows: 0, dnsRows: 0, ftpDataFlows: 0 };
  /** "ip port" -> announced FTP data connection */
  private readonly expectations = new Map<string, FtpExpectation>();
  /** port -> announced FTP data connections on it (a quick test before the endpoint text is made) */
  private readonly expectedPorts = new Map<number, number>();
  private readonly httpLimits: HttpSessionLimits = DEFAULT_HTTP_LIMITS;
  /** some table HTTP feeds is kept: http rows, the files its bodies are, the credentials of its requests */
  private readonly httpWanted: boolean;
  /** extraction: bytes kept per file, and what is left of the budget for all transfers in flight */
  private readonly keepFileBytes: number;
  private readonly keepBudget: { left: number } | undefined;
  /** the record's own number, for the reassembly problems (a Problem's packet counts within its file) */
  private filePacket = 0;
  /** the record's number over the whole run (rec.frame): what the rows name */
  private frame = 0;
  private readonly onProblem: ((p: ReassemblyProblem) => void) | null;

  constructor(
    readonly sinks: AppSinks,
    opts: AppLayerOptions = {},
  ) {
    // a reassembly problem is found while the current segment is handled: it names that frame in its file
    this.onProblem = sinks.problem
      ? (p) =>
          sinks.problem?.(
            this.frame !== this.filePacket && p.packet === this.frame ? { ...p, packet: this.filePacket } : p,
          )
      : null;
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.budget = new ReassemblyBudget(opts.maxHeldBytes ?? 64 << 20);
    this.keepFileBytes = Math.max(0, opts.keepFileBytes ?? 0);
    this.httpWanted = !!(sinks.http || sinks.file || sinks.credential);
    if (!sinks.file) {
      // without file rows a body is only counted: no hash, no head kept for sniffing
      this.httpLimits = {
        ...DEFAULT_HTTP_LIMITS,
        body: { ...DEFAULT_HTTP_LIMITS.body, keepBytes: 0, hash: false },
      };
    } else if (this.keepFileBytes > 0) {
      this.keepBudget = { left: opts.maxKeptFileBytes ?? 256 << 20 };
      const body = DEFAULT_HTTP_LIMITS.body;
      this.httpLimits = {
        ...DEFAULT_HTTP_LIMITS,
        body: {
          ...body,
          keepBytes: Math.max(body.keepBytes, this.keepFileBytes),
          keepBudget: this.keepBudget,
        },
      };
    }
  }

  /** Bytes held out of order right now, and the peak. */
  held(): { used: number; peak: number; limitHits: number } {
    return { used: this.budget.used, peak: this.budget.peak, limitHits: this.budget.limitHits };
  }

  readonly onPacket = (
    _pkt: Packet,
    flow: FlowState | null,
    dir: 0 | 1,
    rec: PacketRecord,
    l: NetLayer | null,
  ): void => {
    if (flow === null || l === null) return;
    if (l.l4 !== L4_TCP && l.l4 !== L4_UDP) return;
    let st = flow.ext?.app as FlowApp | undefined;
    if (st === undefined) {
      // a UDP datagram without an application or a payload has nothing to parse: no state for it (yet)
      if (l.l4 === L4_UDP && (flow.app === null || l.payloadLen === 0)) return;
      st = new FlowApp(this, flow);
      (flow.ext ??= {}).app = st;
    }
    if (st.off) return;
    this.filePacket = rec.n;
    this.frame = rec.frame;
    if (l.l4 === L4_UDP) this.udpPacket(st, flow, dir, rec, l);
    else this.tcpPacket(st, flow, dir, rec, l);
  };

  readonly onFlowEnd = (flow: FlowState, _row: FlowRow | null): void => {
    const st = flow.ext?.app as FlowApp | undefined;
    if (st === undefined) return;
    st.tcp?.close();
    st.http?.close();
    st.line?.close();
    st.ftpData?.close();
    st.dns?.close();
    st.udp?.close();
    this.emitTls(st);
    this.emitQuic(st);
    // not delete: that would turn the ext object into a slow dictionary
    if (flow.ext) flow.ext.app = undefined;
  };

  private tcpPacket(st: FlowApp, flow: FlowState, dir: 0 | 1, rec: PacketRecord, l: NetLayer): void {
    if (st.kind === null && st.tcp === null && this.expectations.size > 0) this.matchFtpData(st);
    if (st.kind === null) {
      const app = flow.app;
      if (app !== null && STREAM_APPS.has(app)) this.startStream(st, app);
      else if (l.payloadLen > 0 && ++st.undecided > UNDECIDED_PACKETS) {
        st.off = true;
        st.tcp = null;
        return;
      }
    }
    st.tcp ??= new TcpReassembler(st, this.budget, this.limits, this.onProblem);
    const s = this.seg;
    s.dir = dir;
    s.seq = l.tcpSeq;
    s.ack = l.tcpAck;
    s.flags = l.tcpFlags;
    s.buf = l.pbuf;
    s.off = l.payloadOff;
    s.len = st.kind === null ? 0 : l.payloadLen;
    s.packet = rec.frame;
    s.fileIndex = rec.fileIndex;
    s.frameOffset = rec.dataOffset;
    // payload inside the frame, unless it came out of IP reassembly (then it cannot be re-read in one piece)
    s.payloadOffset = l.pbuf === rec.buf ? l.payloadOff - rec.off : -1;
    s.tsSec = rec.tsSec;
    s.tsNsec = rec.tsNsec;
    if (st.kind === null && l.payloadLen > 0) {
      // payload before classification is not parsed; keep sequence numbers in step by treating it as seen
      s.len = 0;
    }
    st.tcp.segment(s);
  }

  private startStream(st: FlowApp, app: string): void {
    st.kind = app;
    this.stats.tcpFlows++;
    if (app === 'http') {
      // nothing to learn for a run that keeps no table HTTP feeds (HTTP never ends the reassembly early)
      if (!this.httpWanted) return;
      st.http = new HttpSession((tx) => {
        this.stats.httpRows++;
        emitHttp(tx, st.flow.id, st.endpoints(), this.sinks, this.keepBudget);
      }, this.httpLimits);
    } else if (app === 'tls') st.tls = new TlsSession(this.sinks.tls !== undefined);
    else if (DNS_APPS.has(app)) {
      if (this.sinks.dns) st.dns = new DnsFlow(st.flow.id, st.endpoints(), app, 'tcp', (r) => this.dnsRow(r));
    } else if (app === 'ftp-data') {
      /* set up by matchFtpData */
    } else if (app === 'smb2') {
      // SMB2, SIP and Telnet sessions never end the reassembly early: without their tables, nothing to do
      if (this.sinks.smb || this.sinks.file)
        st.line = smb2Stream(
          st.flow.id,
          st.endpoints(),
          this.sinks,
          this.keepFileBytes > 0 ? { bytes: this.keepFileBytes, budget: this.keepBudget } : null,
        );
    } else if (app === 'sip') {
      if (this.sinks.sip) st.line = sipStream(st.flow.id, st.endpoints(), this.sinks);
    } else if (app === 'telnet') {
      if (this.sinks.credential)
        st.line = lineProtocolFor(app, st.flow.id, st.endpoints(), this.sinks, noExpect);
    } else
      st.line = lineProtocolFor(
        app,
        st.flow.id,
        st.endpoints(),
        this.sinks,
        (e) => this.expect(e),
        this.keepFileBytes > 0 ? { bytes: this.keepFileBytes, budget: this.keepBudget } : null,
      );
  }

  private expect(e: FtpExpectation): void {
    if (this.expectations.size >= MAX_EXPECTATIONS)
      this.forget(this.expectations.keys().next().value as string);
    const key = `${e.ip ?? e.serverIp} ${e.port}`;
    // a key seen again keeps its place in the eviction order (Map.set), and its port is counted once
    if (!this.expectations.has(key))
      this.expectedPorts.set(e.port, (this.expectedPorts.get(e.port) ?? 0) + 1);
    this.expectations.set(key, e);
  }

  private forget(key: string): void {
    const e = this.expectations.get(key);
    if (!e) return;
    this.expectations.delete(key);
    const n = (this.expectedPorts.get(e.port) ?? 1) - 1;
    if (n > 0) this.expectedPorts.set(e.port, n);
    else this.expectedPorts.delete(e.port);
  }

  /** A new TCP flow to an announced FTP data endpoint becomes that transfer. */
  private matchFtpData(st: FlowApp): void {
    // most new flows match no announced port: no endpoint text made for them
    const f = st.flow;
    if (!this.expectedPorts.has(f.srcPort) && !this.expectedPorts.has(f.dstPort)) return;
    const ep = st.endpoints();
    for (const i of [1, 0] as const) {
      const key = `${ep.ip[i]} ${ep.port[i]}`;
      const e = this.expectations.get(key);
      if (!e) continue;
      this.forget(key);
      st.flow.app = 'ftp-data';
      st.flow.appSource = 'ftp';
      this.stats.ftpDataFlows++;
      st.ftpData = new FtpData(e, st.flow.id, ep, this.sinks, this.keepFileBytes, this.keepBudget);
      return;
    }
  }

  /** In-order bytes of a TCP flow. */
  streamData(st: FlowApp, dir: Dir, b: Uint8Array, packet: number, tsSec: number, tsNsec: number): void {
    st.tsSec = tsSec;
    st.tsNsec = tsNsec;
    if (st.http) st.http.data(dir, b, packet, tsSec, tsNsec);
    else if (st.tls) {
      st.tls.data(dir, b, packet, tsSec, tsNsec);
      if (st.tls.finished) {
        this.emitTls(st);
        st.off = true;
        st.tcp = null;
      }
    } else if (st.dns) this.dnsStream(st, dir, b, packet, tsSec, tsNsec);
    else if (st.ftpData) st.ftpData.data(dir, b, packet, tsSec, tsNsec);
    else if (st.line) {
      st.line.data(dir, b, packet, tsSec, tsNsec);
      if (st.line.finished) {
        st.line.close();
        st.line = null;
        st.off = true;
        st.tcp = null;
      }
    }
  }

  private dnsStream(
    st: FlowApp,
    dir: Dir,
    b: Uint8Array,
    packet: number,
    tsSec: number,
    tsNsec: number,
  ): void {
    const bufs = (st.dnsBuf ??= [null, null]);
    const prev = bufs[dir];
    let buf = b;
    if (prev && prev.length > 0) {
      if (prev.length + b.length > MAX_DNS_TCP_BUF) {
        bufs[dir] = null;
        return;
      }
      buf = new Uint8Array(prev.length + b.length);
      buf.set(prev);
      buf.set(b, prev.length);
    }
    const r = splitTcpDns(buf, 0, buf.length);
    for (const [s, e] of r.messages) st.dns!.message(dir, buf, s, e, packet, tsSec, tsNsec);
    bufs[dir] =
      r.consumed < buf.length
        ? buf.slice(r.consumed, Math.min(buf.length, r.consumed + MAX_DNS_TCP_BUF))
        : null;
  }

  private udpPacket(st: FlowApp, flow: FlowState, dir: 0 | 1, rec: PacketRecord, l: NetLayer): void {
    const app = flow.app;
    if (app === null || l.payloadLen === 0) return;
    const b = l.pbuf;
    const off = l.payloadOff;
    const end = off + l.payloadLen;
    this.stats.udpMessages++;
    if (DNS_APPS.has(app)) {
      if (!this.sinks.dns) {
        st.off = true;
        return;
      }
      st.dns ??= new DnsFlow(flow.id, st.endpoints(), app, 'udp', (r) => this.dnsRow(r));
      st.dns.message(dir, b, off, end, rec.frame, rec.tsSec, rec.tsNsec);
      // every query answered: the flow's state holds nothing a later datagram needs (it is made again then),
      // so an idle DNS flow keeps no objects until its timeout (they outlived young GCs, a tenth of the run)
      if (st.dns.idle()) flow.ext!.app = undefined;
      return;
    }
    if (app === 'quic') {
      // a QUIC flow gives a tls row only
      if (!this.sinks.tls) {
        st.off = true;
        return;
      }
      st.quic ??= new QuicSession();
      st.quic.datagram(dir, b, off, end, rec.frame, rec.tsSec, rec.tsNsec);
      if (st.quic.info.clientHello) {
        this.emitQuic(st);
        st.off = true;
      } else if (st.quic.finished) st.off = true;
      return;
    }
    st.udp ??= udpParserFor(app, flow.id, st.endpoints(), this.sinks);
    if (st.udp === null) {
      st.off = true;
      return;
    }
    st.udp.datagram(dir, b, off, end, rec.frame, rec.tsSec, rec.tsNsec);
  }

  private dnsRow(r: Parameters<NonNullable<AppSinks['dns']>>[0]): void {
    this.stats.dnsRows++;
    this.sinks.dns?.(r);
  }

  private emitTls(st: FlowApp): void {
    const t = st.tls;
    if (!t || st.tlsDone) return;
    st.tlsDone = true;
    const i = t.info;
    if ((!i.clientHello && !i.serverHello) || !this.sinks.tls) return;
    const ep = st.endpoints();
    const base = rowBase(st.flow.id, ep, i.clientDir < 0 ? 0 : i.clientDir, i.packet, i.tsSec, i.tsNsec);
    this.stats.tlsRows++;
    this.sinks.tls(tlsRow(base, 'tls', i.clientHello, i.serverHello, i.certificate, i.certCount));
  }

  private emitQuic(st: FlowApp): void {
    const q = st.quic;
    if (!q || st.quicDone) return;
    st.quicDone = true;
    const i = q.info;
    if (!i.clientHello || !this.sinks.tls) return;
    const base = rowBase(
      st.flow.id,
      st.endpoints(),
      i.clientDir < 0 ? 0 : i.clientDir,
      i.packet,
      i.tsSec,
      i.tsNsec,
    );
    this.stats.tlsRows++;
    this.sinks.tls(tlsRow(base, 'quic', i.clientHello, null, null, 0));
  }
}
