import { test } from 'node:test';
import assert from 'node:assert/strict';
import { L4_OTHER, L4_TCP, L4_UDP, STATUS_OK } from '../../dissector.js';
import { P_ETH, P_GRE, P_IPV4, P_TCP, P_UDP, P_VXLAN } from '../../proto-ids.js';
import { concat, decode, hex } from '../../test-support/hex.js';

const INNER = hex(`
  02 00 00 00 00 02  02 00 00 00 00 01  08 00  # inner Ethernet: dst, src, IPv4
  45 00 00 28  00 01 00 00  40 06 00 00        # IPv4, total 40, TCP
  ac 10 0b c9  36 56 ed bc                     # 172.16.11.201 -> 54.86.237.188
  9d a2 00 50  00 00 00 01  00 00 00 00  50 02 ff ff  00 00 00 00  # TCP 40354 -> 80, SYN
`);

test('vxlan: outer UDP and inner TCP are both transport layers, outer first', () => {
  const outer = hex(`
    00 00 00 00 00 aa  00 00 00 00 00 bb  08 00  # outer Ethernet
    45 00 00 5a  00 00 00 00  40 11 00 00        # IPv4, total 90 (20 + 8 + 8 + 54), UDP
    0a 01 c8 83  0a 01 01 ac                     # 10.1.200.131 -> 10.1.1.172
    c3 50 12 b5  00 46 00 00                     # UDP 50000 -> 4789, length 70
    08 00 00 00  00 00 7b 00                     # VXLAN: I flag, VNI 123
  `);
  const p = decode(1, concat(outer, INNER));
  assert.equal(p.status, STATUS_OK);
  assert.ok(p.has(P_ETH) && p.has(P_IPV4) && p.has(P_UDP) && p.has(P_VXLAN) && p.has(P_TCP));
  assert.equal(p.layerCount, 2);
  const [o, i] = [p.layers[0]!, p.layers[1]!];
  assert.equal(o.l4, L4_UDP);
  assert.equal(o.dstPort, 4789);
  assert.equal(o.tunnelDepth, 0);
  assert.equal(i.l4, L4_TCP);
  assert.equal(i.srcPort, 40354);
  assert.equal(i.tunnelDepth, 1);
  // the inner layer carries the inner Ethernet addresses
  assert.equal(i.macBuf[i.srcMacOff + 5], 0x01);
  assert.equal(o.macBuf[o.srcMacOff + 5], 0xbb);
});

test('gre: transparent Ethernet bridging and a key field', () => {
  const outer = hex(`
    45 00 00 5a  00 00 00 00  40 2f 00 00  # IPv4, total 90, proto 47 (GRE)
    c0 00 02 01  c0 00 02 02               # 192.0.2.1 -> 192.0.2.2
    20 00 65 58  00 00 00 2a               # GRE: K flag, protocol 0x6558 (Ethernet), key 42
  `);
  const p = decode(101, concat(outer, INNER));
  assert.ok(p.has(P_GRE) && p.has(P_TCP));
  assert.equal(p.layerCount, 2);
  assert.equal(p.layers[0]!.l4, L4_OTHER);
  assert.equal(p.layers[0]!.ipProto, 47);
  assert.equal(p.layers[1]!.l4, L4_TCP);
});

const h2 = (n: number) => n.toString(16).padStart(2, '0');

test('tunnels nested past the layer array stop cleanly', () => {
  // IPv4-in-IPv4 six times: four layers are kept, the rest are counted, never decoded into a fifth
  let pkt = hex('45 00 00 14 00 00 00 00 40 3b 00 00 01 01 01 01 02 02 02 02'); // innermost: proto 59
  for (let k = 0; k < 6; k++) {
    const len = 20 + pkt.length;
    const h = hex(`45 00 ${h2(len >> 8)} ${h2(len & 255)} 00 00 00 00 40 04 00 00 01 01 01 01 02 02 02 02`);
    pkt = concat(h, pkt);
  }
  const p = decode(101, pkt);
  assert.equal(p.layerCount, 4);
});
