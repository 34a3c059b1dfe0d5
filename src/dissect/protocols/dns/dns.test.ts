import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DnsMessageReader, decodeDns, recordText, splitTcpDns, typeValueText } from './decode.js';
import { looksLikeDns } from './index.js';

/** Annotated hex: '#' starts a comment to the end of the line; anything else but hex digits is ignored. */
const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .replace(/#.*$/gm, '')
      .replace(/[^0-9a-f]/gi, '')
      .match(/../g)!
      .map((h) => parseInt(h, 16)),
  );

// dns-many-types.pcap frame 2: response for www.google.com A, 5 answers all compressed to offset 12
const GOOGLE = hex(`
  8185 8180 0001 0005 0000 0000            # id 0x8185, QR RD RA, 1 question, 5 answers
  03 777777 06 676f6f676c65 03 636f6d 00   # www.google.com
  0001 0001                                # A IN
  c00c 0001 0001 00000070 0004 adc27013    # -> offset 12, A IN ttl 112, 173.194.112.19
  c00c 0001 0001 00000070 0004 adc27012
  c00c 0001 0001 00000070 0004 adc27011
  c00c 0001 0001 00000070 0004 adc27010
  c00c 0001 0001 00000070 0004 adc27014`);

test('decodes a real response with compressed answers', () => {
  const m = decodeDns(GOOGLE, 0, GOOGLE.length)!;
  assert.equal(m.id, 0x8185);
  assert.equal(m.qr, true);
  assert.equal(m.rd && m.ra, true);
  assert.equal(m.rcode, 0);
  assert.deepEqual(m.questions, [{ name: 'www.google.com', type: 1, class: 1 }]);
  assert.equal(m.answers.length, 5);
  assert.deepEqual(
    m.answers.map((a) => a.value),
    ['173.194.112.19', '173.194.112.18', '173.194.112.17', '173.194.112.16', '173.194.112.20'],
  );
  assert.equal(m.answers[0]!.ttl, 112);
  assert.equal(m.answers[0]!.name, 'www.google.com');
  assert.equal(m.truncated, false);
  assert.equal(looksLikeDns(GOOGLE, 0, GOOGLE.length), true);
  assert.equal(looksLikeDns(GOOGLE, 0, 16), false);
});

// dns-many-types.pcap frame 20: NXDOMAIN for wpad.HOME with the root SOA in authority
const WPAD = hex(`
  0b61 8183 0001 0000 0001 0000
  04 77706164 04 484f4d45 00 0001 0001
  00 0006 0001 00000a26 0040
    01 61 0c 726f6f742d73657276657273 03 6e6574 00      # a.root-servers.net
    05 6e73746c64 0c 766572697369676e2d677273 03 636f6d 00   # nstld.verisign-grs.com
    780cbe6c 00000708 00000384 00093a80 00015180`);

test('decodes SOA in the authority section of an NXDOMAIN', () => {
  const m = decodeDns(WPAD, 0, WPAD.length)!;
  assert.equal(m.rcode, 3);
  assert.equal(m.questions[0]!.name, 'wpad.HOME');
  assert.equal(m.authority.length, 1);
  assert.equal(m.authority[0]!.name, '<Root>');
  assert.equal(
    recordText(m.authority[0]!),
    'SOA a.root-servers.net nstld.verisign-grs.com 2014101100 1800 900 604800 86400',
  );
});

// ipv6-fragments-mdns.pcap: mDNS probe with 23 questions and SRV/AAAA/A records in authority, names with spaces
const MDNS = hex(
  '0000000000170000000b00010b5f6166706f766572746370045f746370056c6f63616c00000c8001045f736d62c018000c8001045f726662c018000c8001065f616469736bc018000c8001085f616972706f7274c018000c80010d5f6170706c6574762d70616972c018000c8001085f6170706c657476c018000c8001255f30303030303030302d303133342d363931362d666630342d386335643737646534323733045f7375620d5f686f6d652d73686172696e67c018000c8001055f64616170c018000c80010d5f746f7563682d72656d6f7465c018000c8001055f72616f70c018000c8001075f6f7378737672c018000c800108526f73636f726969c00c00ff800108526f73636f726969045f667470c01800ff800108526f73636f726969c02800ff800108526f73636f726969045f737368c01800ff800108526f73636f726969095f736674702d737368c01800ff80010a4361747320436c617773c0bc00ff80011c6954756e65735f4374726c5f38443436463333313346373735373741055f64616370c01800ff80010a4361747320436c617773c0a800ff80011435302d33372d37312d373220526f73636f7269690c5f736c6565702d70726f7879045f756470c01d00ff800108526f73636f726969c01d00ff8001c1cd00ff8001c0f600210001000000780008000000000224c1cdc10500210001000000780008000000000015c1cdc119002100010000007800080000000001bdc1cdc12800210001000000780008000000000016c1cdc13c00210001000000780008000000000016c1cdc15500210001000000780008000000000e69c1cdc16600210001000000780008000000000e69c1cdc18f00210001000000780008000000000e69c1cdc1a00021000100000078000800000000f999c1cdc1cd001c0001000000780010fe80000000000000021ff3fffecdf617c1cd00010001000000780004c0a8010300002905a000001194000c00040008000b001ff3cdf6175127c6b5',
);

