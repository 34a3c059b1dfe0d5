import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCapture } from './open.js';
import { PcapWriter } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';
import { splitTimestamp } from './write-buffer.js';
import { hex, MemorySource } from './test-support/memory-source.js';
import { readAll } from './test-support/read-all.js';
import type { PacketRecord } from './record.js';

function collect(): { sink: (c: Uint8Array) => void; bytes: () => Uint8Array } {
  const parts: Uint8Array[] = [];
  return {
    sink: (c) => parts.push(c),
    bytes: () => {
      const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      return out;
    },
  };
}

const FRAME = hex('ffffffffffff 020000000001 0806 0001');

test('pcap writer: nanosecond header and record, byte for byte', () => {
  const c = collect();
  const w = new PcapWriter(c.sink, { linkType: 1, snaplen: 65535, nanosecond: true });
  w.write(1700000000, 123456789, FRAME, 0, FRAME.length, 60);
  w.flush();
  const expected = hex(`
    4d3cb2a1 0200 0400 00000000 00000000 ffff0000 01000000  # ns magic LE, v2.4, zone, sigfigs, snaplen, DLT 1
    00f15365 15cd5b07 10000000 3c000000                     # ts 1700000000 s, 123456789 ns, caplen 16, len 60
    ffffffffffff 020000000001 0806 0001                     # the frame
  `);
  assert.deepEqual(c.bytes(), expected);
});

test('pcap writer: microseconds drop the sub-microsecond digits', () => {
  const c = collect();
  const w = new PcapWriter(c.sink, { linkType: 101 });
  w.write(1, 999_999_999, FRAME, 2, 4, 4);
  w.flush();
  const b = c.bytes();
  assert.deepEqual(b.subarray(0, 4), hex('d4c3b2a1'));
  assert.deepEqual(b.subarray(24, 40), hex('01000000 3f420f00 04000000 04000000'));
  assert.deepEqual(b.subarray(40), FRAME.subarray(2, 6));
});

test('splitTimestamp: exact 64-bit split of seconds and fraction', () => {
  const check = (sec: number, nsec: number, units: number) => {
    const v = BigInt(sec) * BigInt(units) + BigInt(units === 1e9 ? nsec : Math.floor(nsec / 1000));
    const [hi, lo] = splitTimestamp(sec, nsec, units);
    assert.equal((BigInt(hi) << 32n) | BigInt(lo), v, `${sec}.${nsec} @${units}`);
  };
  for (const [s, ns] of [
    [0, 0],
    [1, 1],
    [1700000000, 123456789],
    [4294967295, 999999999],
    [17179869183, 999999999],
  ] as const) {
    check(s, ns, 1e9);
    check(s, ns, 1e6);
  }
});

test('pcapng writer: blocks byte for byte, and read back by our reader', async () => {
  const c = collect();
  const w = new PcapngWriter(c.sink, 'x');
  assert.equal(w.addInterface({ linkType: 1, snaplen: 0, nanosecond: true }), 0);
  assert.equal(w.addInterface({ linkType: 101, snaplen: 1500 }), 1);
  w.write(0, 1700000000, 123456789, FRAME, 0, 5, 60, 'hi');
  w.write(1, 1700000001, 5000, FRAME, 0, 4, 4);
  w.flush();
  const expected = hex(`
    0a0d0d0a 28000000 4d3c2b1a 0100 0000 ffffffff ffffffff   # SHB, 40 bytes, BOM, v1.0, section length -1
    0400 0100 78000000 00000000 28000000                     # shb_userappl "x" (padded), end of options, length
    01000000 20000000 0100 0000 00000000                     # IDB 0: DLT 1, snaplen 0
    0900 0100 09000000 00000000 20000000                     # if_tsresol 9, end of options, length
    01000000 14000000 6500 0000 dc050000 14000000            # IDB 1: DLT 101, snaplen 1500, no options
    06000000 34000000 00000000 fe9c9717 15cd853d             # EPB on 0: ts 1700000000123456789 ns
    05000000 3c000000 ffffffffff000000                       # caplen 5, len 60, data padded to 8
    0100 0200 68690000 00000000 34000000                     # opt_comment "hi", end of options, length
    06000000 24000000 01000000 240a0600 45822d18             # EPB on 1: ts 1700000001000005 us
    04000000 04000000 ffffffff 24000000                      # caplen 4, len 4, data, length
  `);
  assert.deepEqual(c.bytes(), expected);
  const r = await openCapture(new MemorySource(c.bytes(), 'out.pcapng'));
  const seen: string[] = [];
  await readAll(r, (rec: PacketRecord) =>
    seen.push(`${rec.linkType} ${rec.tsSec}.${rec.tsNsec} ${rec.caplen}/${rec.len} ${rec.comment}`),
  );
  assert.deepEqual(seen, ['1 1700000000.123456789 5/60 hi', '101 1700000001.5000 4/4 null']);
  assert.deepEqual(r.problems, []);
});
