// Every prefix of a few small captures: opening either succeeds or fails with a stable code, reading never
// throws or hangs, the packet count only grows with the prefix, and a prefix that cuts a record in two ends
// with E_TRUNCATED at that record's offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPcaplensError } from '../shared/errors.js';
import { openCapture } from './open.js';
import { MemorySource } from './test-support/memory-source.js';
import { CORPUS_DIR, corpusAvailable, num, readOracle } from './test-support/oracle.js';
import { readAll } from './test-support/read-all.js';
import type { ReaderBase } from './reader-base.js';

const SKIP = corpusAvailable() ? false : `corpus not found at ${CORPUS_DIR} (set PCAPLENS_CORPUS)`;

const FILES: [name: string, step: number][] = [
  ['pcap-le-nsec-sll-tcp-handshake.pcap', 1], // pcap LE, nanoseconds
  ['pcap-be-nsec-ether.pcap', 1], // pcap BE
  ['pcapng-be-multi-section-all-blocks.pcapng', 1], // pcapng BE/LE/BE sections, every block type
  ['pcapng-le-spb-nrb-isb-custom.pcapng', 1], // pcapng LE, SPB, NRB, ISB, custom blocks
  ['pcapng-be-obsolete-packet-blocks-rawip-pfcp.pcap', 97], // bigger: every 97th prefix
];

for (const [name, step] of FILES) {
  test(`truncation: every ${step === 1 ? '' : `${step}th `}prefix of ${name}`, { skip: SKIP }, async () => {
    const full = readFileSync(join(CORPUS_DIR, name));
    const total = num(readOracle(name), 'packets');
    // Record boundaries, from a full read: a prefix ending exactly there is a clean, shorter capture.
    const whole = await openCapture(new MemorySource(full, name));
    const ends = new Set<number>();
    const t0 = await readAll(whole, (rec) => ends.add(rec.fileOffset));
    assert.equal(t0.packets, total);
    let prev = 0;
    const lengths: number[] = [];
    for (let len = 0; len < full.length; len += step) lengths.push(len);
    lengths.push(full.length);
    for (const len of lengths) {
      const src = new MemorySource(full.subarray(0, len), name, 13, len % 2 === 0);
      let r;
      try {
        r = await openCapture(src, { chunkSize: 64 });
      } catch (e) {
        assert.ok(isPcaplensError(e), `prefix ${len}: open failed with ${String(e)}`);
        assert.ok(len < 24, `prefix ${len}: open may only fail inside the file header (${e.code})`);
        assert.equal(e.code, len < 4 ? 'E_NOT_CAPTURE' : 'E_TRUNCATED', `prefix ${len}`);
        continue;
      }
      const t = await readAll(r);
      assert.ok(t.packets >= prev, `prefix ${len}: ${t.packets} packets after ${prev}`);
      assert.ok(t.packets <= total);
      prev = t.packets;
      const fatal = r.problems.filter((p) => p.packet === undefined);
      if (len === full.length) {
        assert.equal(t.packets, total);
        assert.deepEqual(fatal, []);
      } else if (fatal.length > 0) {
        assert.equal(fatal.length, 1);
        assert.equal(fatal[0]!.code, 'E_TRUNCATED', `prefix ${len}: ${fatal[0]!.message}`);
        assert.ok(fatal[0]!.offset < len, `prefix ${len}: problem offset ${fatal[0]!.offset}`);
      } else {
        // A clean end consumed every byte, so it fell between records (or blocks, for pcapng).
        assert.equal((r as unknown as ReaderBase).position, len, `prefix ${len} ended cleanly`);
        if (r.format === 'pcap') assert.ok(len === 24 || ends.has(len), `prefix ${len} is a record boundary`);
      }
    }
    assert.equal(prev, total);
  });
}
