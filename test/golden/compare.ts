/**
 * Compares one engine run with the tshark oracle of the same capture and lists every difference as
 * "<aspect>: <detail>" strings; corpus.test.ts checks that list against its table of known differences.
 */
import type { FlowRow } from '../../src/shared/rows.js';
import type { AnalyzeFilesResult } from '../../src/engine/analyze-files.js';
import type { Oracle, OracleConv } from './oracle.js';

/** Our protocol key -> tshark's name in [protocol_frames]. */
export const PROTOCOL_NAMES: Record<string, string> = {
  eth: 'eth',
  arp: 'arp',
  ipv4: 'ip',
  ipv6: 'ipv6',
  tcp: 'tcp',
  udp: 'udp',
  icmp: 'icmp',
  icmpv6: 'icmpv6',
};

/**
 * Further layers compared when tshark's oracle lists them (oracle.sh EXTRA_PROTOS lists only non-zero counts, so
 * a missing one is 0). Our name -> tshark's.
 */
export const EXTRA_PROTOCOL_NAMES: Record<string, string> = {
  vlan: 'vlan',
  mpls: 'mpls',
  pppoe: 'pppoes',
  ppp: 'ppp',
  sll: 'sll',
  radiotap: 'radiotap',
  ieee80211: 'wlan',
  llc: 'llc',
  nflog: 'nflog',
  gre: 'gre',
  vxlan: 'vxlan',
  esp: 'esp',
  ah: 'ah',
  igmp: 'igmp',
  eapol: 'eapol',
};

/** Sortable key of an address: IPv4 before IPv6, then numeric (tshark's "A is numerically smaller"). */
export function addrKey(a: string): string {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4)
    return (
      '4' +
      v4
        .slice(1, 5)
        .map((x) => Number(x).toString(16).padStart(2, '0'))
        .join('')
    );
  let text = a.toLowerCase();
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const b = tail.slice(1, 5).map(Number);
    text =
      text.slice(0, tail.index) +
      ((b[0]! << 8) | b[1]!).toString(16) +
      ':' +
      ((b[2]! << 8) | b[3]!).toString(16);
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const h = head ? head.split(':') : [];
  const r = rest ? rest.split(':') : [];
  const groups = rest === null ? h : [...h, ...new Array<string>(8 - h.length - r.length).fill('0'), ...r];
  return '6' + groups.map((g) => g.padStart(4, '0')).join('');
}

interface Side {
  ip: string;
  port: number | null;
}

function lessOrEqual(x: Side, y: Side): boolean {
  const kx = addrKey(x.ip);
  const ky = addrKey(y.ip);
  if (kx !== ky) return kx < ky;
  return (x.port ?? -1) <= (y.port ?? -1);
}

function convText(c: OracleConv): string {
  return `${c.a}:${c.aPort} ${c.b}:${c.bPort} ${c.framesAB}/${c.bytesAB ?? '~'} ${c.framesBA}/${c.bytesBA ?? '~'}`;
}

/** Our flow in the oracle's A/B orientation. */
export function flowAsConv(f: FlowRow): OracleConv {
  const src = { ip: f.src_ip, port: f.src_port };
  const dst = { ip: f.dst_ip, port: f.dst_port };
  const fwd = lessOrEqual(src, dst);
  const [a, b] = fwd ? [src, dst] : [dst, src];
  return {
    a: a.ip,
    b: b.ip,
    aPort: a.port,
    bPort: b.port,
    framesAB: fwd ? f.packets_fwd : f.packets_rev,
    bytesAB: fwd ? f.bytes_fwd : f.bytes_rev,
    framesBA: fwd ? f.packets_rev : f.packets_fwd,
    bytesBA: fwd ? f.bytes_rev : f.bytes_fwd,
    relStart: 0,
    duration: 0,
  };
}

/** Oracle rows without a flow of ours that matches them exactly (multiset match), and our unmatched flows. */
export function matchConversations(
  oracleRows: readonly OracleConv[],
  flows: readonly FlowRow[],
): { missing: OracleConv[]; extra: OracleConv[] } {
  const ours = new Map<string, OracleConv[]>();
  for (const f of flows) {
    const c = flowAsConv(f);
    const k = convText(c);
    const list = ours.get(k) ?? [];
    list.push(c);
    ours.set(k, list);
  }
  const missing: OracleConv[] = [];
  for (const row of oracleRows) {
    // an approximate byte count ("~248kB", none in the corpus today) matches on frames alone
    const k = row.bytesAB === null || row.bytesBA === null ? null : convText(row);
    const list = k !== null ? ours.get(k) : [...ours.values()].find((l) => l.some((c) => sameFrames(c, row)));
    if (list && list.length > 0) list.pop();
    else missing.push(row);
  }
  return { missing, extra: [...ours.values()].flat() };
}

function sameFrames(c: OracleConv, row: OracleConv): boolean {
  return (
    c.a === row.a &&
    c.b === row.b &&
    c.aPort === row.aPort &&
    c.bPort === row.bPort &&
    c.framesAB === row.framesAB &&
    c.framesBA === row.framesBA
  );
}

/** Every difference between our run and the oracle, as "aspect: detail". */
export function differences(result: AnalyzeFilesResult, oracle: Oracle): string[] {
  const out: string[] = [];
  const s = result.summary;
  if (s.packets !== oracle.packets) out.push(`packets: ours ${s.packets}, tshark ${oracle.packets}`);
  if (s.bytes !== oracle.bytesOnWire) out.push(`bytes: ours ${s.bytes}, tshark ${oracle.bytesOnWire}`);
  for (const [ours, theirs] of Object.entries({ ...PROTOCOL_NAMES, ...EXTRA_PROTOCOL_NAMES })) {
    const a = s.protocols[ours] ?? 0;
    const b = oracle.protocolFrames[theirs] ?? 0;
    if (a !== b) out.push(`proto ${ours}: ours ${a}, tshark ${b}`);
  }
  for (const proto of ['tcp', 'udp'] as const) {
    const rows = proto === 'tcp' ? oracle.convTcp : oracle.convUdp;
    const flows = result.flows.filter((f) => f.proto === proto);
    const { missing, extra } = matchConversations(rows, flows);
    if (missing.length || extra.length) {
      const show = (l: OracleConv[]): string =>
        l.slice(0, 3).map(convText).join('; ') + (l.length > 3 ? '; ...' : '');
      out.push(
        `conv_${proto}: ${missing.length} of ${rows.length} tshark rows unmatched [${show(missing)}], ` +
          `${extra.length} of our ${flows.length} flows unmatched [${show(extra)}]`,
      );
    }
  }
  const hosts = new Map(result.hosts.map((h) => [h.ip, h]));
  const epDiffs: string[] = [];
  let epCount = 0;
  for (const ep of [...oracle.endpointsIpv4, ...oracle.endpointsIpv6]) {
    epCount++;
    const h = hosts.get(ep.address);
    const ours = h ? `${h.packets_sent}/${h.bytes_sent} ${h.packets_recv}/${h.bytes_recv}` : 'none';
    const theirs = `${ep.txFrames}/${ep.txBytes} ${ep.rxFrames}/${ep.rxBytes}`;
    if (ours !== theirs) epDiffs.push(`${ep.address} ours ${ours}, tshark ${theirs}`);
  }
  if (epDiffs.length) {
    out.push(
      `endpoints: ${epDiffs.length} of ${epCount} differ [${epDiffs.slice(0, 3).join('; ')}${epDiffs.length > 3 ? '; ...' : ''}]`,
    );
  }
  return out;
}
