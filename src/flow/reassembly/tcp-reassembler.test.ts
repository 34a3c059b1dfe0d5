import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TcpReassembler } from './tcp-reassembler.js';
import { StreamIndex } from './stream-index.js';
import {
  ReassemblyBudget,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
  TcpSegmentIn,
  type Dir,
  type ReassemblyProblem,
  type StreamSink,
} from './types.js';

/** Records everything a sink is told, with stream bytes concatenated per direction ('?' marks gap bytes). */
class Recorder implements StreamSink {
  text: [string, string] = ['', ''];
  events: string[] = [];
  index = new StreamIndex();
  data(dir: Dir, bytes: Uint8Array, off: number, ref: import('./types.js').StreamRef): void {
    assert.equal(off, this.text[dir].length, 'stream offset continues');
    this.text[dir] += new TextDecoder().decode(bytes);
    this.index.add(ref);
  }
  gap(dir: Dir, off: number, len: number): void {
    assert.equal(off, this.text[dir].length);
    this.text[dir] += '?'.repeat(len);
    this.events.push(`gap${dir}:${off}+${len}`);
    this.index.addGap(dir, off, len);
  }
  end(dir: Dir, reason: string): void {
    this.events.push(`end${dir}:${reason}`);
  }
}

/** Tiny TCP segment builder: payload text placed after a fake 54-byte header inside a fresh frame. */
let frameNo = 0;
function seg(dir: Dir, seq: number, payload = '', flags = TCP_ACK, ack = 0): TcpSegmentIn {
  const s = new TcpSegmentIn();
  const body = new TextEncoder().encode(payload);
  const frame = new Uint8Array(54 + body.length);
  frame.set(body, 54);
  s.dir = dir;
  s.seq = seq >>> 0;
  s.ack = ack >>> 0;
  s.flags = flags;
  s.buf = frame;
  s.off = 54;
  s.len = body.length;
  s.packet = ++frameNo;
  s.frameOffset = frameNo * 1000;
  s.payloadOffset = 54;
  return s;
}

test('in-order stream after a handshake, FIN ends each side', () => {
  const r = new Recorder();
  const t = new TcpReassembler(r);
  t.segment(seg(0, 100, '', TCP_SYN));
  t.segment(seg(1, 500, '', TCP_SYN | TCP_ACK, 101));
  t.segment(seg(0, 101, 'GET / HTTP/1.1\r\n'));
  t.segment(seg(0, 117, '\r\n'));
  t.segment(seg(1, 501, 'HTTP/1.1 200 OK\r\n\r\n', TCP_ACK | TCP_FIN));
  t.segment(seg(0, 119, '', TCP_ACK | TCP_FIN));
  assert.equal(r.text[0], 'GET / HTTP/1.1\r\n\r\n');
  assert.equal(r.text[1], 'HTTP/1.1 200 OK\r\n\r\n');
  assert.deepEqual(r.events, ['end1:fin', 'end0:fin']);
  // follow-stream refs point back into the frames
  const e = r.index.entries[0]!;
  assert.equal(e.payloadOffset, 54);
  assert.equal(e.len, 16);
  assert.equal(e.streamOffset, 0);
});

test('out-of-order segments are held and delivered in order', () => {
  const r = new Recorder();
  const t = new TcpReassembler(r);
  t.segment(seg(0, 1000, '', TCP_SYN));
  t.segment(seg(0, 1011, 'world'));
  t.segment(seg(0, 1006, ' big '));
  assert.equal(r.text[0], '');
  assert.equal(t.heldBytes(), 10);
  t.segment(seg(0, 1001, 'hello'));
  assert.equal(r.text[0], 'hello big world');
  assert.equal(t.heldBytes(), 0);
  assert.equal(t.stats(0).outOfOrder, 2);
});

test('retransmissions and overlaps: the first copy wins', () => {
  const r = new Recorder();
  const t = new TcpReassembler(r);
  t.segment(seg(0, 1, '', TCP_SYN));
  t.segment(seg(0, 2, 'abcdef'));
  t.segment(seg(0, 2, 'XXXXXX')); // full retransmission with different bytes
  t.segment(seg(0, 5, 'YYYghi')); // overlaps 3 delivered bytes
  assert.equal(r.text[0], 'abcdefghi');
  // held overlap: 'mnop' held first at 14, then 'jklMNOPq' covering it arrives in order
  t.segment(seg(0, 14, 'mnop'));
  t.segment(seg(0, 11, 'jklMNOPq'));
  assert.equal(r.text[0], 'abcdefghijklmnopq');
  // two held pieces overlapping each other, then the hole is filled
  t.segment(seg(0, 22, 'uvw'));
  t.segment(seg(0, 20, 'stUVWxy'));
  t.segment(seg(0, 19, 'r'));
  assert.equal(r.text[0], 'abcdefghijklmnopqrstuvwxy');
  assert.ok(t.stats(0).dupBytes >= 6 + 3 + 4 + 3);
});

test('sequence numbers wrap around 2^32', () => {
  const r = new Recorder();
  const t = new TcpReassembler(r);
  t.segment(seg(0, 0xfffffff0, '', TCP_SYN));
  t.segment(seg(0, 0xfffffff1 + 10, 'KLMNOPQRST')); // crosses the wrap, held
  t.segment(seg(0, 0xfffffff1, '0123456789'));
  t.segment(seg(0, 9, 'UV')); // 0xfffffff1 + 20 wraps to 5... check below
  assert.equal(r.text[0].slice(0, 20), '0123456789KLMNOPQRST');
  // 0xfffffff1 + 20 = 0x100000005 -> 5; 'UV' at 9 is 4 ahead: held until a peer ACK or close
  t.segment(seg(0, 5, 'abcd'));
  assert.equal(r.text[0], '0123456789KLMNOPQRSTabcdUV');
});

