import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCapture } from './open.js';
import { TsConverter } from './pcapng-time.js';
import { MemorySource, hex } from './test-support/memory-source.js';
import { CORPUS_DIR, corpusAvailable } from './test-support/oracle.js';
import { readAll, tsText } from './test-support/read-all.js';
import type { PcapngReader } from './pcapng.js';

const SKIP = corpusAvailable() ? false : `corpus not found at ${CORPUS_DIR} (set PCAPLENS_CORPUS)`;

// Little-endian pcapng, one section. Offsets in the comments are file offsets.
const SHB = `
  0a0d0d0a 1c000000             # 0: SHB, 28 bytes
  4d3c2b1a 0100 0000            # byte-order magic (LE), version 1.0
  ffffffff ffffffff             # section length unknown
  1c000000`;
const IDB = `
  01000000 2c000000             # 28: IDB, 44 bytes
  0100 0000 00000400            # LINKTYPE_ETHERNET, reserved, snaplen 262144
  0900 0100 8a000000            # if_tsresol = 0x8a: 2^-10 s
  0e00 0800 6400000000000000    # if_tsoffset = 100 s
  0000 0000                     # opt_endofopt
  2c000000`;
const EPB = `
  06000000 30000000             # 72: EPB, 48 bytes
  00000000                      # interface 0
  00000000 000e0000             # ts = 3584 units of 2^-10 s = 3.5 s
  04000000 3c000000             # caplen 4, len 60
  deadbeef                      # packet bytes
  0100 0200 6869 0000           # opt_comment "hi"
  0000 0000
  30000000`;
const EPB_BAD_IF = `
  06000000 24000000             # 120: EPB, 36 bytes, interface 5 is not defined
  05000000 00000000 00000000
  04000000 04000000 cafebabe
  24000000`;
const CB = `
  ad0b0000 10000000             # 156: custom block, 16 bytes, skipped
  7b000000                      # private enterprise number
  10000000`;
const SPB = `
  03000000 14000000             # 172: SPB, 20 bytes
  06000000                      # original length 6, only 4 bytes in the block
  01020304
  14000000`;
const NRB = `
  04000000 1c000000             # 192: NRB, 28 bytes
  0100 0700 0a000001 683100 00  # IPv4 10.0.0.1 "h1", padded
  0000 0000                     # end of records
  1c000000`;

test('pcapng fixture: tsresol 2^-10, tsoffset, comment, undefined interface, custom block, SPB, NRB', async () => {
  const r = (await openCapture(
    new MemorySource(hex(SHB + IDB + EPB + EPB_BAD_IF + CB + SPB + NRB)),
  )) as PcapngReader;
  const recs: string[] = [];
  const t = await readAll(r, (rec) =>
    recs.push(
      [
        rec.n,
        rec.fileOffset,
        rec.dataOffset,
        tsText(rec.tsSec, rec.tsNsec),
        rec.hasTs,
        rec.caplen,
        rec.len,
        rec.linkType,
        rec.comment,
      ].join(' '),
    ),
  );
  assert.deepEqual(recs, ['1 72 100 103.500000000 true 4 60 1 hi', '2 172 184 103.500000000 false 4 6 1 ']);
  assert.equal(t.packets, 2);
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.offset, p.packet]),
    [['E_BAD_RECORD', 120, undefined]],
  );
  assert.deepEqual(r.names, [{ address: '10.0.0.1', name: 'h1' }]);
  assert.equal(r.interfaces[0]!.tsUnitNs, 1e9 / 1024);
  assert.equal(r.interfaces[0]!.tsOffsetSec, 100);
});

test('pcapng fixture: impossible block lengths stop the reader with E_BAD_RECORD', async () => {
  const cases: [string, string][] = [
    ['length not a multiple of 4', CB.replace('10000000', '11000000')],
    ['length below 12', CB.replace('ad0b0000 10000000', 'ad0b0000 08000000')],
    ['trailing length differs', CB.replace(/10000000$/, '14000000')],
    ['EPB caplen beyond its block', EPB.replace('04000000 3c000000', '40000000 3c000000')],
  ];
  for (const [what, block] of cases) {
    const r = await openCapture(new MemorySource(hex(SHB + IDB + EPB_BAD_IF + block + SPB)));
    const t = await readAll(r);
    assert.equal(t.packets, 0, what);
    const last = r.problems.at(-1)!;
    assert.equal(last.code, 'E_BAD_RECORD', what);
    assert.equal(last.offset, 108, what);
  }
});

