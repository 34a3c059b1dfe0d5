import { test } from 'node:test';
import assert from 'node:assert/strict';
import { L4_TCP, L4_UDP, STATUS_OK, STATUS_TRUNCATED } from '../../dissector.js';
import {
  P_ARP,
  P_CHDLC,
  P_IPV4,
  P_IPV6,
  P_LLC,
  P_NFLOG,
  P_NULL,
  P_OTHER,
  P_PPP,
  P_PPPOE,
  P_RADIOTAP,
  P_SLL,
  P_TCP,
  P_UDP,
  P_VLAN,
  P_WLAN,
} from '../../proto-ids.js';
import { concat, decode, hex } from '../../test-support/hex.js';

const IP_UDP = hex(`
  45 00 00 1c  00 00 00 00  40 11 00 00  0a 00 00 01  0a 00 00 02  # IPv4 10.0.0.1 -> 10.0.0.2, UDP, total 28
  04 d2 16 2e  00 08 00 00                                         # UDP 1234 -> 5678, length 8
`);
const IP6_TCP = hex(`
  60 00 00 00  00 14 06 40                              # IPv6, payload 20, TCP, hop limit 64
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01       # ::1
  00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01       # ::1
  1f 90 c0 01  00 00 00 01  00 00 00 00  50 10 01 00  00 00 00 00  # TCP 8080 -> 49153, ACK
`);

test('null/loopback: address family in either byte order; LOOP is big-endian', () => {
  let p = decode(0, concat(hex('02 00 00 00  # AF_INET little-endian'), IP_UDP));
  assert.ok(p.has(P_NULL) && p.has(P_IPV4) && p.has(P_UDP));
  p = decode(0, concat(hex('00 00 00 1e  # AF_INET6 (30, Darwin) big-endian'), IP6_TCP));
  assert.ok(p.has(P_IPV6) && p.has(P_TCP));
  p = decode(0, concat(hex('18 00 00 00  # AF_INET6 (24, BSD) little-endian'), IP6_TCP));
  assert.equal(p.layers[0]!.l4, L4_TCP);
  p = decode(108, concat(hex('00 00 00 02  # LOOP: AF_INET'), IP_UDP));
  assert.equal(p.layers[0]!.l4, L4_UDP);
  p = decode(0, concat(hex('07 00 00 00  # unknown family'), IP_UDP));
  assert.ok(p.has(P_OTHER) && !p.has(P_IPV4));
});

test('raw IP link types 101, 228, 229', () => {
  assert.equal(decode(101, IP_UDP).layers[0]!.version, 4);
  assert.equal(decode(101, IP6_TCP).layers[0]!.version, 6);
  assert.equal(decode(228, IP_UDP).layers[0]!.l4, L4_UDP);
  assert.equal(decode(229, IP6_TCP).layers[0]!.l4, L4_TCP);
});

test('linux cooked v1 and v2', () => {
  const sll = hex(`
    00 00 00 01 00 06          # packet type 0 (to us), ARPHRD 1 (Ethernet), address length 6
    00 0c 29 11 22 33 00 00    # source address (8 bytes, 6 used)
    08 00                      # protocol IPv4
  `);
  let p = decode(113, concat(sll, IP_UDP));
  assert.ok(p.has(P_SLL) && p.has(P_UDP));
  assert.equal(p.layers[0]!.srcMacOff, 6);
  assert.equal(p.layers[0]!.dstMacOff, -1);
  const sll2 = hex(`
    86 dd 00 00                # protocol IPv6, reserved
    00 00 00 02                # interface index 2
    00 01 04 06                # ARPHRD 1, packet type 4 (outgoing), address length 6
    00 0c 29 11 22 33 00 00    # address
  `);
  p = decode(276, concat(sll2, IP6_TCP));
  assert.ok(p.has(P_SLL) && p.has(P_TCP));
  // netlink interfaces carry no IP
  const nl = sll.slice();
  nl[2] = 0x03;
  nl[3] = 0x38; // ARPHRD 824
  p = decode(113, concat(nl, IP_UDP));
  assert.ok(!p.has(P_IPV4));
});

