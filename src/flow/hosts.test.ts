import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetLayer } from '../dissect/dissector.js';
import { PacketRecord } from '../wire/record.js';
import { Analysis } from './analysis.js';
import { HostTable } from './hosts.js';

/** IPv4 layer 10.0.<s >> 8>.<s & 255> -> 10.1.0.1 */
function layer(s: number): NetLayer {
  const l = new NetLayer();
  l.version = 4;
  l.src4 = ((10 << 24) | s) >>> 0;
  l.dst4 = ((10 << 24) | (1 << 16) | 1) >>> 0;
  return l;
}

test('hosts: TTL min/max per sender; unset TTL (0) ignored; null when never noted', () => {
  const t = new HostTable();
  const l = layer(1);
  const src = t.ip(l, 0, 1, 0);
  const dst = t.ip(l, 1, 1, 0);
  for (const ttl of [0, 57, 64, 52, 0]) src.noteTtl(ttl);
  const rows = t.rows();
  assert.deepEqual(
    rows.map((r) => [r.ip, r.ttl_min, r.ttl_max]),
    [
      ['10.0.0.1', 52, 64],
      ['10.1.0.1', null, null],
    ],
  );
  assert.equal(dst.ttlMax, 0);
});

test('hosts: maxHosts evicts the quietest quarter (earliest first), keeps busy and just-found hosts, counts it', () => {
  const t = new HostTable(8);
  const busy = t.ip(layer(1), 0, 1, 0); // 10.0.0.1
  busy.packetsSent = 100;
  for (let i = 2; i <= 8; i++) {
    const h = t.ip(layer(i), 0, i, 0);
    h.packetsSent = i === 5 ? 0 : 1;
  }
  assert.equal(t.size, 8);
  // the 9th address: 2 of 8 go, the one with 0 packets (10.0.0.5) first, then the earliest 1-packet one (.2)
  t.ip(layer(9), 0, 9, 0);
  assert.equal(t.evicted, 2);
  const ips = t.rows().map((r) => r.ip);
  assert.deepEqual(ips, ['10.0.0.1', '10.0.0.3', '10.0.0.4', '10.0.0.6', '10.0.0.7', '10.0.0.8', '10.0.0.9']);
  // an evicted address comes back as a new entry; a kept one is found again
  const again = t.ip(layer(2), 0, 10, 0);
  assert.equal(again.packetsSent, 0);
  assert.equal(t.ip(layer(1), 0, 11, 0), busy);
  // 10M spoofed sources stay within the bound
  const big = new HostTable(1000);
  for (let i = 0; i < 20000; i++) big.ip(layer(i + 1), 0, i, 0).packetsSent = 1;
  assert.ok(big.size <= 1000);
  assert.equal(big.size + big.evicted, 20000);
});

test('hosts: the host just returned is not evicted while the next one is found', () => {
  const t = new HostTable(4);
  for (let i = 1; i <= 4; i++) t.ip(layer(i), 0, i, 0).packetsSent = 5;
  t.ip(layer(50), 0, 5, 0); // evicts 10.0.0.1; the new host has 0 packets
  const l = layer(60);
  const src = t.ip(l, 0, 6, 0); // table full again: the next find evicts
  assert.equal(t.size, 4);
  t.ip(l, 1, 6, 0); // destination 10.1.0.1 is new: eviction must keep `src` though it has 0 packets
  assert.deepEqual(
    t.rows().map((r) => r.ip),
    ['10.0.0.3', '10.0.0.4', '10.0.0.60', '10.1.0.1'],
  );
  assert.equal(t.ip(l, 0, 7, 0), src);
});

/** Ethernet + IPv4 + UDP 10.0.<s>.<s> -> 10.1.0.1, TTL as given (annotated offsets below). */
function udp4(s: number, ttl: number): Uint8Array {
  const f = new Uint8Array(14 + 20 + 8);
  f.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00]); // dst MAC, src MAC, ethertype IPv4
  // version/IHL, TOS, total length 28, id, flags/fragment, TTL, protocol 17, checksum, src, dst
  f.set([0x45, 0, 0, 28, 0, 0, 0, 0, ttl, 17, 0, 0, 10, 0, s >> 8, s & 255, 10, 1, 0, 1], 14);
  f.set([0x30, 0x39, 0x30, 0x39, 0, 8, 0, 0], 34); // ports 12345 -> 12345, length 8
  return f;
}

/** Ethernet + IPv6 + UDP 2001:db8::1 -> 2001:db8::2 with the given hop limit. */
function udp6(hop: number): Uint8Array {
  const f = new Uint8Array(14 + 40 + 8);
  f.set([2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x86, 0xdd]);
  f.set([0x60, 0, 0, 0, 0, 8, 17, hop], 14); // version 6, payload length 8, next header UDP, hop limit
  f.set([0x20, 0x01, 0x0d, 0xb8], 22); // source 2001:db8::1
  f[37] = 1;
  f.set([0x20, 0x01, 0x0d, 0xb8], 38); // destination 2001:db8::2
  f[53] = 2;
  f.set([0x30, 0x39, 0x00, 0x35, 0, 8, 0, 0], 54);
  return f;
}

function run(frames: Uint8Array[], opts: ConstructorParameters<typeof Analysis>[0] = {}) {
  const a = new Analysis(opts);
  const rec = new PacketRecord();
  frames.forEach((f, i) => {
    rec.n = i + 1;
    rec.buf = f;
    rec.off = 0;
    rec.caplen = rec.len = f.length;
    rec.linkType = 1;
    rec.tsSec = 1000 + i;
    rec.tsNsec = 0;
    rec.fileOffset = 24 + i * 100;
    a.addPacket(rec);
  });
  return a.finish();
}

test('analysis: hosts carry the TTL / hop limit range of what they sent', () => {
  const r = run([udp4(1, 64), udp4(1, 61), udp4(1, 63), udp6(255), udp6(254)]);
  const by = new Map(r.hosts.map((h) => [h.ip, [h.ttl_min, h.ttl_max]]));
  assert.deepEqual(by.get('10.0.0.1'), [61, 64]);
  assert.deepEqual(by.get('10.1.0.1'), [null, null]);
  assert.deepEqual(by.get('2001:db8::1'), [254, 255]);
});

test('analysis: a flood of spoofed sources stays under maxHosts and says so as an E_LIMIT problem', () => {
  const frames: Uint8Array[] = [];
  for (let i = 1; i <= 200; i++) frames.push(udp4(i, 50));
  const r = run(frames, { maxHosts: 40, fileNames: ['flood.pcap'] });
  assert.ok(r.hosts.length <= 40, `${r.hosts.length} hosts`);
  // the destination gets every packet: never the quietest
  assert.ok(r.hosts.some((h) => h.ip === '10.1.0.1' && h.packets_recv === 200));
  const p = r.problems.find((x) => x.code === 'E_LIMIT');
  assert.ok(p, JSON.stringify(r.problems));
  assert.equal(p.file, 'flood.pcap');
  assert.equal(p.packet, 40);
  assert.match(p.message, /limit of 40 addresses: \d+ host\(s\)/);
  assert.equal(r.flows.length, 200);
});
