// Every corpus capture read by the pcap/pcapng readers and compared with tshark's oracle summary:
// packet count, byte totals, snaplen-truncated and timestamp-less packets, first/last time to the
// nanosecond, link type and snaplen per interface, and how broken files end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openFileSource } from '../engine/sources/file-source.js';
import { isPcaplensError } from '../shared/errors.js';
import type { ErrorCode } from '../shared/errors.js';
import { openCapture } from './open.js';
import type { CaptureReader } from './reader.js';
import type { PacketRecord } from './record.js';
import { MemorySource } from './test-support/memory-source.js';
import {
  CORPUS_DIR,
  corpusAvailable,
  corpusFiles,
  headerInterfaces,
  num,
  one,
  readOracle,
} from './test-support/oracle.js';
import { readAll } from './test-support/read-all.js';

const SKIP = corpusAvailable() ? false : `corpus not found at ${CORPUS_DIR} (set PCAPLENS_CORPUS)`;

type Expect =
  { kind: 'ok' } | { kind: 'not-capture' } | { kind: 'stops'; code: ErrorCode } | { kind: 'linktype' };

/** What tshark's read error says we should see. */
function expectation(readError: string): Expect {
  if (readError === 'none') return { kind: 'ok' };
  if (readError.includes("isn't a capture file")) return { kind: 'not-capture' };
  if (readError.includes('cut short in the middle of a packet'))
    return { kind: 'stops', code: 'E_TRUNCATED' };
  if (readError.includes('damaged or corrupt')) return { kind: 'stops', code: 'E_BAD_RECORD' };
  // tshark refuses link types it cannot decode; the reader delivers them (decoding reports them).
  if (readError.includes('unknown or unsupported')) return { kind: 'linktype' };
  throw new Error(`oracle read error not understood: ${readError}`);
}

/** Every record's bytes must be the file's bytes at its dataOffset (uncompressed inputs). */
function sameBytes(file: Uint8Array | null) {
  let bad = 0;
  const onRecord = (rec: PacketRecord): void => {
    if (!file) return;
    const a = rec.buf.subarray(rec.off, rec.off + rec.caplen);
    const b = file.subarray(rec.dataOffset, rec.dataOffset + rec.caplen);
    if (Buffer.compare(a, b) !== 0) bad++;
  };
  return { onRecord, bad: () => bad };
}

async function check(
  file: string,
  open: () => Promise<CaptureReader>,
  bytes: Uint8Array | null = null,
): Promise<void> {
  const o = readOracle(file);
  const exp = expectation((o.summary.get('tshark_read_error') ?? ['none']).join(' '));
  if (exp.kind === 'not-capture') {
    await assert.rejects(open(), (e: unknown) => isPcaplensError(e) && e.code === 'E_NOT_CAPTURE');
    return;
  }
  const r = await open();
  try {
    const same = sameBytes(bytes);
    const t = await readAll(r, same.onRecord);
    assert.equal(same.bad(), 0, 'packet bytes equal the file at dataOffset');
    assert.ok(t.numbered && t.inBounds && t.offsetsOk, 'frame numbers, buffer bounds and offsets');
    const fatal = r.problems.filter((p) => p.packet === undefined);
    if (exp.kind === 'stops') {
      assert.equal(fatal.length, 1, JSON.stringify(r.problems));
      assert.equal(fatal[0]!.code, exp.code);
      assert.equal(r.problems.at(-1), fatal[0], 'the fatal problem is the last');
    } else {
      assert.deepEqual(fatal, [], 'no fatal problem');
    }
    if (exp.kind === 'linktype') {
      // tshark shows nothing; check the records tile the file exactly instead.
      assert.equal(r.format, 'pcap');
      const size = readFileSync(join(CORPUS_DIR, file)).length;
      assert.ok(t.packets > 0);
      assert.equal(24 + 16 * t.packets + t.bytesCaptured, size);
    } else {
      assert.equal(t.packets, num(o, 'packets'), 'packets');
      assert.equal(t.bytesOnWire, num(o, 'bytes_on_wire_total'), 'bytes on wire');
      assert.equal(t.bytesCaptured, num(o, 'bytes_captured_total'), 'bytes captured');
      assert.equal(t.snaplenTruncated, num(o, 'frames_snaplen_truncated'), 'snaplen-truncated');
      assert.equal(t.withoutTs, num(o, 'packets_without_timestamp'), 'without timestamp');
      assert.equal(t.firstTs, one(o, 'first_frame_time_epoch'), 'first time');
      assert.equal(t.lastTs, one(o, 'last_frame_time_epoch'), 'last time');
    }
    assert.deepEqual(
      r.interfaces.map((i) => ({ linkType: i.linkType, snaplen: i.snaplen })),
      headerInterfaces(o),
      'link type and snaplen per interface',
    );
  } finally {
    await r.close();
  }
}

const files = corpusFiles();

test('corpus: every capture matches the oracle (files, 1 MiB chunks)', { skip: SKIP }, async (t) => {
  assert.ok(files.length > 10, 'corpus has captures with oracles');
  for (const f of files) {
    await t.test(f, () => check(f, async () => openCapture(await openFileSource(join(CORPUS_DIR, f)))));
  }
});

test('corpus: the same with 64-byte chunks', { skip: SKIP }, async (t) => {
  for (const f of files) {
    const bytes = readFileSync(join(CORPUS_DIR, f));
    await t.test(f, () => check(f, () => openCapture(new MemorySource(bytes, f), { chunkSize: 64 }), bytes));
  }
});

test('corpus: the same with 4 KiB chunks, short reads and no known size', { skip: SKIP }, async (t) => {
  for (const f of files) {
    const bytes = readFileSync(join(CORPUS_DIR, f));
    await t.test(f, () =>
      check(f, () => openCapture(new MemorySource(bytes, f, 1000, false), { chunkSize: 4096 }), bytes),
    );
  }
});

test('corpus: the corrupt record is reported at its offset after 18 packets', { skip: SKIP }, async () => {
  const f = 'broken-corrupt-record-midfile-smtp.pcap';
  const r = await openCapture(await openFileSource(join(CORPUS_DIR, f)));
  const t = await readAll(r);
  await r.close();
  assert.equal(t.packets, 18);
  // 24-byte file header + 18 records of 16-byte header + 3383 captured bytes
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.offset]),
    [['E_BAD_RECORD', 24 + 18 * 16 + 3383]],
  );
  assert.match(r.problems[0]!.message, /3925868813/);
});

test('corpus: caplen above snaplen is read and reported once', { skip: SKIP }, async () => {
  const r = await openCapture(await openFileSource(join(CORPUS_DIR, 'broken-caplen-exceeds-snaplen.pcap')));
  const t = await readAll(r);
  await r.close();
  assert.equal(t.packets, 1);
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.packet]),
    [['E_BAD_RECORD', 1]],
  );
});

test('corpus: a pcapng named .pcap is opened as pcapng', { skip: SKIP }, async () => {
  const r = await openCapture(
    await openFileSource(join(CORPUS_DIR, 'pcapng-be-obsolete-packet-blocks-rawip-pfcp.pcap')),
  );
  await r.close();
  assert.equal(r.format, 'pcapng');
});