test('pcapng time: exact 64-bit division for every resolution', () => {
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed;
  };
  for (const tsresol of [0, 3, 6, 9, 12, 15, 0x80 | 10, 0x80 | 20, 0x80 | 32]) {
    const units = tsresol & 0x80 ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
    const c = new TsConverter(tsresol, 0);
    for (let i = 0; i < 2000; i++) {
      const hi = i < 3 ? [0, 0xffffffff, 0x17d7840][i]! : rnd();
      const lo = i === 1 ? 0xffffffff : rnd();
      const v = (BigInt(hi) << 32n) | BigInt(lo);
      c.convert(hi, lo);
      if (v / units >= 1n << 53n) continue; // seconds beyond 2^53 cannot be exact in a number
      assert.equal(BigInt(c.sec), v / units, `sec, resol ${tsresol}, ${v}`);
      assert.equal(BigInt(c.nsec), ((v % units) * 1_000_000_000n) / units, `nsec, resol ${tsresol}, ${v}`);
    }
  }
});

test('pcapng corpus: NRB names of the multi-block and 126-interface files', { skip: SKIP }, async () => {
  const r1 = await openCapture(
    new MemorySource(readFileSync(join(CORPUS_DIR, 'pcapng-le-spb-nrb-isb-custom.pcapng'))),
  );
  await readAll(r1);
  assert.equal(r1.names.length, 11);
  assert.deepEqual(r1.names[3], { address: 'fc01:dead::beef', name: 'example.com' });
  assert.deepEqual(r1.names.at(-1), { address: '10.1.2.4', name: 'bar.example.org' });
  assert.deepEqual(r1.comments, ['test102', 'test102 NRB', 'test102 ISB-2', 'test102 ISB-0', 'test102 NRB']);

  const r2 = await openCapture(
    new MemorySource(readFileSync(join(CORPUS_DIR, 'pcapng-126-interfaces-ldap.pcapng'))),
  );
  await readAll(r2);
  assert.equal(r2.interfaces.length, 126);
  assert.ok(r2.names.some((n) => n.address === '192.168.7.1' && n.name === 'fritz.box'));
  assert.ok(r2.names.some((n) => n.address === 'ff02::1' && n.name === 'ip6-allnodes'));
});

test('pcapng corpus: 100 packet comments and the section comment', { skip: SKIP }, async () => {
  const r = await openCapture(
    new MemorySource(readFileSync(join(CORPUS_DIR, 'pcapng-le-comments-two-linktypes.pcapng'))),
  );
  const comments = new Map<number, string>();
  await readAll(r, (rec) => {
    if (rec.comment !== null) comments.set(rec.n, rec.comment);
  });
  assert.equal(comments.size, 100);
  // tshark shows "Packet #1" on frame 60 (the option holds junk after a NUL)
  assert.equal(comments.get(60), 'Packet #1');
  assert.equal(comments.get(159), 'Packet #100');
  assert.match(r.comments[0]!, /^CLIENT_RANDOM E39B5BF4/);
});

test(
  'pcapng corpus: sections change byte order; interface ids restart per section',
  { skip: SKIP },
  async () => {
    const r = (await openCapture(
      new MemorySource(readFileSync(join(CORPUS_DIR, 'pcapng-be-multi-section-all-blocks.pcapng'))),
    )) as PcapngReader;
    const seen: string[] = [];
    await readAll(r, (rec) => seen.push(`${rec.interfaceId}/${rec.linkType}`));
    assert.deepEqual(
      r.sections.map((s) => s.littleEndian),
      [false, true, false],
    );
    assert.deepEqual(
      r.interfaces.map((i) => `${i.section}:${i.localId}`),
      ['0:0', '0:1', '1:0', '2:0', '2:1'],
    );
    // tshark: frames 2,3 on if 0, 4 on if 1 (section 0); 5,6,8,9 on if 0 (section 1); 11 on if 1 (section 2)
    assert.deepEqual(seen, ['0/1', '0/1', '1/0', '2/1', '2/1', '2/1', '2/1', '4/0']);
  },
);
