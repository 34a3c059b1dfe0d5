import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeDns, looksLikeDnsTcp } from './heuristic.js';

/** Annotated hex: '#' starts a comment to the end of the line; anything else but hex digits is ignored. */
const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .replace(/#.*$/gm, '')
      .replace(/[^0-9a-f]/gi, '')
      .match(/../g)!
      .map((h) => parseInt(h, 16)),
  );
const yes = (b: Uint8Array): boolean => looksLikeDns(b, 0, b.length);

const QUERY = `
  abcd 0100 0001 0000 0000 0000     # id, RD, 1 question
  07 6578616d706c65 03 636f6d 00    # example.com
  0001 0001                         # A IN`;

test('a query, a response with a compressed answer and an EDNS query pass', () => {
  assert.equal(yes(hex(QUERY)), true);
  const resp = hex(`
    abcd 8180 0001 0001 0000 0000   # QR RD RA, 1 question, 1 answer
    07 6578616d706c65 03 636f6d 00 0001 0001
    c00c 0001 0001 0000003c 0004 c0000201   # -> example.com A IN ttl 60 192.0.2.1`);
  assert.equal(yes(resp), true);
  const edns = hex(`
    1234 0120 0001 0000 0000 0001   # RD AD, 1 question, 1 additional
    03 777777 07 6578616d706c65 03 6f7267 00 001c 0001   # www.example.org AAAA IN
    00 0029 1000 00000000 0000      # OPT: root owner, UDP size 4096 in the class field, no options`);
  assert.equal(yes(edns), true);
});

test('header oddities are refused', () => {
  const q = hex(QUERY);
  const flip = (i: number, v: number): Uint8Array => {
    const c = q.slice();
    c[i] = v;
    return c;
  };
  assert.equal(yes(flip(3, 0x03)), false, 'a query with rcode 3');
  assert.equal(yes(flip(3, 0x80)), false, 'RA in a query');
  assert.equal(yes(flip(2, 0x05)), false, 'AA in a plain query');
  assert.equal(yes(flip(2, 0x09)), false, 'opcode 1 (IQUERY)');
  assert.equal(yes(flip(2, 0x31)), false, 'opcode 6');
  assert.equal(yes(flip(3, 0x40)), false, 'Z bit');
  assert.equal(yes(flip(5, 0x00)), false, 'a query without a question');
  assert.equal(yes(flip(5, 0x20)), false, '32 questions');
  assert.equal(yes(flip(7, 0x01)), false, 'an answer counted but absent');
  assert.equal(yes(flip(26, 0x00)), false, 'qtype 0');
  assert.equal(yes(flip(28, 0x09)), false, 'class 9');
  assert.equal(yes(flip(13, 0x0a)), false, 'a control byte in the name');
  assert.equal(yes(flip(12, 0x08)), false, 'a label running into the next');
});

test('the message must end where its last record ends', () => {
  const q = hex(QUERY);
  assert.equal(looksLikeDns(q, 0, q.length - 1), false, 'cut short');
  const longer = new Uint8Array(q.length + 1);
  longer.set(q);
  assert.equal(yes(longer), false, 'a byte left over');
});

test('pointers must point backwards past the header; compressed question names are fine', () => {
  const fwd = hex(`
    0001 8180 0001 0001 0000 0000
    03 777777 c01e 0001 0001        # www + pointer to offset 30 (ahead of itself)
    c00c 0001 0001 00000001 0004 01020304`);
  assert.equal(yes(fwd), false);
  const intoHeader = hex(`0001 0100 0001 0000 0000 0000  c002 0001 0001`);
  assert.equal(yes(intoHeader), false);
  const twoQuestions = hex(`
    0002 0000 0002 0000 0000 0000   # mDNS-style query, 2 questions
    07 7072696e746572 05 6c6f63616c 00 0001 8001   # printer.local A, unicast-response bit
    c00c 001c 0001                  # same name, AAAA`);
  assert.equal(yes(twoQuestions), true);
});

test('foreign UDP payloads are not DNS', () => {
  // QUIC v1 Initial: long header 0xc3, version 00000001 (would be flags 0x0001: rcode 1 in a query)
  const quic = hex(`c3 00000001 08 0102030405060708 00 0044d0 00000000 00000000 00000000 00000000`);
  assert.equal(yes(quic), false);
  const ntp = new Uint8Array(48);
  ntp[0] = 0x23;
  assert.equal(yes(ntp), false);
  const sip = new TextEncoder().encode('OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n');
  assert.equal(yes(sip), false);
  // a pseudo-random fill never passes (xorshift, fixed seed, 2000 payloads of 20..300 bytes)
  let x = 0x9e3779b9;
  let hits = 0;
  for (let n = 0; n < 2000; n++) {
    const b = new Uint8Array(20 + (n % 281));
    for (let i = 0; i < b.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = x & 0xff;
    }
    if (yes(b)) hits++;
  }
  assert.equal(hits, 0);
});

test('TCP: one whole message behind its length', () => {
  const q = hex(QUERY);
  const framed = new Uint8Array(q.length + 2);
  framed[1] = q.length;
  framed.set(q, 2);
  assert.equal(looksLikeDnsTcp(framed, 0, framed.length), true);
  framed[1] = q.length + 1;
  assert.equal(looksLikeDnsTcp(framed, 0, framed.length), false, 'length prefix promising more');
  assert.equal(looksLikeDnsTcp(q, 0, q.length), false, 'no prefix');
});
