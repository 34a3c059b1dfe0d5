/**
 * A finished flow's JSON row written from its state straight into a byte sink: the same bytes as
 * writeFlowJson(sink, flowRow(f)), without the row object and the strings it holds (addresses, MACs, times,
 * TCP flags, Community ID), which were most of what the `flows` JSON thread (flow-json-pipe-worker.ts) made
 * and collected per flow. Addresses other than IPv4 and times outside isoTime's fast path take the string
 * functions the row uses, so the two can only differ in speed.
 */
import { isoTime, isoTimeInto } from '../../shared/time.js';
import { FlowKey, KEY_L2 } from '../../flow/flow-key.js';
import { FLOW_WORDS, FlowState, TCP_STATE_NAMES } from '../../flow/flow-state.js';
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

/** room made once per row for its key prefixes and fixed-size values (a row is under 1 KB) */
const ROW_ROOM = 2048;

/**
 * A key prefix (or other constant bytes) without a capacity check: writeFlowStateJson made ROW_ROOM bytes of
 * room at the row's start, and the buffer only ever grows.
 */
function put(sink: ByteSink, src: Uint8Array): void {
  const b = sink.buf;
  let p = sink.pos;
  for (let i = 0; i < src.length; i++) b[p++] = src[i]!;
  sink.pos = p;
}

function nullOr(sink: ByteSink, prefix: Uint8Array, present: boolean, v: number): void {
  put(sink, prefix);
  if (present) sink.uint(v);
  else put(sink, NULL);
}

/** the decimal digits of each octet value 0..255 */
const OCTET = Array.from({ length: 256 }, (_, i) => Buffer.from(String(i)));

/** "a.b.c.d" of an unsigned 32-bit address, quoted (room made by the row). */
function ipv4(sink: ByteSink, w: number): void {
  const b = sink.buf;
  let p = sink.pos;
  b[p++] = 0x22;
  for (let shift = 24; shift >= 0; shift -= 8) {
    const d = OCTET[(w >>> shift) & 255]!;
    for (let i = 0; i < d.length; i++) b[p++] = d[i]!;
    b[p++] = shift > 0 ? 0x2e : 0x22;
  }
  sink.pos = p;
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
  sink.ensure(ROW_ROOM);
  put(sink, P[0]!);
  sink.uint(f.id);
  put(sink, P[1]!);
  sink.jsonString(proto);
  put(sink, P[2]!);
  sink.uint(ver === 4 ? 4 : ver === 6 ? 6 : 0);
  put(sink, P[3]!);
  sink.uint(f.proto);
  put(sink, P[4]!);
  address(sink, SRC, ver);
  nullOr(sink, P[5]!, hasPorts, srcPort);
  put(sink, P[6]!);
  address(sink, DST, ver);
  nullOr(sink, P[7]!, hasPorts, dstPort);
  put(sink, P[8]!);
  mac(sink, f.srcMac);
  put(sink, P[9]!);
  mac(sink, f.dstMac);
  nullOr(sink, P[10]!, f.vlan >= 0, f.vlan);
  put(sink, P[11]!);
  sink.uint(f.packetsFwd);
  put(sink, P[12]!);
  sink.uint(f.bytesFwd);
  put(sink, P[13]!);
  sink.uint(f.packetsRev);
  put(sink, P[14]!);
  sink.uint(f.bytesRev);
  put(sink, P[15]!);
  time(sink, f.firstSec, f.firstNsec);
  put(sink, P[16]!);
  time(sink, f.lastSec, f.lastNsec);
  put(sink, P[17]!);
  sink.jsonValue(Math.max(0, f.lastSec - f.firstSec + (f.lastNsec - f.firstNsec) / 1e9));
  put(sink, P[18]!);
  sink.jsonValue(f.app);
  put(sink, P[19]!);
  sink.jsonValue(f.appSource);
  put(sink, P[20]!);
  put(sink, tcp ? FLAG_TEXT[f.tcpFlags & 255]! : NULL);
  put(sink, P[21]!);
  if (tcp) sink.jsonString(TCP_STATE_NAMES[f.tcpState]!);
  else put(sink, NULL);
  put(sink, P[22]!);
  if (f.kind === KEY_L2) put(sink, NULL);
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
  put(sink, P[23]!);
  sink.uint(f.tunnelDepth);
  put(sink, CLOSE);
}

const ROW_NEXT = Buffer.from(',\n');
const BATCH_FLOW = new FlowState(0, new FlowKey());

/**
 * The rows of `n` flows that FlowState.saveTo wrote at words[base..] (app names in `names`), each after ",\n":
 * one batch of the flows JSON pipe, written by the worker or, at the end of the input, by the reading thread.
 */
export function writeFlowBatchJson(
  sink: ByteSink,
  words: Float64Array,
  base: number,
  n: number,
  names: readonly string[],
): void {
  for (let i = 0; i < n; i++) {
    sink.bytes(ROW_NEXT, false);
    writeFlowStateJson(sink, BATCH_FLOW.loadFrom(words, base + i * FLOW_WORDS, names));
  }
}
