import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDhcp, looksLikeDhcp } from './decode.js';
import { decodeDhcpv6 } from '../dhcpv6/decode.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

// dhcp-dora.pcap (zeek, BSD) frame 1: DISCOVER from 90:b1:1c:99:49:29; 236-byte BOOTP header, cookie, options
//   options: 35 01 01 (DISCOVER) | 32 04 c0a8d3c2 (requested 192.168.211.194) | 0c 0d "btest.is.cool" | ff
const DISCOVER = hex(
  '01010600000007c0000000000000000000000000000000000000000090b11c99492900000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000638253633501013204c0a8d3c20c0d62746573742e69732e636f6f6cff',
);
// frame 2: OFFER of 128.2.6.97 from server 128.2.6.152, lease 900 s, vendor class "ArubaAP"
const OFFER = hex(
  '02010600000007c0000000000000000080020661ac13e6070000000090b11c99492900000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000638253633501023604800206983304000003840104ffffff0003048002060106088002010b8002010a04088002011480020115430d6e6574776f726b2d636f6e66671c04800206ff2a0c8002011480020115800201162b0b3137322e31382e362e33373c07417275626141502c088002681d8002681e2e01020f07636d752e656475ff',
);

test('DHCP DISCOVER (dhcp-dora.pcap frame 1)', () => {
  assert.equal(looksLikeDhcp(DISCOVER, 0, DISCOVER.length), true);
  const m = decodeDhcp(DISCOVER, 0, DISCOVER.length)!;
  assert.equal(m.op, 1);
  assert.equal(m.msgType, 'DISCOVER');
  assert.equal(m.xid, 0x7c0);
  assert.equal(m.chaddr, '90:b1:1c:99:49:29');
  assert.equal(m.requestedIp, '192.168.211.194');
  assert.equal(m.hostName, 'btest.is.cool');
  assert.equal(m.paramRequestList, null);
});

test('DHCP OFFER (dhcp-dora.pcap frame 2)', () => {
  const m = decodeDhcp(OFFER, 0, OFFER.length)!;
  assert.equal(m.msgType, 'OFFER');
  assert.equal(m.yiaddr, '128.2.6.97');
  assert.equal(m.serverId, '128.2.6.152');
  assert.equal(m.leaseTime, 900);
  assert.equal(m.vendorClass, 'ArubaAP');
});

test('DHCP: truncated and corrupted options never throw nor run past the end', () => {
  assert.equal(decodeDhcp(DISCOVER, 0, 239), null);
  for (let n = 240; n <= DISCOVER.length; n++) decodeDhcp(DISCOVER, 0, n);
  const bad = DISCOVER.slice();
  bad[241] = 0xff; // option 53 claims 255 bytes
  const m = decodeDhcp(bad, 0, bad.length)!;
  assert.equal(m.msgType, 'BOOTP');
  const cookie = DISCOVER.slice();
  cookie[236] = 0;
  assert.equal(decodeDhcp(cookie, 0, cookie.length), null);
});

/** Annotated hex: '#' starts a comment to the end of the line. */
const ahex = (s: string): Uint8Array => hex(s.replace(/#.*$/gm, '').replace(/[^0-9a-f]/gi, ''));

// a DHCPv6 REQUEST written for this test (RFC 8415 layout)
const REQUEST = ahex(`
  03 123456                                   # REQUEST, transaction id 0x123456
  0001 000e 0001 0001 1c39cf88 080027fe8f95   # client id: DUID-LLT, Ethernet, time, MAC 08:00:27:fe:8f:95
  0006 0004 0017 0018                         # option request: 23, 24
  0027 000b 00 04 686f7374 03 6c616e 00       # client FQDN: flags 0, host.lan
  0003 0028 00000001 00000000 00000000        # IA_NA IAID 1, T1 0, T2 0
    0005 0018 20010db8000000000000000000000010 00000e10 00001c20   # IA address 2001:db8::10
`);

test('DHCPv6 REQUEST: DUID MAC, ORO fingerprint, FQDN, IA address', () => {
  const m = decodeDhcpv6(REQUEST, 0, REQUEST.length)!;
  assert.equal(m.msgType, 'REQUEST');
  assert.equal(m.xid, 0x123456);
  assert.equal(m.clientMac, '08:00:27:fe:8f:95');
  assert.equal(m.oro, '23,24');
  assert.equal(m.fqdn, 'host.lan');
  assert.deepEqual(m.addresses, ['2001:db8::10']);
  for (let n = 0; n <= REQUEST.length; n++) decodeDhcpv6(REQUEST, 0, n);
});
