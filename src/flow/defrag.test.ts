import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRAG_PENDING, FRAG_REASSEMBLED, L4_UDP, Packet } from '../dissect/dissector.js';
import { decodeFrame } from '../dissect/decode-packet.js';
import { P_UDP } from '../dissect/proto-ids.js';
import { Defragmenter } from './defrag.js';

/** A UDP datagram 10.0.0.1:1000 -> 10.0.0.2:2000 carrying `n` payload bytes (value = index & 255). */
function udpDatagram(n: number): Uint8Array {
  const d = new Uint8Array(8 + n);
  d.set([0x03, 0xe8, 0x07, 0xd0, (8 + n) >> 8, (8 + n) & 255, 0, 0]);
  for (let i = 0; i < n; i++) d[8 + i] = i & 255;
  return d;
}

/** IPv4 fragment (raw IP) of `data` bytes [from, to) with the given id and MF flag. */
function frag4(data: Uint8Array, from: number, to: number, more: boolean, id = 7): Uint8Array {
  const len = 20 + to - from;
  const fo = from / 8;
  const h = [
    0x45,
    0,
    len >> 8,
    len & 255,
    id >> 8,
    id & 255,
    (more ? 0x20 : 0) | (fo >> 8),
    fo & 255,
    64,
    17,
    0,
    0,
  ];
  const f = new Uint8Array(len);
  f.set(h);
  f.set([10, 0, 0, 1, 10, 0, 0, 2], 12);
  f.set(data.subarray(from, to), 20);
  return f;
}

function run(d: Defragmenter, frames: Uint8Array[], ts = 0): Packet[] {
  return frames.map((f, i) => {
    const p = new Packet();
    p.defrag = d;
    p.tsSec = ts + i;
    decodeFrame(p, 101, f, 0, f.length, f.length);
    return p;
  });
}

test('in-order IPv4 fragments: the last one carries the reassembled UDP datagram', () => {
  const dg = udpDatagram(1992); // 2000 bytes
  const d = new Defragmenter();
  const ps = run(d, [frag4(dg, 0, 800, true), frag4(dg, 800, 1600, true), frag4(dg, 1600, 2000, false)]);
  assert.equal(ps[0]!.layers[0]!.frag, FRAG_PENDING);
  assert.ok(!ps[0]!.has(P_UDP) && !ps[1]!.has(P_UDP));
  const l = ps[2]!.layers[0]!;
  assert.equal(l.frag, FRAG_REASSEMBLED);
  assert.equal(l.l4, L4_UDP);
  assert.equal(l.srcPort, 1000);
  assert.equal(l.payloadLen, 1992);
  assert.equal(l.pbuf[l.payloadOff + 1991], 1991 & 255);
  assert.equal(d.completed, 1);
  assert.equal(d.pending, 0);
  assert.equal(d.heldBytes, 0);
});

test('out-of-order fragments complete on whichever arrives last', () => {
  const dg = udpDatagram(1592);
  const d = new Defragmenter();
  const ps = run(d, [frag4(dg, 1200, 1600, false), frag4(dg, 0, 400, true), frag4(dg, 400, 1200, true)]);
  assert.equal(ps[2]!.layers[0]!.frag, FRAG_REASSEMBLED);
  assert.equal(ps[2]!.layers[0]!.payloadLen, 1592);
  assert.equal(ps[0]!.layers[0]!.frag, FRAG_PENDING);
});

test('overlapping fragments: the first copy of a byte wins', () => {
  const dg = udpDatagram(1592);
  const evil = dg.slice();
  evil.fill(0xee, 400, 1000);
  const d = new Defragmenter();
  const ps = run(d, [frag4(dg, 0, 800, true), frag4(evil, 400, 1200, true), frag4(dg, 1200, 1600, false)]);
  const l = ps[2]!.layers[0]!;
  assert.equal(l.frag, FRAG_REASSEMBLED);
  const out = l.pbuf;
  for (let i = 400; i < 800; i++) assert.equal(out[i], dg[i], `byte ${i}`);
  assert.equal(out[900], 0xee); // only the later fragment had bytes 800..1200
});

test('a hole keeps the datagram pending; interleaved ids reassemble separately', () => {
  const a = udpDatagram(792);
  const b = udpDatagram(392);
  const d = new Defragmenter();
  const ps = run(d, [
    frag4(a, 0, 400, true, 1),
    frag4(b, 0, 200, true, 2),
    frag4(a, 600, 800, false, 1),
    frag4(b, 200, 400, false, 2),
  ]);
  assert.equal(ps[2]!.layers[0]!.frag, FRAG_PENDING); // 400..600 of id 1 missing
  assert.equal(ps[3]!.layers[0]!.frag, FRAG_REASSEMBLED);
  assert.equal(ps[3]!.layers[0]!.payloadLen, 392);
  assert.equal(d.pending, 1);
});

test('limits: total memory overflow drops the oldest datagram; oversize and timeout drop too', () => {
  const dg = udpDatagram(1592);
  const d = new Defragmenter({ maxTotalBytes: 1000, timeoutSec: 30 });
  const reasons: string[] = [];
  d.onDrop = (r) => reasons.push(r);
  run(d, [frag4(dg, 0, 800, true, 1), frag4(dg, 0, 800, true, 2)]);
  assert.deepEqual(reasons, ['overflow']);
  assert.equal(d.pending, 1);
  assert.ok(d.heldBytes <= 1000);
  // a datagram beyond the size limit
  const small = new Defragmenter({ maxDatagramBytes: 1000 });
  run(small, [frag4(dg, 0, 800, true), frag4(dg, 800, 1600, false)]);
  assert.equal(small.drops.oversize, 1);
  // the timeout is in capture time
  const t = new Defragmenter({ timeoutSec: 30 });
  run(t, [frag4(dg, 0, 800, true, 5)], 0);
  const late = run(t, [frag4(dg, 800, 1600, false, 5)], 100);
  assert.equal(t.drops.timeout, 1);
  assert.equal(late[0]!.layers[0]!.frag, FRAG_PENDING);
  // datagram count limit
  const c = new Defragmenter({ maxDatagrams: 2 });
  run(c, [frag4(dg, 0, 8, true, 1), frag4(dg, 0, 8, true, 2), frag4(dg, 0, 8, true, 3)]);
  assert.equal(c.pending, 2);
  assert.equal(c.drops.overflow, 1);
});

test('IPv6 fragments reassemble through the fragment header', () => {
  const dg = udpDatagram(1392); // 1400 bytes
  const mk = (from: number, to: number, more: boolean): Uint8Array => {
    const plen = 8 + to - from;
    const f = new Uint8Array(40 + plen);
    f.set([0x60, 0, 0, 0, plen >> 8, plen & 255, 44, 64]);
    f[8 + 15] = 1; // ::1
    f[24 + 15] = 2; // ::2
    f.set([17, 0, (from >> 8) & 255, (from & 0xf8) | (more ? 1 : 0), 0, 0, 0x12, 0x34], 40);
    f.set(dg.subarray(from, to), 48);
    return f;
  };
  const d = new Defragmenter();
  const ps = run(d, [mk(0, 704, true), mk(704, 1400, false)]);
  assert.equal(ps[0]!.layers[0]!.frag, FRAG_PENDING);
  const l = ps[1]!.layers[0]!;
  assert.equal(l.frag, FRAG_REASSEMBLED);
  assert.equal(l.l4, L4_UDP);
  assert.equal(l.payloadLen, 1392);
  assert.equal(l.ipId, 0x1234);
});
