/** Datagram parsers of UDP protocols other than DNS and QUIC (DHCP, DHCPv6, SNMP, SIP, NTP), chosen by app id. */
import type { DhcpRow } from '../../../shared/app-rows.js';
import { decodeDhcp } from '../../../dissect/protocols/dhcp/decode.js';
import { decodeDhcpv6 } from '../../../dissect/protocols/dhcpv6/decode.js';
import { communitySpan, decodeSnmp, snmpCommunityAt } from '../../../dissect/protocols/snmp/decode.js';
import { decodeSip } from '../../../dissect/protocols/sip/decode.js';
import { decodeNtp, ntpTime } from '../../../dissect/protocols/ntp/decode.js';
import { isoTime } from '../../../shared/time.js';
import { sipRow } from './sip-rows.js';
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

/** The client side of a DHCP flow: the endpoint on the client port, else the sender of a request. */
function clientDir(ep: Endpoints, clientPort: number, dir: 0 | 1, isRequest: boolean): number {
  if (ep.port[0] === clientPort) return 0;
  if (ep.port[1] === clientPort) return 1;
  return isRequest ? dir : dir === 0 ? 1 : 0;
}

/** a and b[start, end) hold the same bytes */
function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}

/** null when the app has no parser, or its rows are not kept (the flow is then not parsed at all) */
export function udpParserFor(app: string, flowId: number, ep: Endpoints, sinks: AppSinks): UdpParser | null {
  if (app === 'dhcp') {
    if (!sinks.dhcp) return null;
    return {
      datagram(dir, b, off, end, packet, sec, nsec) {
        const m = decodeDhcp(b, off, end);
        if (!m || !sinks.dhcp) return;
        const c = clientDir(ep, 68, dir, m.op === 1) === 1 ? 1 : 0;
        const s = c === 1 ? 0 : 1;
        // one literal with every column in rowBase's order: no base row spread into it per message
        const row: DhcpRow = {
          flow_id: flowId,
          ts: isoTime(sec, nsec),
          packet,
          client_ip: ep.ip[c],
          client_port: ep.port[c],
          server_ip: ep.ip[s],
          server_port: ep.port[s],
          proto: 'dhcp',
          msg_type: m.msgType,
          trans_id: m.xid,
          client_mac: m.chaddr,
          requested_ip: m.requestedIp ?? (m.ciaddr !== '0.0.0.0' ? m.ciaddr : null),
          assigned_ip: m.yiaddr !== '0.0.0.0' ? m.yiaddr : null,
          host_name: m.hostName ?? m.fqdn,
          vendor_class: m.vendorClass,
          param_request_list: m.paramRequestList,
          server_id: m.serverId,
          lease_time: m.leaseTime,
        };
        sinks.dhcp(row);
      },
      close() {},
    };
  }
  if (app === 'dhcpv6') {
    if (!sinks.dhcp) return null;
    return {
      datagram(dir, b, off, end, packet, sec, nsec) {
        const m = decodeDhcpv6(b, off, end);
        if (!m || !sinks.dhcp) return;
        const req = !['ADVERTISE', 'REPLY', 'RECONFIGURE', 'RELAY-REPL'].includes(m.msgType);
        const c = clientDir(ep, 546, dir, req) === 1 ? 1 : 0;
        const s = c === 1 ? 0 : 1;
        sinks.dhcp({
          flow_id: flowId,
          ts: isoTime(sec, nsec),
          packet,
          client_ip: ep.ip[c],
          client_port: ep.port[c],
          server_ip: ep.ip[s],
          server_port: ep.port[s],
          proto: 'dhcpv6',
          msg_type: m.msgType,
          trans_id: m.xid,
          client_mac: m.clientMac,
          requested_ip: req ? (m.addresses[0] ?? null) : null,
          assigned_ip: req ? null : (m.addresses[0] ?? null),
          host_name: m.fqdn,
          vendor_class: m.vendorClass,
          param_request_list: m.oro,
          server_id: m.serverId,
          lease_time: null,
        });
      },
      close() {},
    };
  }
  if (app === 'snmp') {
    if (!sinks.credential) return null;
    // one credential row per distinct version and community (its first 256 bytes, as its text holds them)
    const seen: { version: number; bytes: Uint8Array }[] = [];
    return {
      datagram(dir, b, off, end, packet, sec, nsec) {
        // version and community first: most datagrams repeat a pair already reported, and need no decoding
        if (seen.length >= 16 || !snmpCommunityAt(b, off, end)) return;
        const { version, start } = communitySpan;
        const stop = Math.min(communitySpan.end, start + 256);
        if (seen.some((e) => e.version === version && sameBytes(e.bytes, b, start, stop))) return;
        const m = decodeSnmp(b, off, end);
        if (!m || m.community === null || !sinks.credential) return;
        seen.push({ version, bytes: b.slice(start, stop) });
        const isRequest = m.pdu !== 'response' && m.pdu !== 'trap' && m.pdu !== 'trapv2';
        const c = isRequest ? dir : dir === 0 ? 1 : 0;
        const s = c === 1 ? 0 : 1;
        sinks.credential({
          flow_id: flowId,
          ts: isoTime(sec, nsec),
          packet,
          client_ip: ep.ip[c],
          client_port: ep.port[c],
          server_ip: ep.ip[s],
          server_port: ep.port[s],
          proto: 'snmp',
          method: 'community',
          username: null,
          password: m.community,
          detail: `${m.versionText} ${m.pdu}${m.oids[0] ? ' ' + m.oids[0] : ''}`,
        });
      },
      close() {},
    };
  }
  if (app === 'sip') {
    if (!sinks.sip) return null;
    return {
      datagram(dir, b, off, end, packet, sec, nsec) {
        const m = decodeSip(b, off, end);
        if (m && sinks.sip) sinks.sip(sipRow(m, 'udp', flowId, ep, dir, packet, sec, nsec));
      },
      close() {},
    };
  }
  if (app === 'ntp') {
    if (!sinks.ntp) return null;
    return {
      datagram(dir, b, off, end, packet, sec, nsec) {
        const m = decodeNtp(b, off, end);
        if (!m || !sinks.ntp) return;
        // the side not on port 123 is the client; between two servers, the sender of a client-mode request
        const cd = clientDir(ep, -1, dir, m.mode === 3 || m.mode === 1 || m.mode === 6);
        const cdir =
          ep.port[1] === 123 && ep.port[0] !== 123 ? 0 : ep.port[0] === 123 && ep.port[1] !== 123 ? 1 : cd;
        const t = ntpTime(m.xmtSec, m.xmtFrac);
        const c = cdir === 1 ? 1 : 0;
        const s = c === 1 ? 0 : 1;
        sinks.ntp({
          flow_id: flowId,
          ts: isoTime(sec, nsec),
          packet,
          client_ip: ep.ip[c],
          client_port: ep.port[c],
          server_ip: ep.ip[s],
          server_port: ep.port[s],
          version: m.version,
          mode: m.modeText,
          stratum: m.stratum,
          reference_id: m.refId === '' ? null : m.refId,
          transmit_ts: t ? isoTime(t.sec, t.nsec) : null,
        });
      },
      close() {},
    };
  }
  return null;
}
