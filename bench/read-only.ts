// Reads a capture front to back with the wire readers and prints packets, bytes and throughput.
//   node --import tsx bench/read-only.ts FILE [--chunk BYTES]
// Not a test: a measuring stick for the readers (compare with `capinfos -c FILE`).
import { performance } from 'node:perf_hooks';
import { openFileSource } from '../src/engine/sources/file-source.js';
import { openCapture } from '../src/wire/open.js';
import { READ_NEED_MORE, READ_RECORD } from '../src/wire/reader.js';
import { PacketRecord } from '../src/wire/record.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args[0];
  if (!file) {
    console.error('usage: read-only.ts FILE [--chunk BYTES]');
    process.exit(2);
  }
  const ci = args.indexOf('--chunk');
  const chunkSize = ci >= 0 ? Number(args[ci + 1]) : undefined;
  const t0 = performance.now();
  const src = await openFileSource(file);
  const r = await openCapture(src, chunkSize ? { chunkSize } : {});
  const rec = new PacketRecord();
  let packets = 0;
  let wire = 0;
  let captured = 0;
  let checksum = 0; // touches one byte per packet so the loop cannot be optimised away
  for (;;) {
    const s = r.read(rec);
    if (s === READ_RECORD) {
      packets++;
      wire += rec.len;
      captured += rec.caplen;
      checksum = (checksum + (rec.caplen > 0 ? rec.buf[rec.off]! : 0)) | 0;
    } else if (s === READ_NEED_MORE) await r.fill();
    else break;
  }
  await r.close();
  const sec = (performance.now() - t0) / 1000;
  const mb = src.size / 1e6;
  console.log(
    JSON.stringify({
      file,
      format: r.format,
      compressed: r.compressed,
      packets,
      bytesOnWire: wire,
      bytesCaptured: captured,
      fileMB: Math.round(mb),
      seconds: Number(sec.toFixed(3)),
      packetsPerSec: Math.round(packets / sec),
      mbPerSec: Math.round(mb / sec),
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
      problems: r.problems.length,
      checksum,
    }),
  );
}

await main();
