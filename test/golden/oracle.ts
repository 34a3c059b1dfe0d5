/**
 * Parser for the tshark reference files /work/shared/corpus/oracle/<capture>.txt (format: the comment block at
 * the top of /work/shared/corpus/oracle.sh). "# key: value" header lines, then "[section]" blocks of TAB-separated
 * rows; lines starting with "#" inside a section are comments.
 */
import { readFileSync } from 'node:fs';

export interface OracleConv {
  /** address, without port */
  a: string;
  b: string;
  /** null for ipv4/ipv6 conversations */
  aPort: number | null;
  bPort: number | null;
  framesAB: number;
  /** exact byte sum; null when tshark's scaled value could not be made exact ("~248kB") */
  bytesAB: number | null;
  framesBA: number;
  bytesBA: number | null;
  relStart: number;
  duration: number;
}

export interface OracleEndpoint {
  address: string;
  frames: number;
  bytes: number;
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
}

export interface Oracle {
  /** "# key: value" lines before the first section: file, size_bytes, sha256, tshark, ... */
  header: Record<string, string>;
  /** every section's raw rows (comment lines dropped), by section name */
  sections: Map<string, string[][]>;
  /** [summary] key -> values (a key such as tshark_read_error may repeat) */
  summary: Map<string, string[]>;
  packets: number;
  bytesOnWire: number;
  bytesCaptured: number;
  /** tshark_read_error values, empty when it read the file cleanly */
  readErrors: string[];
  /** [protocol_frames] and [protocol_frames_extra] merged */
  protocolFrames: Record<string, number>;
  convIpv4: OracleConv[];
  convIpv6: OracleConv[];
  convTcp: OracleConv[];
  convUdp: OracleConv[];
  endpointsIpv4: OracleEndpoint[];
  endpointsIpv6: OracleEndpoint[];
}

/** "1.2.3.4:80" or "[2001:db8::1]:53" -> [address, port]; a bare address -> [address, null]. */
export function splitEndpoint(s: string): [string, number | null] {
  const v6 = /^\[(.+)\]:(\d+)$/.exec(s);
  if (v6) return [v6[1]!, Number(v6[2])];
  const v4 = /^([^:]+):(\d+)$/.exec(s);
  if (v4) return [v4[1]!, Number(v4[2])];
  return [s, null];
}

function int(s: string | undefined, what: string): number {
  if (s === undefined || !/^\d+$/.test(s))
    throw new Error(`oracle: bad number ${JSON.stringify(s)} for ${what}`);
  return Number(s);
}

function bytes(s: string | undefined, what: string): number | null {
  if (s !== undefined && s.startsWith('~')) return null;
  return int(s, what);
}

function conv(rows: string[][] | undefined, name: string): OracleConv[] {
  return (rows ?? []).map((r) => {
    const [a, aPort] = splitEndpoint(r[0] ?? '');
    const [b, bPort] = splitEndpoint(r[1] ?? '');
    return {
      a,
      b,
      aPort,
      bPort,
      framesAB: int(r[2], `${name} frames_A_to_B`),
      bytesAB: bytes(r[3], `${name} bytes_A_to_B`),
      framesBA: int(r[4], `${name} frames_B_to_A`),
      bytesBA: bytes(r[5], `${name} bytes_B_to_A`),
      relStart: Number(r[6]),
      duration: Number(r[7]),
    };
  });
}

function endpoints(rows: string[][] | undefined, name: string): OracleEndpoint[] {
  return (rows ?? []).map((r) => ({
    address: r[0] ?? '',
    frames: int(r[1], name),
    bytes: int(r[2], name),
    txFrames: int(r[3], name),
    txBytes: int(r[4], name),
    rxFrames: int(r[5], name),
    rxBytes: int(r[6], name),
  }));
}

export function parseOracle(text: string): Oracle {
  const header: Record<string, string> = {};
  const sections = new Map<string, string[][]>();
  let current: string[][] | null = null;
  for (const line of text.split('\n')) {
    const sec = /^\[([a-z0-9_]+)\]$/.exec(line);
    if (sec) {
      current = [];
      sections.set(sec[1]!, current);
      continue;
    }
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (!current) {
        const kv = /^# ([a-z0-9_]+): (.*)$/.exec(line);
        if (kv) header[kv[1]!] = kv[2]!;
      }
      continue;
    }
    if (!current) throw new Error(`oracle: data line before the first section: ${line}`);
    current.push(line.split('\t'));
  }
  if (!sections.has('summary')) throw new Error('oracle: no [summary] section');

  const summary = new Map<string, string[]>();
  for (const [k, ...v] of sections.get('summary')!) {
    const list = summary.get(k!) ?? [];
    list.push(v.join('\t'));
    summary.set(k!, list);
  }
  const one = (k: string): string | undefined => summary.get(k)?.[0];
  const protocolFrames: Record<string, number> = {};
  for (const name of ['protocol_frames', 'protocol_frames_extra']) {
    for (const [p, n] of sections.get(name) ?? []) protocolFrames[p!] = int(n, `${name} ${p}`);
  }
  const readErrors = (summary.get('tshark_read_error') ?? []).filter((e) => e !== 'none');
  return {
    header,
    sections,
    summary,
    packets: int(one('packets'), 'packets'),
    bytesOnWire: int(one('bytes_on_wire_total'), 'bytes_on_wire_total'),
    bytesCaptured: int(one('bytes_captured_total'), 'bytes_captured_total'),
    readErrors,
    protocolFrames,
    convIpv4: conv(sections.get('conv_ipv4'), 'conv_ipv4'),
    convIpv6: conv(sections.get('conv_ipv6'), 'conv_ipv6'),
    convTcp: conv(sections.get('conv_tcp'), 'conv_tcp'),
    convUdp: conv(sections.get('conv_udp'), 'conv_udp'),
    endpointsIpv4: endpoints(sections.get('endpoints_ipv4'), 'endpoints_ipv4'),
    endpointsIpv6: endpoints(sections.get('endpoints_ipv6'), 'endpoints_ipv6'),
  };
}

export function readOracle(path: string): Oracle {
  return parseOracle(readFileSync(path, 'utf8'));
}
