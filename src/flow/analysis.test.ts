import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacketRecord } from '../wire/record.js';
import { Analysis } from './analysis.js';

const MAC_A = [0, 0, 0, 0, 0, 0x0a];
const MAC_B = [0, 0, 0, 0, 0, 0x0b];

/** Ethernet + IPv4 + TCP frame from 10.0.0.<s>:<sp> to 10.0.0.<d>:<dp>. */
function tcp(s: number, d: number, sp: number, dp: number, flags: number, seq: number): Uint8Array {
  const f = new Uint8Array(14 + 20 + 20);
  f.set(s === 1 ? [...MAC_B, ...MAC_A] : [...MAC_A, ...MAC_B]);
  f.set([0x08, 0x00], 12);
  f.set([0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, s, 10, 0, 0, d], 14);
  f.set(
    [sp >> 8, sp & 255, dp >> 8, dp & 255, seq >>> 24, (seq >>> 16) & 255, (seq >>> 8) & 255, seq & 255],
    34,
  );
  f.set([0, 0, 0, 0, 0x50, flags, 0xff, 0xff], 42);
  return f;
}

function udp(s: number, d: number, sp: number, dp: number): Uint8Array {
  const f = new Uint8Array(14 + 20 + 8 + 4);
  f.set([...MAC_B, ...MAC_A, 0x08, 0x00]);
  f.set([0x45, 0, 0, 32, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, s, 10, 0, 0, d], 14);
  f.set([sp >> 8, sp & 255, dp >> 8, dp & 255, 0, 12, 0, 0], 34);
  return f;
}

function feed(a: Analysis, frames: Uint8Array[], t0 = 1000, step = 1): void {
  const rec = new PacketRecord();
  frames.forEach((f, i) => {
    rec.n = i + 1;
    rec.buf = f;
    rec.off = 0;
    rec.caplen = rec.len = f.length;
    rec.linkType = 1;
    rec.tsSec = t0 + i * step;
    rec.tsNsec = 0;
    a.addPacket(rec);
  });
}

const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;

test('tcp: handshake, close, state and flags; a reused 4-tuple with a new ISN is a new conversation', () => {
  const a = new Analysis();
  feed(a, [
    tcp(1, 2, 40000, 80, SYN, 1000),
    tcp(1, 2, 40000, 80, SYN, 1000), // retransmitted SYN: same stream
    tcp(2, 1, 80, 40000, SYN | ACK, 5000),
    tcp(1, 2, 40000, 80, ACK, 1001),
    tcp(1, 2, 40000, 80, FIN | ACK, 1001),
    tcp(2, 1, 80, 40000, FIN | ACK, 5001),
    tcp(1, 2, 40000, 80, SYN, 9000), // new ISN: new stream
  ]);
  const r = a.finish();
  const flows = r.flows.filter((f) => f.proto === 'tcp');
  assert.equal(flows.length, 2);
  assert.equal(flows[0]!.packets_fwd, 4);
  assert.equal(flows[0]!.packets_rev, 2);
  assert.equal(flows[0]!.src_ip, '10.0.0.1');
  assert.equal(flows[0]!.dst_port, 80);
  assert.equal(flows[0]!.tcp_state, 'closed');
  assert.equal(flows[0]!.tcp_flags, 'FSA');
  assert.equal(flows[0]!.src_mac, '00:00:00:00:00:0a');
  assert.equal(flows[1]!.tcp_state, 'syn');
  assert.equal(flows[1]!.packets_fwd, 1);
  const server = r.hosts.find((h) => h.ip === '10.0.0.2')!;
  assert.deepEqual(server.server_ports, [80]);
  assert.equal(server.peers, 1);
  assert.deepEqual(server.macs, ['00:00:00:00:00:0b']);
  assert.equal(r.protocols.tcp, 7);
  assert.equal(r.protocols.ipv4, 7);
});

test('tcp: a capture starting mid-connection is midstream', () => {
  const a = new Analysis();
  feed(a, [tcp(2, 1, 80, 40000, ACK, 7), tcp(1, 2, 40000, 80, ACK, 9)]);
  const f = a.finish().flows[0]!;
  assert.equal(f.tcp_state, 'midstream');
  assert.equal(f.src_port, 80);
});

test('udp: the answering port is a server port; idle timeout splits a conversation', () => {
  const a = new Analysis({ idleTimeoutSec: 60 });
  feed(a, [udp(1, 2, 5353, 53), udp(2, 1, 53, 5353)], 0, 1);
  feed(a, [udp(1, 2, 5353, 53)], 500);
  const r = a.finish();
  assert.equal(r.flows.length, 2);
  assert.equal(r.flows[0]!.packets_rev, 1);
  assert.deepEqual(r.hosts.find((h) => h.ip === '10.0.0.2')!.server_ports, [53]);
});

test('onPacket sees the flow and the direction', () => {
  const dirs: number[] = [];
  const a = new Analysis({ onPacket: (_p, f, dir) => (f ? dirs.push(dir) : undefined) });
  feed(a, [tcp(1, 2, 1, 2, SYN, 0), tcp(2, 1, 2, 1, SYN | ACK, 0), tcp(1, 2, 1, 2, ACK, 1)]);
  assert.deepEqual(dirs, [0, 1, 0]);
});

