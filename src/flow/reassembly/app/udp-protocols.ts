/** Datagram parsers of UDP protocols other than DNS and QUIC (DHCP, SNMP, SIP, NTP, ...), chosen by app id. */
import type { Endpoints } from './base.js';
import type { AppSinks } from './sinks.js';

export interface UdpParser {
  datagram(
    dir: 0 | 1,
    b: Uint8Array,
    off: number,
    end: number,
    packet: number,
    tsSec: number,
    tsNsec: number,
  ): void;
  close(): void;
}

export function udpParserFor(
  _app: string,
  _flowId: number,
  _ep: Endpoints,
  _sinks: AppSinks,
): UdpParser | null {
  return null;
}