test('QinQ + PPPoE session + PPP to IPv4', () => {
  const f = hex(`
    00 00 00 00 00 01  00 00 00 00 00 02  # Ethernet dst, src
    88 a8 00 64                           # 802.1ad S-tag, VID 100
    81 00 00 c8                           # 802.1Q C-tag, VID 200
    88 64                                 # PPPoE session
    11 00 12 34 00 1e                     # ver/type 0x11, code 0, session 0x1234, length 30
    00 21                                 # PPP protocol IPv4
  `);
  const p = decode(1, concat(f, IP_UDP));
  assert.ok(p.has(P_VLAN) && p.has(P_PPPOE) && p.has(P_PPP) && p.has(P_UDP));
  assert.equal(p.vlanCount, 2);
  assert.equal(p.vlanIds[0], 100);
  assert.equal(p.vlanIds[1], 200);
  assert.equal(p.pppoeSession, 0x1234);
  assert.equal(p.layers[0]!.vlan, 200);
});

test('PPP link type with and without address/control; Cisco HDLC', () => {
  let p = decode(9, concat(hex('ff 03 00 21  # address, control, protocol IPv4'), IP_UDP));
  assert.ok(p.has(P_PPP) && p.has(P_UDP));
  p = decode(9, concat(hex('57  # compressed protocol field 0x57 (IPv6)'), IP6_TCP));
  assert.ok(p.has(P_TCP));
  p = decode(104, concat(hex('0f 00 08 00  # C-HDLC unicast, control 0, IPv4'), IP_UDP));
  assert.ok(p.has(P_CHDLC) && p.has(P_UDP));
});

test('nflog: the payload TLV holds the IP packet', () => {
  const f = hex(`
    02 00 00 00                # family AF_INET, version 0, resource id 0
    08 00 01 00  08 00 00 01   # TLV len 8, type 1 (packet header): hw protocol, hook
    20 00 09 00                # TLV len 32 (4 + 28), type 9 (payload), little-endian
  `);
  const p = decode(239, concat(f, IP_UDP));
  assert.ok(p.has(P_NFLOG) && p.has(P_UDP));
  assert.equal(p.status, STATUS_OK);
});

test('radiotap + 802.11 data frame through LLC/SNAP; FCS flag trims the tail', () => {
  const rt = hex(`
    00 00 0d 00                # radiotap version 0, pad, length 13
    02 00 00 00                # present: Flags only
    10                         # Flags: FCS at end
    00 00 00 00                # padding to length 13
  `);
  const wlan = hex(`
    08 01                      # data frame, flags: To DS
    00 00                      # duration
    00 00 00 00 00 0a          # addr1 BSSID
    00 00 00 00 00 0b          # addr2 source
    00 00 00 00 00 0c          # addr3 destination
    00 00                      # sequence control
    aa aa 03 00 00 00 08 00    # LLC/SNAP, EtherType IPv4
  `);
  const fcs = hex('de ad be ef');
  const p = decode(127, concat(rt, wlan, IP_UDP, fcs));
  assert.ok(p.has(P_RADIOTAP) && p.has(P_WLAN) && p.has(P_LLC) && p.has(P_UDP));
  const l = p.layers[0]!;
  assert.equal(l.macBuf[l.srcMacOff + 5], 0x0b);
  assert.equal(l.macBuf[l.dstMacOff + 5], 0x0c);
  // protected and management frames are counted only
  const prot = wlan.slice();
  prot[1] = 0x41;
  assert.ok(!decode(105, concat(prot, IP_UDP)).has(P_LLC));
  const beacon = hex('80 00 00 00 ff ff ff ff ff ff 00 00 00 00 00 0a 00 00 00 00 00 0a 00 00');
  const b = decode(105, beacon);
  assert.ok(b.has(P_WLAN));
  assert.equal(b.wlanType, 0);
  assert.equal(b.wlanSubtype, 8);
});

test('arp: Ethernet/IPv4 addresses', () => {
  const f = hex(`
    ff ff ff ff ff ff  00 00 00 00 00 01  08 06  # Ethernet broadcast, ARP
    00 01 08 00 06 04 00 01                      # htype 1, ptype IPv4, hlen 6, plen 4, op request
    00 00 00 00 00 01  c0 a8 00 01               # sender MAC, 192.168.0.1
    00 00 00 00 00 00  c0 a8 00 02               # target MAC, 192.168.0.2
  `);
  const p = decode(1, f);
  assert.ok(p.has(P_ARP));
  assert.equal(p.arpOp, 1);
  assert.equal(p.arpSpa, 0xc0a80001);
  assert.equal(p.arpTpa, 0xc0a80002);
  assert.equal(decode(1, f.subarray(0, 30), 42).status, STATUS_TRUNCATED);
});

test('unknown link types are "other", never decoded as IP', () => {
  const p = decode(284, concat(hex('00 00 00 00'), IP_UDP));
  assert.ok(p.has(P_OTHER));
  assert.equal(p.layerCount, 0);
});