test('arp: a link-layer conversation per MAC pair and MAC hosts', () => {
  const f = new Uint8Array(42);
  f.set([255, 255, 255, 255, 255, 255, ...MAC_A, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1, ...MAC_A, 10, 0, 0, 1]);
  const a = new Analysis();
  feed(a, [f, f]);
  const r = a.finish();
  assert.equal(r.flows.length, 1);
  assert.equal(r.flows[0]!.proto, 'arp');
  assert.equal(r.flows[0]!.src_ip, '00:00:00:00:00:0a');
  assert.equal(r.flows[0]!.dst_ip, 'ff:ff:ff:ff:ff:ff');
  assert.equal(r.flows[0]!.packets_fwd, 2);
  assert.equal(r.flows[0]!.community_id, null);
  assert.deepEqual(
    r.hosts.map((h) => h.kind),
    ['mac', 'mac'],
  );
});

test('random bytes on every link type never throw', () => {
  const a = new Analysis();
  const rec = new PacketRecord();
  let seed = 1;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  for (const lt of [0, 1, 9, 12, 101, 104, 105, 108, 113, 127, 228, 229, 239, 276, 284]) {
    for (let i = 0; i < 300; i++) {
      const n = rnd() % 120;
      const b = new Uint8Array(n).map(rnd);
      // plausible first bytes make the decoders go deeper
      if (n > 0 && i % 2) b[0] = lt === 1 ? b[0]! : 0x45;
      rec.buf = b;
      rec.caplen = n;
      rec.len = n + (i % 3);
      rec.linkType = lt;
      rec.tsSec = i;
      a.addPacket(rec);
    }
  }
  const r = a.finish();
  assert.equal(r.packets, 15 * 300);
});

const RST = 0x04;

test('timeouts: a closed TCP conversation lingers for late segments, then ends; an open one stays', () => {
  const closed = [
    tcp(1, 2, 40001, 80, SYN, 1),
    tcp(2, 1, 80, 40001, SYN | ACK, 7),
    tcp(1, 2, 40001, 80, ACK, 2),
    tcp(1, 2, 40001, 80, FIN | ACK, 2),
    tcp(2, 1, 80, 40001, FIN | ACK, 8),
  ];
  // a late ACK 30 s after both FINs joins (default linger 60 s) ...
  const a = new Analysis();
  feed(a, closed, 1000, 1);
  feed(a, [tcp(1, 2, 40001, 80, ACK, 3)], 1034);
  assert.equal(a.finish().flows.length, 1);
  // ... one 120 s later, after other traffic moved the clock on, starts a new conversation
  const b = new Analysis();
  const ended: number[] = [];
  const c = new Analysis({ onFlow: (r) => ended.push(r.id) });
  for (const x of [b, c]) {
    feed(x, closed, 1000, 1);
    feed(x, [udp(3, 4, 1000, 2000)], 1100);
    feed(x, [tcp(1, 2, 40001, 80, ACK, 3)], 1124);
  }
  assert.equal(b.finish().flows.length, 3);
  assert.deepEqual(ended, [1], 'the closed flow is emitted as soon as its linger is over');
  // a RST ends the same way; an established conversation silent for 300 s does not end
  const d = new Analysis({ timeouts: { tcpClosedSec: 5 } });
  feed(d, [tcp(1, 2, 40002, 80, SYN, 1), tcp(2, 1, 80, 40002, RST | ACK, 0)], 1000);
  feed(
    d,
    [tcp(1, 2, 40003, 80, SYN, 1), tcp(2, 1, 80, 40003, SYN | ACK, 9), tcp(1, 2, 40003, 80, ACK, 2)],
    1001,
  );
  feed(d, [udp(3, 4, 1000, 2000)], 1010);
  feed(d, [tcp(1, 2, 40003, 80, ACK, 2), tcp(1, 2, 40002, 80, ACK, 2)], 1300);
  const rows = d.finish().flows;
  assert.deepEqual(
    rows.map((r) => `${r.src_port}>${r.dst_port} ${r.packets_fwd + r.packets_rev}`),
    ['40002>80 2', '40003>80 4', '1000>2000 1', '40002>80 1'],
  );
});

test('timeouts: UDP and other conversations end after otherSec; idleTimeoutSec caps every class', () => {
  const a = new Analysis({ timeouts: { otherSec: 100 } });
  feed(a, [udp(1, 2, 5000, 53), udp(2, 1, 53, 5000)], 1000);
  feed(a, [tcp(1, 2, 40000, 80, SYN, 1)], 1099);
  feed(a, [udp(1, 2, 5000, 53)], 1150); // 149 s after the last packet: a new conversation
  assert.equal(a.finish().flows.filter((r) => r.proto === 'udp').length, 2);
  const b = new Analysis({ idleTimeoutSec: 20 });
  feed(b, [tcp(1, 2, 40000, 80, SYN, 1)], 1000);
  feed(b, [udp(3, 4, 1, 2)], 1030);
  feed(b, [tcp(1, 2, 40000, 80, ACK, 2)], 1031);
  assert.equal(b.finish().flows.length, 3);
});

test('hosts: false keeps no host table but the same flows', () => {
  const frames = [tcp(1, 2, 40000, 80, SYN, 1), tcp(2, 1, 80, 40000, SYN | ACK, 5), udp(1, 2, 5353, 53)];
  const withHosts = new Analysis();
  const without = new Analysis({ hosts: false });
  feed(withHosts, frames);
  feed(without, frames);
  const r1 = withHosts.finish();
  const r2 = without.finish();
  assert.equal(r1.hosts.length, 2);
  assert.equal(r1.hosts.find((h) => h.ip === '10.0.0.2')!.peers, 1);
  assert.deepEqual(r2.hosts, []);
  assert.deepEqual(r2.flows, r1.flows);
});
