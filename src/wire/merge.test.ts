import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareTime } from '../shared/time.js';
import { mergeReaders } from './merge.js';
import { openCapture } from './open.js';
import { PacketRecord } from './record.js';
import { MemorySource } from './test-support/memory-source.js';
import { CORPUS_DIR, corpusAvailable, num, readOracle } from './test-support/oracle.js';
import { readAll } from './test-support/read-all.js';

const SKIP = corpusAvailable() ? false : `corpus not found at ${CORPUS_DIR} (set PCAPLENS_CORPUS)`;

async function mergeCheck(names: string[], chunkSize: number): Promise<void> {
  const files = names.map((n) => readFileSync(join(CORPUS_DIR, n)));
  const readers = await Promise.all(
    files.map((b, i) => openCapture(new MemorySource(b, names[i]!, 777), { chunkSize })),
  );
  const m = mergeReaders(readers);
  const prev = new PacketRecord();
  let first = true;
  let ordered = true;
  let sameBytes = true;
  const lastN = names.map(() => 0);
  const t = await readAll(m, (rec) => {
    if (!first && compareTime(prev.tsSec, prev.tsNsec, rec.tsSec, rec.tsNsec) > 0) ordered = false;
    // ties go to the lower input index
    if (
      !first &&
      compareTime(prev.tsSec, prev.tsNsec, rec.tsSec, rec.tsNsec) === 0 &&
      prev.fileIndex > rec.fileIndex
    )
      ordered = false;
    first = false;
    prev.copyFrom(rec);
    assert.equal(rec.n, lastN[rec.fileIndex]! + 1, 'each input keeps its own order');
    lastN[rec.fileIndex] = rec.n;
    const want = files[rec.fileIndex]!.subarray(rec.dataOffset, rec.dataOffset + rec.caplen);
    if (Buffer.compare(rec.buf.subarray(rec.off, rec.off + rec.caplen), want) !== 0) sameBytes = false;
  });
  await m.close();
  const expected = names.map((n) => num(readOracle(n), 'packets'));
  assert.deepEqual(lastN, expected, 'every packet of every input, once');
  assert.equal(
    t.packets,
    expected.reduce((a, b) => a + b, 0),
  );
  assert.ok(ordered, 'non-decreasing timestamps');
  assert.ok(sameBytes, 'each record still points at its own bytes');
  assert.deepEqual(m.problems, []);
}

test('merge: two overlapping pcap files in time order', { skip: SKIP }, () =>
  mergeCheck(['seed-pcapviz-project-test2.pcap', 'seed-pcapviz-project-test3.pcap'], 1 << 20),
);

test('merge: three inputs (pcap and pcapng) with tiny chunks', { skip: SKIP }, () =>
  mergeCheck(
    [
      'seed-pcapviz-project-test3.pcap',
      'pcapng-le-spb-nrb-isb-custom.pcapng',
      'seed-pcapviz-project-test2.pcap',
    ],
    64,
  ),
);

test('merge: the same file twice alternates, lower index first', { skip: SKIP }, async () => {
  const b = readFileSync(join(CORPUS_DIR, 'arp-requests.pcap'));
  const m = mergeReaders([await openCapture(new MemorySource(b)), await openCapture(new MemorySource(b))]);
  const order: string[] = [];
  await readAll(m, (rec) => order.push(`${rec.fileIndex}:${rec.n}`));
  assert.deepEqual(order, [
    '0:1',
    '1:1',
    '0:2',
    '1:2',
    '0:3',
    '1:3',
    '0:4',
    '1:4',
    '0:5',
    '1:5',
    '0:6',
    '1:6',
  ]);
});
