/**
 * Who is the client in a flow. FlowRow.src is the first sender seen, which is the client only when the capture
 * saw the conversation start: a capture that begins mid-conversation, or that holds only one direction (a DNS
 * server's answers whose queries went by another path), starts with the server. A flow whose source port is a
 * well-known service port and whose destination port is not, or a DNS-family flow sent from its service port,
 * is taken as the server's direction.
 */
import type { FlowRow } from '../shared/rows.js';

/** Ports of services a client commonly reaches by address or with a cached name. */
export const KNOWN_SERVICE_PORTS: ReadonlySet<number> = new Set([
  20, 21, 22, 23, 25, 43, 53, 67, 68, 80, 88, 110, 119, 123, 135, 137, 138, 139, 143, 161, 162, 179, 389, 443,
  445, 465, 500, 514, 515, 587, 636, 853, 873, 989, 990, 993, 995, 1194, 1433, 1521, 1701, 1723, 1812, 1813,
  1900, 2049, 3268, 3306, 3389, 3478, 3479, 4500, 5060, 5061, 5222, 5223, 5228, 5349, 5353, 5355, 5432, 5900,
  5938, 6881, 8000, 8008, 8080, 8443, 8883, 9418, 19302,
]);

/** Service ports of the DNS family (dns, mdns, llmnr, nbns). */
const DNS_PORTS: Record<string, number> = { dns: 53, mdns: 5353, llmnr: 5355, nbns: 137 };

/** A port a server listens on: a well-known service port, or any system port (below 1024). */
export function isServicePort(port: number): boolean {
  return port < 1024 || KNOWN_SERVICE_PORTS.has(port);
}

export interface FlowRoles {
  client_ip: string;
  client_port: number | null;
  server_ip: string;
  server_port: number | null;
  /** true when the first sender was judged to be the server */
  reversed: boolean;
}

/** True when the flow's first sender is judged to be the server (FlowRoles.reversed), without building the roles. */
export function serverSentFirst(f: FlowRow): boolean {
  const sp = f.src_port;
  const dp = f.dst_port;
  if (sp === null || dp === null || sp === dp) return false;
  const dnsPort = f.app === null ? undefined : DNS_PORTS[f.app];
  return (isServicePort(sp) && !isServicePort(dp)) || (dnsPort !== undefined && sp === dnsPort);
}

export function flowRoles(f: FlowRow): FlowRoles {
  const sp = f.src_port;
  const dp = f.dst_port;
  const reversed = serverSentFirst(f);
  return reversed
    ? { client_ip: f.dst_ip, client_port: dp, server_ip: f.src_ip, server_port: sp, reversed }
    : { client_ip: f.src_ip, client_port: sp, server_ip: f.dst_ip, server_port: dp, reversed };
}

/** A TCP flow whose opening SYN was not captured: it began before the capture did. */
export function startedBeforeCapture(f: FlowRow): boolean {
  return f.proto === 'tcp' && !(f.tcp_flags ?? '').includes('S');
}
