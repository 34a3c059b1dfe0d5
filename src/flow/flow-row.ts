/** FlowState -> FlowRow (shared/rows.ts), built once when a flow finishes. */
import type { FlowProto, FlowRow } from '../shared/rows.js';
import { isoTime } from '../shared/time.js';
import { L4_ICMP, L4_ICMPV6, L4_SCTP, L4_TCP, L4_UDP } from '../dissect/dissector.js';
import { communityId } from './community-id.js';
import { KEY_L2 } from './flow-key.js';
import { TCP_STATE_NAMES, type FlowState } from './flow-state.js';
import { macNumberToString, wordsToBytes, wordsToString } from './addr-words.js';

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

export function flowRow(f: FlowState): FlowRow {
  const proto = flowProto(f);
  const src = f.srcIsA ? f.a : f.b;
  const dst = f.srcIsA ? f.b : f.a;
  const hasPorts = proto === 'tcp' || proto === 'udp' || proto === 'sctp';
  const tcp = proto === 'tcp';
  let cid: string | null = null;
  if (f.kind !== KEY_L2) {
    const sb = wordsToBytes(src, f.ver);
    const db = wordsToBytes(dst, f.ver);
    if (hasPorts) cid = communityId(f.proto, sb, db, f.srcPort, f.dstPort);
    else if ((proto === 'icmp' || proto === 'icmpv6') && f.icmpType >= 0) {
      cid = communityId(f.proto, sb, db, f.icmpType, f.icmpCode);
    } else cid = communityId(f.proto, sb, db, null, null);
  }
  return {
    id: f.id,
    proto,
    ip_version: f.ver === 4 ? 4 : f.ver === 6 ? 6 : 0,
    ip_proto: f.proto,
    src_ip: wordsToString(src, f.ver),
    src_port: hasPorts ? f.srcPort : null,
    dst_ip: wordsToString(dst, f.ver),
    dst_port: hasPorts ? f.dstPort : null,
    src_mac: f.srcMac >= 0 ? macNumberToString(f.srcMac) : null,
    dst_mac: f.dstMac >= 0 ? macNumberToString(f.dstMac) : null,
    vlan: f.vlan >= 0 ? f.vlan : null,
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
