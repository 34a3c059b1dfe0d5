// Measures decode + conversation accounting throughput on one capture, and checks the decoder allocates
// nothing per packet (minor GCs while decoding vs while only reading).
//   node --import tsx bench/decode-flow.ts FILE
// Not a test. Each phase reads the file again; the read-only phase is the baseline.
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { openFileSource } from '../src/engine/sources/file-source.js';
import { openCapture } from '../src/wire/open.js';
import { READ_NEED_MORE, READ_RECORD } from '../src/wire/reader.js';
import { PacketRecord } from '../src/wire/record.js';
import { Packet } from '../src/dissect/dissector.js';
import { decodeFrame } from '../src/dissect/decode-packet.js';
import { Analysis } from '../src/flow/analysis.js';

let minorGcs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === 1) minorGcs++; // NODE_PERFORMANCE_GC_MINOR
  }
}).observe({ entryTypes: ['gc'] });

async function pass(
  file: string,
  each: (rec: PacketRecord) => void,
): Promise<{ packets: number; sec: number; gcs: number }> {
  await new Promise((r) => setTimeout(r, 50));
  const g0 = minorGcs;
  const t0 = performance.now();
  const src = await openFileSource(file);
  const r = await openCapture(src);
  const rec = new PacketRecord();
  let packets = 0;
  for (;;) {
    const s = r.read(rec);
    if (s === READ_RECORD) {
      packets++;
      each(rec);
    } else if (s === READ_NEED_MORE) await r.fill();
    else break;
  }
  await r.close();
  const sec = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 50));
  return { packets, sec, gcs: minorGcs - g0 };
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: decode-flow.ts FILE');
    process.exit(2);
  }
  let sink = 0;
  const read = await pass(file, (rec) => {
    sink = (sink + rec.caplen) | 0;
  });
  const p = new Packet();
  const decode = await pass(file, (rec) => {
    decodeFrame(p, rec.linkType, rec.buf, rec.off, rec.caplen, rec.len);
    sink = (sink + p.layerCount) | 0;
  });
  const a = new Analysis({ onFlow: () => undefined });
  const heap0 = process.memoryUsage().heapUsed;
  const full = await pass(file, (rec) => a.addPacket(rec));
  const res = a.finish();
  const out = {
    file,
    packets: read.packets,
    readOnly: { seconds: +read.sec.toFixed(3), pps: Math.round(read.packets / read.sec), minorGcs: read.gcs },
    decodeOnly: {
      seconds: +decode.sec.toFixed(3),
      pps: Math.round(decode.packets / decode.sec),
      minorGcs: decode.gcs,
    },
    decodeAndFlows: {
      seconds: +full.sec.toFixed(3),
      pps: Math.round(full.packets / full.sec),
      minorGcs: full.gcs,
      flows: a.flowCount,
      hosts: res.hosts.length,
      heapGrowthMB: Math.round((process.memoryUsage().heapUsed - heap0) / 1e6),
    },
    sink,
  };
  console.log(JSON.stringify(out, null, 1));
}

await main();
