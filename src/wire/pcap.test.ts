import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPcaplensError } from '../shared/errors.js';
import { openCapture } from './open.js';
import type { PcapReader } from './pcap.js';
import { MemorySource, hex } from './test-support/memory-source.js';
import { readAll, tsText } from './test-support/read-all.js';

// Big-endian nanosecond pcap with FCS bits above the link type, two records.
const BE_NSEC = `
  a1b23c4d 0002 0004            # magic (BE, ns), version 2.4
  00000000 00000000             # thiszone, sigfigs
  0000ffff                      # snaplen 65535
  10000001                      # link type field: FCS bits 0x1000 above LINKTYPE_ETHERNET
  5e0be100 3b9ac9ff             # 24: ts 1577836800 s + 999999999 ns
  00000004 0000003c             # caplen 4, len 60
  01020304
  5e0be101 00000001             # 44: ts 1577836801 s + 1 ns
  00000002 00000002             # caplen 2, len 2
  aabb`;

// Little-endian microsecond pcap whose second record claims 70000 bytes with only 2 present.
const LE_USEC_CUT = `
  d4c3b2a1 0200 0400 00000000 00000000
  00000100 01000000             # snaplen 65536, LINKTYPE_ETHERNET
  01000000 40420f00             # 24: ts 1 s + 1000000 us: an out-of-range fraction
  01000000 01000000 ff
  02000000 00000000             # 41: second record
  70110100 70110100             # caplen = len = 70000
  aabb`;

test('pcap: big-endian nanosecond records, link type masked to 16 bits', async () => {
  const r = (await openCapture(new MemorySource(hex(BE_NSEC)))) as PcapReader;
  assert.equal(r.format, 'pcap');
  assert.equal(r.header.linkTypeField, 0x10000001);
  assert.deepEqual(
    r.interfaces.map((i) => [i.linkType, i.snaplen, i.tsUnitNs]),
    [[1, 65535, 1]],
  );
  const got: string[] = [];
  await readAll(r, (rec) =>
    got.push(
      [
        rec.n,
        rec.fileOffset,
        rec.dataOffset,
        tsText(rec.tsSec, rec.tsNsec),
        rec.caplen,
        rec.len,
        rec.linkType,
        rec.buf[rec.off],
      ].join(' '),
    ),
  );
  assert.deepEqual(got, ['1 24 40 1577836800.999999999 4 60 1 1', '2 44 60 1577836801.000000001 2 2 1 170']);
  assert.deepEqual(r.problems, []);
});

test('pcap: a record cut short is E_TRUNCATED at its offset; the records before are delivered', async () => {
  for (const knownSize of [true, false]) {
    const r = await openCapture(new MemorySource(hex(LE_USEC_CUT), 'cut.pcap', Infinity, knownSize), {
      chunkSize: 32,
    });
    const t = await readAll(r);
    assert.equal(t.packets, 1);
    assert.equal(t.firstTs, '2.000000000', 'the fraction is carried into the seconds');
    assert.deepEqual(
      r.problems.map((p) => [p.file, p.code, p.offset]),
      [['cut.pcap', 'E_TRUNCATED', 41]],
    );
  }
});

test('pcap: caplen above the link type maximum is E_BAD_RECORD and ends the stream', async () => {
  const bytes = hex(LE_USEC_CUT.replace('70110100 70110100', '00000500 00000500')); // 327680 > 262144
  const r = await openCapture(new MemorySource(bytes));
  const t = await readAll(r);
  assert.equal(t.packets, 1);
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.offset]),
    [['E_BAD_RECORD', 41]],
  );
});

test('open: not a capture, empty, unsupported version, truncated header', async () => {
  const cases: [string, string, RegExp][] = [
    ['', 'E_NOT_CAPTURE', /empty/],
    ['4f4436466b4a0200', 'E_NOT_CAPTURE', /starts with 4f 44 36 46/],
    ['d4c3', 'E_NOT_CAPTURE', /starts with d4 c3/],
    ['d4c3b2a1 0300 0000 00000000 00000000 00000100 01000000', 'E_NOT_CAPTURE', /version 3\.0/],
    ['d4c3b2a1 0200 0400 0000', 'E_TRUNCATED', /pcap file header/],
    ['0a0d0d0a 1c000000 00000000', 'E_NOT_CAPTURE', /byte-order magic/],
    ['0a0d0d0a 1c00', 'E_TRUNCATED', /section header/],
  ];
  for (const [bytes, code, msg] of cases) {
    const src = new MemorySource(hex(bytes), 'x.pcap');
    await assert.rejects(
      openCapture(src),
      (e: unknown) => isPcaplensError(e) && e.code === code && msg.test(e.message),
      bytes,
    );
    assert.ok(src.closed, 'a failed open closes the source');
  }
});

test('pcap: a hostile record length grows the buffer only as far as the input holds bytes', async () => {
  // snaplen 0xffffffff lets records up to the hard cap (256 MiB) pass the length check
  const bytes = hex(`
    d4c3b2a1 0200 0400 00000000 00000000
    ffffffff 01000000               # snaplen 4294967295, LINKTYPE_ETHERNET
    01000000 00000000
    0000000c 0000000c               # caplen = len = 200 MiB
    ${'00'.repeat(3000)}`);
  // size unknown (like a pipe or gzip), so only reading can tell that the bytes are missing
  const r = await openCapture(new MemorySource(bytes, 'big.pcap', Infinity, false), { chunkSize: 4096 });
  const t = await readAll(r);
  assert.equal(t.packets, 0);
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.offset]),
    [['E_TRUNCATED', 24]],
  );
  const buf = (r as unknown as { cb: { buf: Uint8Array } }).cb.buf;
  assert.ok(buf.length <= 1024 * 1024, `buffer grew to ${buf.length}`);
});
