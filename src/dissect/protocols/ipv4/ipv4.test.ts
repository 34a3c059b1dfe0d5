import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FRAG_PENDING,
  L4_OTHER,
  L4_TCP,
  L4_UDP,
  STATUS_MALFORMED,
  STATUS_OK,
  STATUS_TRUNCATED,
  TCP_ACK,
  TCP_SYN,
} from '../../dissector.js';
import { P_ETH, P_IPV4, P_TCP, P_UDP } from '../../proto-ids.js';
import { concat, decode, hex } from '../../test-support/hex.js';

const ETH = hex(`
  00 11 22 33 44 55   # dst MAC
  66 77 88 99 aa bb   # src MAC
  08 00               # EtherType IPv4
`);

const IPV4_TCP = hex(`
  46 00 00 30         # version 4, IHL 6 (24 bytes: one option word), tos 0, total length 48
  12 34 40 00         # id 0x1234, flags DF, fragment offset 0
  40 06 00 00         # ttl 64, proto 6 (TCP), checksum (not checked)
  0a 00 00 01         # src 10.0.0.1
  c0 a8 01 02         # dst 192.168.1.2
  01 01 01 00         # options: NOP NOP NOP EOL
  c3 50 00 50         # sport 50000, dport 80
  00 00 00 64         # seq 100
  00 00 00 00         # ack 0
  60 02 fa f0         # data offset 6 (24 bytes), flags SYN, window 64240
  00 00 00 00         # checksum, urgent pointer
  02 04 05 b4         # option MSS 1460
`);

test('ipv4 + tcp: addresses, options, flags, ports', () => {
  const p = decode(1, concat(ETH, IPV4_TCP));
  assert.equal(p.status, STATUS_OK);
  assert.ok(p.has(P_ETH) && p.has(P_IPV4) && p.has(P_TCP));
  assert.equal(p.layerCount, 1);
  const l = p.layers[0]!;
  assert.equal(l.version, 4);
  assert.equal(l.src4, 0x0a000001);
  assert.equal(l.dst4, 0xc0a80102);
  assert.equal(l.ttl, 64);
  assert.equal(l.ipProto, 6);
  assert.equal(l.l4, L4_TCP);
  assert.equal(l.srcPort, 50000);
  assert.equal(l.dstPort, 80);
  assert.equal(l.tcpSeq, 100);
  assert.equal(l.tcpFlags, TCP_SYN);
  assert.equal(l.tcpWin, 64240);
  assert.equal(l.tcpMss, 1460);
  assert.equal(l.payloadLen, 0);
  assert.equal(l.srcMacOff, 6);
  assert.equal(l.dstMacOff, 0);
});

test('ipv4: Ethernet padding after total length is not payload', () => {
  const udp = hex(`
    45 00 00 1d  00 01 00 00  40 11 00 00  # ver/ihl 5, total length 29; ttl 64, proto 17
    0a 00 00 01  0a 00 00 02               # src, dst
    00 35 d4 31  00 09 00 00               # UDP sport 53, dport 54321, length 9, checksum
    aa                                     # one payload byte
    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  # Ethernet padding up to 60 bytes
  `);
  const p = decode(1, concat(ETH, udp));
  const l = p.layers[0]!;
  assert.equal(p.status, STATUS_OK);
  assert.equal(l.l4, L4_UDP);
  assert.equal(l.payloadLen, 1);
  assert.ok(p.has(P_UDP));
});

test('ipv4: truncated and malformed headers set a status and never throw', () => {
  // cut inside the IPv4 header: ipv4 counted, no layer
  let p = decode(1, concat(ETH, IPV4_TCP.subarray(0, 12)), 80);
  assert.equal(p.status, STATUS_TRUNCATED);
  assert.ok(p.has(P_IPV4));
  assert.equal(p.layerCount, 0);
  // IHL 4 (16 bytes) is smaller than the minimum header
  const bad = IPV4_TCP.slice();
  bad[0] = 0x44;
  p = decode(1, concat(ETH, bad));
  assert.equal(p.status, STATUS_MALFORMED);
  // version 5 in an IPv4 EtherType
  bad[0] = 0x56;
  p = decode(1, concat(ETH, bad));
  assert.equal(p.status, STATUS_MALFORMED);
  // total length smaller than the header
  const short = IPV4_TCP.slice();
  short[3] = 0x10;
  p = decode(1, concat(ETH, short));
  assert.equal(p.status, STATUS_MALFORMED);
  // snaplen cut inside the TCP options: header fields known, but not a TCP conversation
  p = decode(1, concat(ETH, IPV4_TCP.subarray(0, 24 + 22)), 14 + 48);
  assert.equal(p.status, STATUS_TRUNCATED);
  assert.ok(p.has(P_TCP));
  assert.equal(p.layers[0]!.l4, L4_OTHER);
  assert.equal(p.layers[0]!.tcpShort, true);
  // every prefix of the frame decodes without throwing
  const full = concat(ETH, IPV4_TCP);
  for (let n = 0; n <= full.length; n++) decode(1, full.subarray(0, n), full.length);
});

test('ipv4: a TCP data offset below 5 words is malformed', () => {
  const b = IPV4_TCP.slice();
  b[24 + 12] = 0x40 | (b[24 + 12]! & 0x0f);
  const p = decode(1, concat(ETH, b));
  assert.equal(p.status, STATUS_MALFORMED);
  assert.equal(p.layers[0]!.l4, L4_OTHER);
});

test('ipv4: a non-final fragment counts as ipv4 only (no defragmenter attached)', () => {
  const frag = hex(`
    45 00 00 1c  00 07 20 00  40 11 00 00  # total 28, id 7, MF set, offset 0, proto UDP
    0a 00 00 01  0a 00 00 02
    00 35 00 35  00 40 00 00               # first 8 bytes of a UDP header
  `);
  const p = decode(1, concat(ETH, frag));
  assert.equal(p.status, STATUS_OK);
  assert.ok(p.has(P_IPV4));
  assert.ok(!p.has(P_UDP));
  assert.equal(p.layers[0]!.frag, FRAG_PENDING);
  assert.equal(p.layers[0]!.fragMore, true);
});

test('tcp flags and ack are read from a SYN-ACK', () => {
  const b = IPV4_TCP.slice();
  b[24 + 13] = 0x12; // SYN+ACK
  const p = decode(1, concat(ETH, b));
  assert.equal(p.layers[0]!.tcpFlags, TCP_SYN | TCP_ACK);
});