test('decodes an mDNS probe: 23 questions, SRV/AAAA/A in authority (names with spaces), OPT in additional', () => {
  const m = decodeDns(MDNS, 0, MDNS.length)!;
  assert.equal(m.qdcount, 23);
  assert.equal(m.questions.length, 23);
  assert.equal(m.truncated, false);
  assert.equal(m.questions[0]!.name, '_afpovertcp._tcp.local');
  assert.equal(m.questions[0]!.class, 0x8001); // unicast-response bit kept in the raw class
  assert.equal(m.questions[7]!.name, '_00000000-0134-6916-ff04-8c5d77de4273._sub._home-sharing._tcp.local');
  assert.equal(m.authority.length, 11);
  assert.equal(m.authority[5]!.name, 'Cats Claws._daap._tcp.local');
  assert.equal(recordText(m.authority[5]!), 'SRV 0 0 3689 Roscorii.local');
  assert.equal(recordText(m.authority[9]!), 'AAAA fe80::21f:f3ff:fecd:f617');
  assert.equal(recordText(m.authority[10]!), 'A 192.168.1.3');
  assert.equal(recordText(m.additional[0]!), 'OPT');
});

// --- hostile inputs -----------------------------------------------------------------------------------
function msg(body: string, qd = 1, an = 0): Uint8Array {
  const h = `1234 0100 ${qd.toString(16).padStart(4, '0')} ${an.toString(16).padStart(4, '0')} 0000 0000`;
  return hex(h + body);
}

test('pointer to itself is rejected', () => {
  const m = decodeDns(msg('c00c 0001 0001'), 0, 18)!;
  assert.equal(m.questions.length, 0);
  assert.equal(m.truncated, true);
});

test('pointer loop between two labels is rejected', () => {
  // offset 12: label "a" then pointer to 17; offset 17: pointer back to 12 -> loop, the forward one is refused
  const b = msg('01 61 c011 00 c00c 0001 0001');
  const m = decodeDns(b, 0, b.length)!;
  assert.equal(m.questions.length, 0);
  assert.equal(m.truncated, true);
});

test('forward pointer is rejected', () => {
  const b = msg('c010 0001 0001 03 616263 00');
  assert.equal(decodeDns(b, 0, b.length)!.questions.length, 0);
});

test('pointer outside the message is rejected', () => {
  const b = msg('c0ff');
  assert.equal(decodeDns(b, 0, b.length)!.questions.length, 0);
});

test('name longer than 255 octets is rejected', () => {
  const label = '3f' + '61'.repeat(63);
  const b = msg(label.repeat(5) + '00 0001 0001');
  const m = decodeDns(b, 0, b.length)!;
  assert.equal(m.questions.length, 0);
  const ok = msg(label.repeat(3) + '00 0001 0001');
  assert.equal(decodeDns(ok, 0, ok.length)!.questions[0]!.name.length, 63 * 3 + 2);
});

test('absurd counts stop at the end of data and at the record cap', () => {
  const b = msg('01 61 00 0001 0001', 0xffff, 0xffff);
  const m = decodeDns(b, 0, b.length)!;
  assert.equal(m.questions.length, 1);
  assert.equal(m.truncated, true);
  // many answers all pointing at one name: capped at 256
  let body = '01 61 00 0001 0001';
  for (let i = 0; i < 300; i++) body += 'c00c 0001 0001 00000001 0004 01020304';
  const big = msg(body, 1, 300);
  const m2 = decodeDns(big, 0, big.length)!;
  assert.equal(m2.answers.length, 256);
  assert.equal(m2.truncated, true);
});

test('rdlength past the end marks the message truncated, header shorter than 12 is null', () => {
  const b = msg('01 61 00 0001 0001 c00c 0001 0001 00000001 00ff 0102', 1, 1);
  const m = decodeDns(b, 0, b.length)!;
  assert.equal(m.answers.length, 0);
  assert.equal(m.truncated, true);
  assert.equal(decodeDns(b, 0, 11), null);
});

test('reserved label types and control bytes', () => {
  const b = msg('41 61 00 0001 0001');
  assert.equal(decodeDns(b, 0, b.length)!.questions.length, 0);
  const c = msg('03 61 00 2e 00 0001 0001');
  assert.equal(decodeDns(c, 0, c.length)!.questions[0]!.name, 'a\\000.');
});

test('random bytes never throw', () => {
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
  for (let n = 0; n < 2000; n++) {
    const b = new Uint8Array(12 + (n % 200));
    for (let i = 0; i < b.length; i++) b[i] = rnd();
    decodeDns(b, 0, b.length);
  }
  // and mutations of a real message
  for (let n = 0; n < 2000; n++) {
    const b = GOOGLE.slice();
    b[12 + (n % (b.length - 12))] = rnd();
    b[12 + ((n * 7) % (b.length - 12))] = rnd();
    decodeDns(b, 0, b.length);
  }
});