test('a hole acknowledged by the peer becomes a gap; close flushes the rest after a gap', () => {
  const r = new Recorder();
  const t = new TcpReassembler(r);
  t.segment(seg(0, 0, '', TCP_SYN));
  t.segment(seg(0, 1, 'aaaa'));
  t.segment(seg(0, 9, 'cccc')); // bytes 5..8 never captured
  t.segment(seg(1, 0, '', TCP_ACK, 13)); // server acks everything
  assert.equal(r.text[0], 'aaaa????cccc');
  assert.deepEqual(r.events, ['gap0:4+4']);
  t.segment(seg(0, 20, 'eeee'));
  t.close();
  assert.equal(r.text[0], 'aaaa????cccc???????eeee');
  assert.equal(t.stats(0).gapBytes, 11);
  assert.deepEqual(r.index.gaps, [
    [0, 4, 4],
    [0, 12, 7],
  ]);
  assert.deepEqual(r.events.slice(-2), ['end0:close', 'end1:close']);
});

test('midstream pickup starts at the first segment seen; RST ends a direction', () => {
  const r = new Recorder();
  const t = new TcpReassembler(r);
  t.segment(seg(1, 777777, 'middle of'));
  t.segment(seg(1, 777786, ' it'));
  t.segment(seg(1, 777789, '', TCP_RST));
  t.segment(seg(1, 777789, 'after reset'));
  assert.equal(r.text[1], 'middle of it');
  assert.deepEqual(r.events, ['end1:rst']);
});

test('data past the FIN is ignored; FIN ahead of a hole waits for it', () => {
  const r = new Recorder();
  const t = new TcpReassembler(r);
  t.segment(seg(0, 0, '', TCP_SYN));
  t.segment(seg(0, 4, 'def', TCP_ACK | TCP_FIN));
  assert.deepEqual(r.events, []);
  t.segment(seg(0, 1, 'abc'));
  assert.equal(r.text[0], 'abcdef');
  assert.deepEqual(r.events, ['end0:fin']);
  t.segment(seg(0, 7, 'zzz'));
  assert.equal(r.text[0], 'abcdef');
});

test('per-direction limit forces gaps and reports a problem, nothing silently lost', () => {
  const r = new Recorder();
  const problems: ReassemblyProblem[] = [];
  const limits = { maxHeldBytesPerDir: 10, maxHeldSegmentsPerDir: 100, maxAheadBytes: 1000 };
  const t = new TcpReassembler(r, new ReassemblyBudget(), limits, (p) => problems.push(p));
  t.segment(seg(0, 0, '', TCP_SYN));
  t.segment(seg(0, 3, 'BBBB')); // hole at 1..2
  t.segment(seg(0, 9, 'DDDD')); // hole at 7..8
  t.segment(seg(0, 15, 'FFFF')); // would make 12 held bytes > 10
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.message, /limit/);
  assert.equal(r.text[0], '??BBBB');
  assert.ok(t.heldBytes() <= 10);
  t.close();
  assert.equal(r.text[0], '??BBBB??DDDD??FFFF');
});

test('total budget across flows is bounded', () => {
  const budget = new ReassemblyBudget(16);
  const problems: ReassemblyProblem[] = [];
  const a = new Recorder();
  const b = new Recorder();
  const ta = new TcpReassembler(a, budget, undefined, (p) => problems.push(p));
  const tb = new TcpReassembler(b, budget, undefined, (p) => problems.push(p));
  ta.segment(seg(0, 0, '', TCP_SYN));
  tb.segment(seg(0, 0, '', TCP_SYN));
  ta.segment(seg(0, 5, '0123456789'));
  assert.equal(budget.used, 10);
  tb.segment(seg(0, 5, '0123456789')); // 20 > 16: b gives up its hole
  assert.equal(problems.length, 1);
  assert.equal(b.text[0], '????0123456789');
  assert.equal(budget.used, 10);
  ta.close();
  assert.equal(budget.used, 0);
  assert.equal(budget.peak, 10);
});

test('a segment absurdly far ahead declares a gap instead of holding', () => {
  const r = new Recorder();
  const problems: ReassemblyProblem[] = [];
  const t = new TcpReassembler(
    r,
    new ReassemblyBudget(),
    { maxHeldBytesPerDir: 1 << 20, maxHeldSegmentsPerDir: 64, maxAheadBytes: 100 },
    (p) => problems.push(p),
  );
  t.segment(seg(0, 0, '', TCP_SYN));
  t.segment(seg(0, 1001, 'far'));
  assert.equal(r.text[0].length, 1003);
  assert.equal(problems.length, 1);
});

test('many tiny out-of-order pieces stay within the piece limit', () => {
  const r = new Recorder();
  const t = new TcpReassembler(r, new ReassemblyBudget(), {
    maxHeldBytesPerDir: 1 << 20,
    maxHeldSegmentsPerDir: 8,
    maxAheadBytes: 1 << 20,
  });
  t.segment(seg(0, 0, '', TCP_SYN));
  for (let i = 0; i < 50; i++) t.segment(seg(0, 3 + 2 * i, 'x'));
  t.close();
  assert.equal(r.text[0].length, 2 + 2 * 49 + 1);
  assert.equal(r.text[0].replace(/\?/g, '').length, 50);
});
