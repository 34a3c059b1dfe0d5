/**
 * The explicit list of protocols and the tables they bind into. An app-layer protocol adds its folder and
 * one line in PROTOCOLS; its descriptor's bindings put it on ports/heuristics (Wireshark-style, layers
 * never import the ones above them).
 */
import type { ProtocolDescriptor } from './dissector.js';
import {
  appIndex,
  etherTypeDecoders,
  ipProtoDecoders,
  linkDecoders,
  MAX_LINKTYPE,
  pppDecoders,
  tcpHeuristics,
  tcpPortApp,
  tcpPortDecoders,
  udpHeuristics,
  udpPortApp,
  udpPortDecoders,
} from './tables.js';
import { ah } from './protocols/ah/index.js';
import { arp } from './protocols/arp/index.js';
import { chdlc } from './protocols/chdlc/index.js';
import { esp } from './protocols/esp/index.js';
import { eth } from './protocols/eth/index.js';
import { gre } from './protocols/gre/index.js';
import { icmp } from './protocols/icmp/index.js';
import { icmpv6 } from './protocols/icmpv6/index.js';
import { ieee80211 } from './protocols/ieee80211/index.js';
import { igmp } from './protocols/igmp/index.js';
import { ipv4 } from './protocols/ipv4/index.js';
import { ipv6 } from './protocols/ipv6/index.js';
import { llc } from './protocols/llc/index.js';
import { mpls } from './protocols/mpls/index.js';
import { nflog } from './protocols/nflog/index.js';
import { nullLink } from './protocols/null/index.js';
import { ppp } from './protocols/ppp/index.js';
import { pppoe } from './protocols/pppoe/index.js';
import { raw } from './protocols/raw/index.js';
import { sctp } from './protocols/sctp/index.js';
import { sll } from './protocols/sll/index.js';
import { sll2 } from './protocols/sll2/index.js';
import { tcp } from './protocols/tcp/index.js';
import { udp } from './protocols/udp/index.js';
import { vlan } from './protocols/vlan/index.js';
import { vxlan } from './protocols/vxlan/index.js';
import { dns, llmnr, mdns } from './protocols/dns/index.js';
import { http } from './protocols/http/index.js';
import { tls } from './protocols/tls/index.js';
import { quic } from './protocols/quic/index.js';
import { dhcp } from './protocols/dhcp/index.js';
import { dhcpv6 } from './protocols/dhcpv6/index.js';
import { nbns } from './protocols/nbns/index.js';
import { snmp } from './protocols/snmp/index.js';
import { ntp } from './protocols/ntp/index.js';
import { sip } from './protocols/sip/index.js';
import { ssh } from './protocols/ssh/index.js';
import { ftp } from './protocols/ftp/index.js';
import { smtp } from './protocols/smtp/index.js';
import { pop3 } from './protocols/pop3/index.js';
import { imap } from './protocols/imap/index.js';
import { telnet } from './protocols/telnet/index.js';
import { smb2 } from './protocols/smb2/index.js';

/** Link, network and transport layers (this folder's owner). */
const CORE: ProtocolDescriptor[] = [
  eth,
  llc,
  vlan,
  mpls,
  pppoe,
  ppp,
  chdlc,
  sll,
  sll2,
  nullLink,
  raw,
  ieee80211,
  nflog,
  arp,
  ipv4,
  ipv6,
  icmp,
  icmpv6,
  tcp,
  udp,
  sctp,
  gre,
  vxlan,
  esp,
  ah,
  igmp,
];

/** Application protocols: one line each (src/dissect/protocols/<id>/index.ts). */
const APPS: ProtocolDescriptor[] = [
  dns,
  mdns,
  llmnr,
  nbns,
  http,
  tls,
  quic,
  dhcp,
  dhcpv6,
  snmp,
  ntp,
  sip,
  ssh,
  ftp,
  smtp,
  pop3,
  imap,
  telnet,
  smb2,
];

export const PROTOCOLS: readonly ProtocolDescriptor[] = [...CORE, ...APPS];

let registered = false;

/** Fills the dispatch tables from PROTOCOLS; idempotent. */
export function registerProtocols(): void {
  if (registered) return;
  registered = true;
  for (const d of PROTOCOLS) {
    for (const bd of d.bindings) {
      switch (bd.table) {
        case 'link':
          if (bd.value >= 0 && bd.value < MAX_LINKTYPE) linkDecoders[bd.value] = bd.decode;
          break;
        case 'ethertype':
          etherTypeDecoders[bd.value & 0xffff] = bd.decode;
          break;
        case 'ip.proto':
          ipProtoDecoders[bd.value & 0xff] = bd.decode;
          break;
        case 'ppp':
          pppDecoders[bd.value & 0xffff] = bd.decode;
          break;
        case 'udp.port':
          if (bd.decode) udpPortDecoders[bd.value & 0xffff] = bd.decode;
          else udpPortApp[bd.value & 0xffff] = appIndex(d.id);
          break;
        case 'tcp.port':
          if (bd.decode) tcpPortDecoders[bd.value & 0xffff] = bd.decode;
          else tcpPortApp[bd.value & 0xffff] = appIndex(d.id);
          break;
        case 'heuristic':
          (bd.transport === 'tcp' ? tcpHeuristics : udpHeuristics).push({
            app: appIndex(d.id),
            test: bd.test,
          });
          break;
      }
    }
  }
}

/** Whether a LINKTYPE_* number has a decoder (others are counted as "other" and reported once per file). */
export function isLinkTypeSupported(linkType: number): boolean {
  registerProtocols();
  return linkType >= 0 && linkType < MAX_LINKTYPE && linkDecoders[linkType] !== undefined;
}