test('DNS over TCP: splits on 2-byte length prefixes and keeps a partial tail', () => {
  const stream = new Uint8Array(2 + GOOGLE.length + 2 + 5);
  stream[0] = GOOGLE.length >> 8;
  stream[1] = GOOGLE.length & 255;
  stream.set(GOOGLE, 2);
  stream[2 + GOOGLE.length] = 0;
  stream[3 + GOOGLE.length] = 40; // announces 40 bytes, only 5 present
  const r = splitTcpDns(stream, 0, stream.length);
  assert.equal(r.messages.length, 1);
  assert.deepEqual(r.messages[0], [2, 2 + GOOGLE.length]);
  assert.equal(r.consumed, 2 + GOOGLE.length);
});

/** What DnsMessageReader read, in decodeDns's shape (header, questions, answers as text), for comparing. */
function readerView(r: DnsMessageReader, ok: boolean): unknown {
  if (!ok) return null;
  const questions = [];
  for (let i = 0; i < r.questionCount; i++)
    questions.push({ name: r.qName[i], type: r.qType[i], class: r.qClass[i] });
  const answers = [];
  for (let i = 0; i < r.answerCount; i++)
    answers.push(`${r.aName[i]} ${r.aTtl[i]} ${typeValueText(r.aType[i]!, r.aValue[i]!)}`);
  const { id, qr, opcode, aa, tc, rd, ra, rcode, qdcount, ancount } = r;
  return { id, qr, opcode, aa, tc, rd, ra, rcode, qdcount, ancount, questions, answers };
}

function decodeView(b: Uint8Array, nbns: boolean): unknown {
  const m = decodeDns(b, 0, b.length, { nbns });
  if (!m) return null;
  const { id, qr, opcode, aa, tc, rd, ra, rcode, qdcount, ancount, questions } = m;
  const answers = m.answers.map((a) => `${a.name} ${a.ttl} ${recordText(a)}`);
  return { id, qr, opcode, aa, tc, rd, ra, rcode, qdcount, ancount, questions, answers };
}

test('the reused reader reads header, questions and answers exactly as decodeDns, message after message', () => {
  const r = new DnsMessageReader();
  const check = (b: Uint8Array, nbns = false): void => {
    assert.deepEqual(readerView(r, r.decode(b, 0, b.length, nbns)), decodeView(b, nbns));
  };
  // a big message, then smaller ones: nothing of the previous message may show through
  check(MDNS);
  check(GOOGLE);
  check(WPAD);
  check(GOOGLE.subarray(0, 40)); // cut inside the answers: the two whole ones are kept
  check(GOOGLE.subarray(0, 11)); // not even a header
  check(msg('01 61 00 0001 0001', 0xffff, 0xffff)); // absurd counts
  let body = '01 61 00 0001 0001';
  for (let i = 0; i < 300; i++) body += 'c00c 0001 0001 00000001 0004 01020304';
  check(msg(body, 1, 300)); // answers capped at 256
  let seed = 11;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 255;
  for (let n = 0; n < 2000; n++) {
    const b = (n & 1 ? MDNS : GOOGLE).slice();
    for (let k = 0; k < 3; k++) b[12 + ((n * (k + 3)) % (b.length - 12))] = rnd();
    check(b, n % 5 === 0);
  }
});

test('names through the text cache: thousands of names, repeated and evicted, read as label-by-label text', () => {
  // the reference: each label as labelText shows it (plain ASCII, \ddd escapes), joined by dots
  const labelRef = (l: number[]): string =>
    l
      .map((b) => (b < 0x20 || b >= 0x7f ? '\\' + String(b).padStart(3, '0') : String.fromCharCode(b)))
      .join('');
  let seed = 11;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8) % n;
  const names: number[][][] = [];
  for (let i = 0; i < 6000; i++) {
    const labels: number[][] = [];
    for (let k = 1 + rnd(4); k > 0; k--) {
      const l: number[] = [];
      for (let j = 1 + rnd(12); j > 0; j--) l.push(rnd(50) === 0 ? rnd(32) : 0x61 + rnd(3));
      labels.push(l);
    }
    names.push(labels);
  }
  const reader = new DnsMessageReader();
  for (let pass = 0; pass < 2; pass++)
    for (let i = 0; i < names.length; i += 1 + pass) {
      const wire = names[i]!.map((l) => [l.length, ...l]).flat();
      // the question's name, then an answer whose name points back to it
      const b = new Uint8Array([
        ...[0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0],
        ...wire,
        ...[0, 0, 1, 0, 1],
        ...[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 10, 0, 0, 1],
      ]);
      const want = names[i]!.map(labelRef).join('.');
      assert.ok(reader.decode(b, 0, b.length, false));
      assert.equal(reader.qName[0], want);
      assert.equal(reader.aName[0], want);
      assert.equal(decodeDns(b, 0, b.length)!.questions[0]!.name, want);
    }
});
