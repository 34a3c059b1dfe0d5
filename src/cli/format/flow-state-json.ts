/**
 * A finished flow's JSON row written from its state straight into a byte sink: the same bytes as
 * writeFlowJson(sink, flowRow(f)), without the row object and the strings it holds (addresses, MACs, times,
 * TCP flags, Community ID), which were most of what the `flows` JSON thread (flow-json-pipe-worker.ts) made
 * and collected per flow. Addresses other than IPv4 and times outside isoTime's fast path take the string
 * functions the row uses, so the two can only differ in speed.
 */
import { isoTime, isoTimeInto } from '../../shared/time.js';
import { KEY_L2 } from '../../flow/flow-key.js';
import { TCP_STATE_NAMES, type FlowState } from '../../flow/flow-state.js';
import { flowProto, tcpFlagLetters } from '../../flow/flow-row.js';
import { communityIdWordsInto } from '../../flow/community-id.js';
import { wordsToString } from '../../flow/addr-words.js';
import type { ByteSink } from './byte-sink.js';
import { keyPrefix } from './json-row.js';
import { FLOW_KEYS } from './flow-json.js';

const P = FLOW_KEYS.map((k, i) => keyPrefix(k, i === 0).bytes);
const NULL = Buffer.from('null');
const CLOSE = Buffer.from('}');
const HEX = Buffer.from('0123456789abcdef');
/** `"FSRPAUEC"`-style flag text of each low byte of TCP flags, as JSON string bytes */
const FLAG_TEXT = Array.from({ length: 256 }, (_, f) => Buffer.from(JSON.stringify(tcpFlagLetters(f))));
const SRC = new Uint32Array(4);
const DST = new Uint32Array(4);

function nullOr(sink: ByteSink, prefix: Uint8Array, present: boolean, v: number): void {
  sink.bytes(prefix, false);
  if (present) sink.uint(v);
  else sink.bytes(NULL, false);
}

/** "a.b.c.d" of an unsigned 32-bit address, quoted. */
function ipv4(sink: ByteSink, w: number): void {
  sink.ensure(17);
  sink.buf[sink.pos++] = 0x22;
  for (let shift = 24; shift >= 0; shift -= 8) {
    sink.uint((w >>> shift) & 255);
    sink.buf[sink.pos++] = shift > 0 ? 0x2e : 0x22;
  }
}

/** The address text the row holds (ipv4Text for IPv4, wordsToString otherwise), quoted. */
function address(sink: ByteSink, w: Uint32Array, ver: number): void {
  if (ver === 4) ipv4(sink, w[3]!);
  else sink.jsonString(wordsToString(w, ver));
}

/** "aa:bb:cc:dd:ee:ff" of a 48-bit MAC number, quoted, or null for none (< 0). */
function mac(sink: ByteSink, v: number): void {
  if (v < 0) {
    sink.bytes(NULL, false);
    return;
  }
  sink.ensure(19);
  const b = sink.buf;
  let p = sink.pos;
  b[p++] = 0x22;
  const hi = Math.floor(v / 0x100000000) & 0xffff;
  const lo = (v % 0x100000000) >>> 0;
  for (let i = 0; i < 6; i++) {
    const byte = i < 2 ? (hi >>> (8 - 8 * i)) & 255 : (lo >>> (24 - 8 * (i - 2))) & 255;
    if (i > 0) b[p++] = 0x3a;
    b[p++] = HEX[byte >>> 4]!;
    b[p++] = HEX[byte & 15]!;
  }
  b[p++] = 0x22;
  sink.pos = p;
}

function time(sink: ByteSink, sec: number, nsec: number): void {
  sink.ensure(32);
  sink.buf[sink.pos] = 0x22;
  const n = isoTimeInto(sink.buf, sink.pos + 1, sec, nsec);
  if (n === 0) {
    sink.jsonString(isoTime(sec, nsec));
    return;
  }
  sink.pos += n + 1;
  sink.buf[sink.pos++] = 0x22;
}

export function writeFlowStateJson(sink: ByteSink, f: FlowState): void {
  const proto = flowProto(f);
  const ver = f.ver;
  f.addrInto(0, SRC);
  f.addrInto(1, DST);
  const hasPorts = proto === 'tcp' || proto === 'udp' || proto === 'sctp';
  const tcp = proto === 'tcp';
  const srcPort = f.srcPort;
  const dstPort = f.dstPort;
  sink.bytes(P[0]!, false);
  sink.uint(f.id);
  sink.bytes(P[1]!, false);
  sink.jsonString(proto);
  sink.bytes(P[2]!, false);
  sink.uint(ver === 4 ? 4 : ver === 6 ? 6 : 0);
  sink.bytes(P[3]!, false);
  sink.jsonValue(f.proto);
  sink.bytes(P[4]!, false);
  address(sink, SRC, ver);
  nullOr(sink, P[5]!, hasPorts, srcPort);
  sink.bytes(P[6]!, false);
  address(sink, DST, ver);
  nullOr(sink, P[7]!, hasPorts, dstPort);
  sink.bytes(P[8]!, false);
  mac(sink, f.srcMac);
  sink.bytes(P[9]!, false);
  mac(sink, f.dstMac);
  nullOr(sink, P[10]!, f.vlan >= 0, f.vlan);
  sink.bytes(P[11]!, false);
  sink.jsonValue(f.packetsFwd);
  sink.bytes(P[12]!, false);
  sink.jsonValue(f.bytesFwd);
  sink.bytes(P[13]!, false);
  sink.jsonValue(f.packetsRev);
  sink.bytes(P[14]!, false);
  sink.jsonValue(f.bytesRev);
  sink.bytes(P[15]!, false);
  time(sink, f.firstSec, f.firstNsec);
  sink.bytes(P[16]!, false);
  time(sink, f.lastSec, f.lastNsec);
  sink.bytes(P[17]!, false);
  sink.jsonValue(Math.max(0, f.lastSec - f.firstSec + (f.lastNsec - f.firstNsec) / 1e9));
  sink.bytes(P[18]!, false);
  sink.jsonValue(f.app);
  sink.bytes(P[19]!, false);
  sink.jsonValue(f.appSource);
  sink.bytes(P[20]!, false);
  sink.bytes(tcp ? FLAG_TEXT[f.tcpFlags & 255]! : NULL, false);
  sink.bytes(P[21]!, false);
  if (tcp) sink.jsonString(TCP_STATE_NAMES[f.tcpState]!);
  else sink.bytes(NULL, false);
  sink.bytes(P[22]!, false);
  if (f.kind === KEY_L2) sink.bytes(NULL, false);
  else {
    let sp: number | null = null;
    let dp: number | null = null;
    if (hasPorts) {
      sp = srcPort;
      dp = dstPort;
    } else if ((proto === 'icmp' || proto === 'icmpv6') && f.icmpType >= 0) {
      sp = f.icmpType;
      dp = f.icmpCode;
    }
    sink.ensure(32);
    const b = sink.buf;
    b[sink.pos] = 0x22;
    communityIdWordsInto(b, sink.pos + 1, f.proto, ver, SRC, DST, sp, dp);
    b[sink.pos + 31] = 0x22;
    sink.pos += 32;
  }
  sink.bytes(P[23]!, false);
  sink.jsonValue(f.tunnelDepth);
  sink.bytes(CLOSE, false);
}
