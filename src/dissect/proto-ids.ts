/**
 * Dense protocol ids for the per-frame protocol counters. The names are the keys of
 * `CaptureSummary.protocols`. Where tshark has a protocol of its own, our name equals tshark's filter name,
 * except `ipv4` (tshark: `ip`), `pppoe` (tshark: `pppoes`) and `ieee80211` (tshark: `wlan`): see TSHARK_NAME.
 */
export const P_ETH = 0;
export const P_VLAN = 1;
export const P_MPLS = 2;
export const P_PPPOE = 3;
export const P_PPPOED = 4;
export const P_PPP = 5;
export const P_SLL = 6;
export const P_NULL = 7;
export const P_RAW = 8;
export const P_RADIOTAP = 9;
export const P_WLAN = 10;
export const P_LLC = 11;
export const P_CHDLC = 12;
export const P_NFLOG = 13;
export const P_ARP = 14;
export const P_IPV4 = 15;
export const P_IPV6 = 16;
export const P_ICMP = 17;
export const P_ICMPV6 = 18;
export const P_TCP = 19;
export const P_UDP = 20;
export const P_SCTP = 21;
export const P_GRE = 22;
export const P_VXLAN = 23;
export const P_ESP = 24;
export const P_AH = 25;
export const P_IGMP = 26;
export const P_EAPOL = 27;
export const P_OTHER = 28;
export const P_COUNT = 29;

export const PROTO_NAMES: readonly string[] = [
  'eth',
  'vlan',
  'mpls',
  'pppoe',
  'pppoed',
  'ppp',
  'sll',
  'null',
  'raw',
  'radiotap',
  'ieee80211',
  'llc',
  'chdlc',
  'nflog',
  'arp',
  'ipv4',
  'ipv6',
  'icmp',
  'icmpv6',
  'tcp',
  'udp',
  'sctp',
  'gre',
  'vxlan',
  'esp',
  'ah',
  'igmp',
  'eapol',
  'other',
];

/** Our counter name -> tshark's protocol name (frame.protocols), where they differ. */
export const TSHARK_NAME: Readonly<Record<string, string>> = {
  ipv4: 'ip',
  pppoe: 'pppoes',
  ieee80211: 'wlan',
  null: 'null',
};
