/** Runs an Analysis over one capture file and compares it with a tshark oracle. Test support only. */
import { openFileSource } from '../../engine/sources/file-source.js';
import { openCapture } from '../../wire/open.js';
import { READ_NEED_MORE, READ_RECORD } from '../../wire/reader.js';
import { PacketRecord } from '../../wire/record.js';
import type { Oracle } from '../../../test/golden/oracle.js';
import type { FlowRow } from '../../shared/rows.js';
import { Analysis, type AnalysisOptions, type AnalysisResult } from '../analysis.js';

export async function analyzeCapture(path: string, opts: AnalysisOptions = {}): Promise<AnalysisResult> {
  const src = await openFileSource(path);
  const r = await openCapture(src);
  const a = new Analysis({ fileNames: [path], ...opts });
  const rec = new PacketRecord();
  try {
    for (;;) {
      const s = r.read(rec);
      if (s === READ_RECORD) a.addPacket(rec);
      else if (s === READ_NEED_MORE) await r.fill();
      else break;
    }
  } finally {
    await r.close();
    await src.close().catch(() => undefined);
  }
  return a.finish();
}

/** Our protocol counter name -> the oracle's (tshark's) name. */
export const ORACLE_NAME: Record<string, string> = { ipv4: 'ip', pppoe: 'pppoes', ieee80211: 'wlan' };

/** The protocols both we and the oracle count. */
export const COMPARED = [
  'eth',
  'arp',
  'ipv4',
  'ipv6',
  'tcp',
  'udp',
  'icmp',
  'icmpv6',
  'vlan',
  'sll',
  'radiotap',
  'ieee80211',
  'llc',
  'ppp',
  'pppoe',
  'mpls',
  'gre',
  'vxlan',
  'nflog',
  'esp',
  'ah',
  'igmp',
  'eapol',
];

/** Differences between our protocol counts and the oracle's, as "name: ours vs tshark" strings. */
export function protocolDiffs(res: AnalysisResult, o: Oracle): string[] {
  const out: string[] = [];
  for (const ours of COMPARED) {
    const theirs = ORACLE_NAME[ours] ?? ours;
    const a = res.protocols[ours] ?? 0;
    const b = o.protocolFrames[theirs] ?? 0;
    if (a !== b) out.push(`${ours}: ${a} vs ${b}`);
  }
  return out;
}

/** A conversation row in the oracle's canonical form (A = numerically smaller endpoint). */
function canon(f: FlowRow): string {
  const cmp = compareEndpoint(f.src_ip, f.src_port ?? 0, f.dst_ip, f.dst_port ?? 0);
  const [a, ap, b, bp, fab, bab, fba, bba] =
    cmp <= 0
      ? [f.src_ip, f.src_port, f.dst_ip, f.dst_port, f.packets_fwd, f.bytes_fwd, f.packets_rev, f.bytes_rev]
      : [f.dst_ip, f.dst_port, f.src_ip, f.src_port, f.packets_rev, f.bytes_rev, f.packets_fwd, f.bytes_fwd];
  return `${a}:${ap} ${b}:${bp} ${fab} ${bab} ${fba} ${bba}`;
}

function addrKey(s: string): bigint {
  if (s.includes('.') && !s.includes(':')) return s.split('.').reduce((v, x) => v * 256n + BigInt(x), 0n);
  const [h = '', t = ''] = s.split('::');
  const hw = h ? h.split(':') : [];
  const tw = s.includes('::') ? (t ? t.split(':') : []) : [];
  const words = [...hw, ...Array<string>(8 - hw.length - tw.length).fill('0'), ...tw];
  return words.reduce((v, x) => v * 65536n + BigInt(parseInt(x, 16)), 0n) + (1n << 200n);
}

function compareEndpoint(a: string, ap: number, b: string, bp: number): number {
  const x = addrKey(a);
  const y = addrKey(b);
  return x !== y ? (x < y ? -1 : 1) : ap - bp;
}

/** Sorted canonical rows of our flows of one protocol, and of the oracle's table (bytes "?" when inexact). */
export function convRows(
  res: AnalysisResult,
  o: Oracle,
  proto: 'tcp' | 'udp',
): { ours: string[]; theirs: string[] } {
  const ours = res.flows
    .filter((f) => f.proto === proto)
    .map(canon)
    .sort();
  const table = proto === 'tcp' ? o.convTcp : o.convUdp;
  const theirs = table
    .map(
      (c) =>
        `${c.a}:${c.aPort} ${c.b}:${c.bPort} ${c.framesAB} ${c.bytesAB ?? '?'} ${c.framesBA} ${c.bytesBA ?? '?'}`,
    )
    .sort();
  return { ours, theirs };
}
