import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openCapture } from './open.js';
import { READ_NEED_MORE, READ_RECORD, type CaptureReader } from './reader.js';
import { PacketRecord } from './record.js';
import { MemorySource } from './test-support/memory-source.js';

/**
 * A source that reads off the caller's turn (like a file read in the thread pool): read() resolves a macrotask
 * later, so the chunk buffer's read-ahead really is in flight while records are parsed. It notes when each
 * read was asked for, counted in records the test had taken by then.
 */
class AheadSource extends MemorySource {
  readonly readsAhead = true;
  readonly askedAt: number[] = [];
  taken = 0;
  failAtRead = -1;

  override read(into: Uint8Array, offset: number, length: number): Promise<number> {
    this.askedAt.push(this.taken);
    const fail = this.askedAt.length - 1 === this.failAtRead;
    return new Promise((resolve, reject) =>
      setImmediate(() => {
        if (fail) reject(new Error('disk went away'));
        else resolve(super.read(into, offset, length));
      }),
    );
  }
}

/** chunks smaller than the test files, so that they take many fills */
const ONE_MIB = { chunkSize: 1 << 20 };

/** A classic pcap (LINKTYPE_RAW, snaplen 1 MiB) of `sizes.length` records whose bytes tell where they are. */
function syntheticPcap(sizes: number[]): Uint8Array {
  const total = 24 + sizes.reduce((s, n) => s + 16 + n, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 1 << 20, true);
  v.setUint32(20, 101, true);
  let o = 24;
  sizes.forEach((n, i) => {
    v.setUint32(o, 1_700_000_000 + i, true);
    v.setUint32(o + 8, n, true);
    v.setUint32(o + 12, n, true);
    for (let k = 0; k < n; k++) out[o + 16 + k] = (i * 31 + k) & 255;
    o += 16 + n;
  });
  return out;
}

/** Record sizes from a fixed LCG: mostly packet-sized, a few larger than the read-ahead tail room. */
function sizes(count: number, bigEvery: number): number[] {
  let x = 12345;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(bigEvery > 0 && i % bigEvery === bigEvery - 1 ? 300_000 + (x % 50_000) : x % 1600);
  }
  return out;
}

/** Every record as "n offset caplen checksum", draining the reader as analyze-files.ts does. */
async function records(r: CaptureReader, onTake?: () => void): Promise<string[]> {
  const rec = new PacketRecord();
  const out: string[] = [];
  for (;;) {
    const s = r.read(rec);
    if (s === READ_RECORD) {
      let sum = 0;
      for (let k = 0; k < rec.caplen; k++) sum = (Math.imul(sum, 31) + rec.buf[rec.off + k]!) | 0;
      out.push(`${rec.n} ${rec.fileOffset} ${rec.caplen} ${sum}`);
      onTake?.();
    } else if (s === READ_NEED_MORE) await r.fill();
    else break;
  }
  return out;
}

for (const [name, bigEvery, maxRead] of [
  ['small records, whole reads', 0, Infinity],
  ['small records, short reads', 0, 70_000],
  ['records larger than the tail room', 40, Infinity],
  ['large records, short reads', 25, 100_000],
] as const) {
  test(`chunk buffer read-ahead: ${name}: the same records as without it`, async () => {
    const bytes = syntheticPcap(sizes(4000, bigEvery));
    const plain = await records(await openCapture(new MemorySource(bytes, 'x.pcap', maxRead), ONE_MIB));
    const src = new AheadSource(bytes, 'x.pcap', maxRead);
    const r = await openCapture(src, ONE_MIB);
    const ahead = await records(r, () => src.taken++);
    await r.close();
    assert.equal(plain.length, 4000);
    assert.deepEqual(ahead, plain);
    assert.deepEqual(r.problems, []);
  });
}

test('chunk buffer read-ahead: the next chunk is asked for before the reader needs it', async () => {
  const bytes = syntheticPcap(sizes(6000, 0));
  const src = new AheadSource(bytes);
  const r = await openCapture(src, ONE_MIB);
  const got = await records(r, () => src.taken++);
  assert.equal(got.length, 6000);
  // the open fills the first chunk, then at once asks for the next, before one record is taken
  assert.equal(src.askedAt[0], 0);
  assert.equal(src.askedAt[1], 0);
  // each later read is asked for when the previous chunk is taken over, while records are still parsed
  assert.ok(src.askedAt.length >= 5, `only ${src.askedAt.length} reads`);
  await r.close();
});

test('chunk buffer read-ahead: a failing read ends the input with a problem after the records before it', async () => {
  const bytes = syntheticPcap(sizes(6000, 0));
  const plain = await records(await openCapture(new MemorySource(bytes), ONE_MIB));
  const src = new AheadSource(bytes);
  src.failAtRead = 2;
  const r = await openCapture(src, ONE_MIB);
  const got = await records(r, () => src.taken++);
  await r.close();
  assert.ok(got.length > 0 && got.length < plain.length, `${got.length} records`);
  assert.deepEqual(got, plain.slice(0, got.length));
  assert.equal(r.problems.length, 1);
  assert.match(r.problems[0]!.message, /disk went away/);
});

test('chunk buffer read-ahead: a source that reads on the calling thread is not read ahead', async () => {
  const bytes = syntheticPcap(sizes(6000, 0));
  let reads = 0;
  let readsWhenTaken = -1;
  const src = new MemorySource(bytes);
  const read = src.read.bind(src);
  src.read = (into, offset, length) => {
    reads++;
    return read(into, offset, length);
  };
  const r = await openCapture(src, ONE_MIB);
  await records(r, () => {
    if (readsWhenTaken < 0) readsWhenTaken = reads;
  });
  assert.equal(readsWhenTaken, 1);
});
