/** FlowState -> FlowRow (shared/rows.ts), built once when a flow finishes. */
import type { FlowProto, FlowRow } from '../shared/rows.js';
import { isoTime } from '../shared/time.js';
import { L4_ICMP, L4_ICMPV6, L4_SCTP, L4_TCP, L4_UDP } from '../dissect/dissector.js';
import { communityIdWords } from './community-id.js';
import { KEY_L2 } from './flow-key.js';
import { TCP_STATE_NAMES, type FlowState } from './flow-state.js';
import { ipv4Text } from '../shared/addr.js';
import { macNumberToString, wordsToString } from './addr-words.js';

const FLAG_LETTERS = 'FSRPAUEC';

/** TCP flags as letters in the order FSRPAUEC (bit 0 = FIN ... bit 7 = CWR). */
export function tcpFlagLetters(flags: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) if (flags & (1 << i)) s += FLAG_LETTERS[i]!;
  return s;
}

export function flowProto(f: FlowState): FlowProto {
  if (f.kind === KEY_L2) return f.proto === 0x0806 ? 'arp' : 'other';
  switch (f.l4) {
    case L4_TCP:
      return 'tcp';
    case L4_UDP:
      return 'udp';
    case L4_ICMP:
      return 'icmp';
    case L4_ICMPV6:
      return 'icmpv6';
    case L4_SCTP:
      return 'sctp';
    default:
      return 'ip';
  }
}

// scratch address words of the row being built
const SRC = new Uint32Array(4);
const DST = new Uint32Array(4);

export function flowRow(f: FlowState): FlowRow {
  const proto = flowProto(f);
  const ver = f.ver;
  f.addrInto(0, SRC);
  f.addrInto(1, DST);
  const hasPorts = proto === 'tcp' || proto === 'udp' || proto === 'sctp';
  const tcp = proto === 'tcp';
  const srcPort = f.srcPort;
  const dstPort = f.dstPort;
  let cid: string | null = null;
  if (f.kind !== KEY_L2) {
    if (hasPorts) cid = communityIdWords(f.proto, ver, SRC, DST, srcPort, dstPort);
    else if ((proto === 'icmp' || proto === 'icmpv6') && f.icmpType >= 0) {
      cid = communityIdWords(f.proto, ver, SRC, DST, f.icmpType, f.icmpCode);
    } else cid = communityIdWords(f.proto, ver, SRC, DST, null, null);
  }
  const srcMac = f.srcMac;
  const dstMac = f.dstMac;
  const vlan = f.vlan;
  // one object literal with every key (a single fast V8 shape for all rows)
  return {
    id: f.id,
    proto,
    ip_version: ver === 4 ? 4 : ver === 6 ? 6 : 0,
    ip_proto: f.proto,
    src_ip: ver === 4 ? ipv4Text(SRC[3]!) : wordsToString(SRC, ver),
    src_port: hasPorts ? srcPort : null,
    dst_ip: ver === 4 ? ipv4Text(DST[3]!) : wordsToString(DST, ver),
    dst_port: hasPorts ? dstPort : null,
    src_mac: srcMac >= 0 ? macNumberToString(srcMac) : null,
    dst_mac: dstMac >= 0 ? macNumberToString(dstMac) : null,
    vlan: vlan >= 0 ? vlan : null,
    packets_fwd: f.packetsFwd,
    bytes_fwd: f.bytesFwd,
    packets_rev: f.packetsRev,
    bytes_rev: f.bytesRev,
    first_ts: isoTime(f.firstSec, f.firstNsec),
    last_ts: isoTime(f.lastSec, f.lastNsec),
    duration: Math.max(0, f.lastSec - f.firstSec + (f.lastNsec - f.firstNsec) / 1e9),
    app: f.app,
    app_source: f.appSource,
    tcp_flags: tcp ? tcpFlagLetters(f.tcpFlags) : null,
    tcp_state: tcp ? TCP_STATE_NAMES[f.tcpState]! : null,
    community_id: cid,
    tunnel_depth: f.tunnelDepth,
  };
}
