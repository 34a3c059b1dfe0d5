import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  L4_ICMPV6,
  L4_OTHER,
  L4_TCP,
  L4_UDP,
  STATUS_MALFORMED,
  STATUS_OK,
  STATUS_TRUNCATED,
} from '../../dissector.js';
import { P_AH, P_ESP, P_ICMPV6, P_IPV6, P_TCP, P_UDP } from '../../proto-ids.js';
import { concat, decode, hex } from '../../test-support/hex.js';

const SRC = '20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01'; // 2001:db8::1
const DST = '20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02'; // 2001:db8::2

const h2 = (n: number) => n.toString(16).padStart(2, '0');

function ip6(payloadLen: number, next: number): Uint8Array {
  return hex(`
    60 00 00 00                                # version 6, traffic class 0, flow label 0
    ${h2((payloadLen >> 8) & 255)} ${h2(payloadLen & 255)}  # payload length
    ${h2(next)} 40                             # next header, hop limit 64
    ${SRC}
    ${DST}
  `);
}

test('ipv6: hop-by-hop, destination options and routing headers are walked to UDP', () => {
  const body = hex(`
    3c 00 01 04 00 00 00 00  # HBH: next 60 (dst opts), len 0 (8 bytes), PadN(4)
    2b 00 01 04 00 00 00 00  # DSTOPTS: next 43 (routing), len 0, PadN
    11 02 00 01 00 00 00 00  # routing: next 17, len 2 (24 bytes), type 0, segments left 1
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 09  # final destination 2001:db8::9
    13 88 00 35 00 0a 00 00  # UDP sport 5000, dport 53, length 10
    ab cd                    # payload
  `);
  const p = decode(229, concat(ip6(body.length, 0), body));
  assert.equal(p.status, STATUS_OK);
  const l = p.layers[0]!;
  assert.equal(l.extCount, 3);
  assert.equal(l.l4, L4_UDP);
  assert.equal(l.ipProto, 17);
  assert.equal(l.dstPort, 53);
  assert.equal(l.payloadLen, 2);
  assert.ok(p.has(P_IPV6) && p.has(P_UDP));
  // a routing header with segments left names the final destination (as Wireshark's conversations use)
  assert.equal(l.buf[l.finalDstOff + 15], 0x09);
  assert.equal(l.buf[l.dstOff + 15], 0x02);
});

test('ipv6: jumbo payload option gives the length when the payload length is 0', () => {
  const tcpHdr = hex(`
    00 50 c0 00  00 00 00 01  00 00 00 00  50 10 01 00  00 00 00 00  # TCP: 80 -> 49152, ACK, offset 5
  `);
  const data = new Uint8Array(70000 - 20);
  const hbh = hex(`
    06 00          # next header 6 (TCP), length 0 (8 bytes)
    c2 04          # Jumbo Payload option, length 4
    00 01 11 78    # jumbo payload length 70008 = 8 (HBH) + 70000
  `);
  const frame = concat(ip6(0, 0), hbh, tcpHdr, data);
  const p = decode(229, frame);
  assert.equal(p.status, STATUS_OK);
  const l = p.layers[0]!;
  assert.equal(l.ipLen, 40 + 70008);
  assert.equal(l.l4, L4_TCP);
  assert.equal(l.payloadLen, 70000 - 20);
  assert.ok(p.has(P_TCP));
});

test('ipv6: ESP stops decoding; AH is skipped to the transport', () => {
  let p = decode(229, concat(ip6(8, 50), hex('00 00 01 00 00 00 00 01  # ESP SPI 256, sequence 1')));
  assert.ok(p.has(P_ESP));
  assert.equal(p.layers[0]!.l4, L4_OTHER);
  assert.equal(p.layers[0]!.ipProto, 50);
  const ah = hex(`
    3a 04 00 00  00 00 01 00  00 00 00 01  # AH: next 58, payload len 4 -> (4+2)*4 = 24 bytes; SPI; seq
    00 00 00 00  00 00 00 00  00 00 00 00  # ICV (12 bytes)
    80 00 00 00  00 01 00 01               # ICMPv6 echo request, id 1, seq 1
  `);
  p = decode(229, concat(ip6(ah.length, 51), ah));
  assert.ok(p.has(P_AH) && p.has(P_ICMPV6));
  assert.equal(p.layers[0]!.l4, L4_ICMPV6);
  assert.equal(p.layers[0]!.icmpType, 128);
});

test('icmpv6: neighbour solicitation target is located', () => {
  const ns = hex(`
    87 00 00 00  00 00 00 00                         # type 135 (NS), code 0, checksum, reserved
    fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 07  # target fe80::7
  `);
  const p = decode(229, concat(ip6(ns.length, 58), ns));
  const l = p.layers[0]!;
  assert.equal(l.icmpType, 135);
  assert.equal(l.pbuf[l.ndTargetOff + 15], 7);
});

test('ipv6: truncated/malformed chains never throw', () => {
  const body = hex('3c 00 01 04 00 00 00 00  3c 00 01 04 00 00 00 00');
  let p = decode(229, concat(ip6(16, 0), body).subarray(0, 44), 56);
  assert.equal(p.status, STATUS_TRUNCATED);
  // a chain of 20 destination-options headers exceeds the cap
  const many = new Uint8Array(20 * 8);
  for (let i = 0; i < 20; i++) many.set([60, 0, 1, 4, 0, 0, 0, 0], i * 8);
  p = decode(229, concat(ip6(many.length, 60), many));
  assert.equal(p.status, STATUS_MALFORMED);
  const bad = ip6(0, 59);
  bad[0] = 0x40;
  p = decode(229, bad);
  assert.equal(p.status, STATUS_MALFORMED);
  for (let n = 0; n < 60; n++) decode(229, concat(ip6(16, 0), body).subarray(0, n), 56);
});
