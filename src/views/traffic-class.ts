/**
 * Traffic classes in the spirit of PcapXray: web, tor, malicious, insecure. Detection and enrichment (Tor
 * relay lists, threat intel) belong to the analyzers; views take the classes as per-flow tags. When no tags
 * are given, `classesFromApp` offers the only classes that can be read off a flow row alone (web, insecure).
 */
import type { FlowRow } from '../shared/rows.js';

export const TRAFFIC_CLASSES = ['web', 'tor', 'malicious', 'insecure'] as const;
export type TrafficClass = (typeof TRAFFIC_CLASSES)[number];

/** flow id -> classes of that flow */
export type FlowTags = ReadonlyMap<number, readonly TrafficClass[]>;

export function isTrafficClass(s: string): s is TrafficClass {
  return (TRAFFIC_CLASSES as readonly string[]).includes(s);
}

const WEB_APPS = new Set(['http', 'tls', 'https', 'quic', 'http2', 'http3']);
const WEB_PORTS = new Set([80, 443, 8080, 8443]);
/** Cleartext protocols that carry credentials or content an on-path observer can read. */
const INSECURE_APPS = new Set([
  'http',
  'ftp',
  'telnet',
  'pop3',
  'imap',
  'smtp',
  'snmp',
  'tftp',
  'ldap',
  'rlogin',
]);
const INSECURE_PORTS = new Set([21, 23, 80, 110, 143, 161, 69, 389, 513]);

/** web/insecure from the detected app, falling back to the server port when the app is unknown. */
export function classesFromApp(f: FlowRow): TrafficClass[] {
  const out: TrafficClass[] = [];
  const app = f.app?.toLowerCase() ?? null;
  const port = f.dst_port ?? -1;
  const tcpOrUdp = f.proto === 'tcp' || f.proto === 'udp';
  if (app ? WEB_APPS.has(app) : tcpOrUdp && WEB_PORTS.has(port)) out.push('web');
  if (app ? INSECURE_APPS.has(app) : f.proto === 'tcp' && INSECURE_PORTS.has(port)) out.push('insecure');
  return out;
}

/** Tags from the analyzers when given, else the app-derived classes. */
export function tagsFromFlows(flows: readonly FlowRow[]): Map<number, TrafficClass[]> {
  const m = new Map<number, TrafficClass[]>();
  for (const f of flows) {
    const c = classesFromApp(f);
    if (c.length) m.set(f.id, c);
  }
  return m;
}
