/**
 * Where a capture decides a size, the bound holds: crafted captures push each length, count and pointer past
 * its limit and the run stays fast, bounded in memory and tells what it gave up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { Analysis } from '../../src/flow/analysis.js';
import { PacketRecord } from '../../src/wire/record.js';
import { openCapture } from '../../src/wire/open.js';
import { READ_NEED_MORE, READ_RECORD } from '../../src/wire/reader.js';
import { MemorySource } from '../../src/wire/test-support/memory-source.js';
import { analyzeBytes } from './analyze-bytes.js';
import {
  ACK,
  PSH,
  PcapWriter,
  concat,
  dns,
  dnsName,
  ether,
  httpRequest,
  httpResponse,
  ipv4,
  latin1,
  tcp,
  tcpConversation,
  udpFrame,
} from './capture-builder.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** Live JS heap plus array buffers after a full collection, in MiB. */
function liveMb(): number {
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

test('100 000 distinct flows under maxFlows 1000: evicted, emitted, memory flat', () => {
  const N = 100_000;
  const frame = udpFrame('10.0.0.1', '10.0.0.2', 1, 1, new Uint8Array(4));
  const rec = new PacketRecord();
  rec.buf = frame;
  rec.off = 0;
  rec.caplen = rec.len = frame.length;
  rec.linkType = 1;
  rec.hasTs = true;
  let emitted = 0;
  const a = new Analysis({ maxFlows: 1000, onFlow: () => emitted++ });
  const before = liveMb();
  for (let i = 0; i < N; i++) {
    rec.n = i + 1;
    rec.tsSec = 1_700_000_000 + Math.floor(i / 1000);
    rec.tsNsec = (i % 1000) * 1000;
    // a new port pair per packet, the same two hosts
    frame[34] = (i >> 8) & 0xff;
    frame[35] = i & 0xff;
    frame[36] = (i >> 16) & 0xff;
    a.addPacket(rec);
  }
  const grown = liveMb() - before;
  const r = a.finish();
  assert.equal(r.stats.flowsEvicted, N - 1000);
  assert.equal(emitted, N);
  assert.equal(r.hosts.length, 2);
  // 1000 live flows; keeping all 100 000 costs ~44 MB
  assert.ok(grown < 12, `live memory grew by ${grown.toFixed(1)} MB`);
});

test('hosts: each distinct address costs a bounded amount (there is no cap on their number)', () => {
  const N = 50_000;
  const frame = udpFrame('10.0.0.1', '10.0.0.2', 1000, 53, new Uint8Array(4));
  const rec = new PacketRecord();
  rec.buf = frame;
  rec.off = 0;
  rec.caplen = rec.len = frame.length;
  rec.linkType = 1;
  rec.hasTs = true;
  const a = new Analysis({ maxFlows: 100, onFlow: () => undefined });
  const before = liveMb();
  for (let i = 0; i < N; i++) {
    rec.n = i + 1;
    rec.tsSec = 1_700_000_000;
    rec.tsNsec = i;
    frame[27] = (i >> 16) & 0xff;
    frame[28] = (i >> 8) & 0xff;
    frame[29] = i & 0xff;
    a.addPacket(rec);
  }
  const perHost = ((liveMb() - before) * 2 ** 20) / N;
  assert.ok(a.finish().hosts.length >= N);
  assert.ok(perHost < 1024, `${perHost.toFixed(0)} bytes per host`);
});

test('DNS: self pointer, pointer loop, forward pointer, 300-hop chain, over-long name and lying counts', async () => {
  const w = new PcapWriter();
  const msg = (id: number, qname: Uint8Array, counts?: [number, number, number, number]): void => {
    w.add(udpFrame('10.0.0.5', '10.0.0.53', 40000 + id, 53, dns({ id, qname, counts })));
  };
  msg(1, new Uint8Array([0xc0, 12])); // points at itself
  msg(2, new Uint8Array([1, 0x61, 0xc0, 12])); // a label, then back to the start: a loop
  msg(3, new Uint8Array([0xc0, 200])); // forward, out of the message
  // a response of 300 answers, each named by a pointer to the previous answer's name: a 300-hop chain
  const answers = Array.from({ length: 300 }, (_, k) => {
    const target = k === 0 ? 12 : 19 + 16 * (k - 1);
    return { name: new Uint8Array([0xc0 | (target >> 8), target & 0xff]), type: 1, rdata: new Uint8Array(4) };
  });
  w.add(
    udpFrame(
      '10.0.0.53',
      '10.0.0.5',
      53,
      40004,
      dns({ id: 4, response: true, qname: dnsName('a'), answers }),
    ),
  );
  msg(5, dnsName(Array(200).fill('ab').join('.'))); // 600 bytes of wire name, over 255
  msg(6, dnsName('lying.example'), [65535, 65535, 65535, 65535]);
  msg(7, dnsName('ok.example'));
  const t0 = performance.now();
  const { rows, result } = await analyzeBytes(w.bytes());
  assert.ok(performance.now() - t0 < 5000);
  assert.equal(result.packets, 7);
  const byId = new Map(rows.dns.map((r) => [r.trans_id, r]));
  // a malformed name never becomes text; the loops end
  for (const id of [1, 2, 3, 5])
    assert.ok(!byId.get(id)?.query_name, `message ${id}: ${byId.get(id)?.query_name}`);
  const chain = byId.get(4)!;
  assert.equal(chain.query_name, 'a');
  // answers are read up to the record cap; names past the hop cap are not followed
  assert.ok(chain.answers.length > 0 && chain.answers.length <= 256, `${chain.answers.length} answers`);
  assert.ok(chain.answers.every((a) => a.length < 300));
  assert.ok((byId.get(6)?.questions.length ?? 0) <= 64);
  assert.equal(byId.get(7)?.query_name, 'ok.example');
});

test('HTTP: 1000 header lines, 20 kB values and a 1 MB head are cut or refused, never kept whole', async () => {
  const many: [string, string][] = Array.from({ length: 1000 }, (_, i) => [`X-H${i}`, 'v']);
  const huge: [string, string][] = [
    ['Host', 'h.example'],
    ['User-Agent', 'U'.repeat(20000)],
  ];
  const frames = [
    ...tcpConversation('10.0.0.5', '10.0.0.80', 50001, 80, [
      { fromClient: true, data: httpRequest('GET', '/many', [['Host', 'many.example'], ...many]) },
    ]),
    ...tcpConversation('10.0.0.5', '10.0.0.80', 50002, 80, [
      { fromClient: true, data: httpRequest('GET', '/huge', huge) },
    ]),
    ...tcpConversation('10.0.0.5', '10.0.0.80', 50003, 80, [
      {
        fromClient: true,
        data: httpRequest('GET', '/' + 'u'.repeat(100_000), [['Host', 'long-uri.example']]),
      },
    ]),
  ];
  const w = new PcapWriter();
  for (const f of frames) w.add(f);
  const { rows } = await analyzeBytes(w.bytes());
  for (const r of rows.http) {
    for (const v of Object.values(r))
      if (typeof v === 'string') assert.ok(v.length <= 8192, `${v.length} chars`);
  }
  const hosts = rows.http.map((r) => r.host);
  // past 128 header lines the rest are not kept (Host came first); a 20 000-byte value is cut
  assert.ok(hosts.includes('many.example'), JSON.stringify(hosts));
  const big = rows.http.find((r) => r.host === 'h.example');
  assert.ok(big && (big.user_agent ?? '').length <= 8192 && (big.user_agent ?? '').length > 1000);
  // a head past 32 KiB (1 MB header) is refused as a whole
  assert.ok(!hosts.includes('big.example'));
});

test('HTTP: a gzip bomb body stops at the decode cap and is not called complete', async () => {
  const bomb = gzipSync(new Uint8Array(72 << 20), { level: 9 }); // 72 MiB of zeros in ~70 KB
  const res = httpResponse(
    200,
    [
      ['Content-Encoding', 'gzip'],
      ['Content-Type', 'application/octet-stream'],
      ['Content-Length', String(bomb.length)],
    ],
    bomb,
  );
  const w = new PcapWriter();
  for (const f of tcpConversation('10.0.0.5', '10.0.0.80', 50010, 80, [
    { fromClient: true, data: httpRequest('GET', '/bomb', [['Host', 'bomb.example']]) },
    { fromClient: false, data: res },
  ]))
    w.add(f);
  const before = liveMb();
  const { rows } = await analyzeBytes(w.bytes());
  assert.ok(liveMb() - before < 64, 'the decoded body is not kept');
  assert.equal(rows.http.length, 1);
  const body = rows.http[0]!.response_body_len ?? 0;
  assert.ok(body <= 64 << 20 && body >= 60 << 20, `decoded ${body} bytes`);
  const file = rows.files.find((f) => f.proto === 'http');
  assert.ok(file, 'the body is still listed as a file');
  assert.equal(file.complete, false);
});

test('IP fragments: 6000 incomplete datagrams and an oversize one are dropped and counted', async () => {
  const w = new PcapWriter();
  for (let i = 0; i < 6000; i++) {
    const payload = new Uint8Array(64);
    w.add(ether(ipv4({ src: '10.0.1.1', dst: '10.0.1.2', proto: 17, id: i, moreFragments: true, payload })));
  }
  // last fragment ending past 65535 + 8
  w.add(
    ether(
      ipv4({
        src: '10.0.1.1',
        dst: '10.0.1.2',
        proto: 17,
        id: 9999,
        fragOffset: 8189,
        payload: new Uint8Array(800),
      }),
    ),
  );
  const { result } = await analyzeBytes(w.bytes());
  const d = result.stats.fragmentDrops;
  assert.ok(d.overflow >= 6000 - 4096, JSON.stringify(d));
  assert.ok(d.oversize >= 1, JSON.stringify(d));
  assert.ok(result.problems.some((p) => /fragment/i.test(p.message)));
});

test('TCP reassembly: segments held out of order stay under the per-direction and total limits', async () => {
  const w = new PcapWriter();
  const client = '10.0.0.5';
  const server = '10.0.0.80';
  // 40 HTTP flows, each with a 1-byte hole then 300 segments of 1000 bytes beyond it
  for (let f = 0; f < 40; f++) {
    const port = 51000 + f;
    const [syn, synAck, ack] = tcpConversation(client, server, port, 80, []);
    w.add(syn!).add(synAck!).add(ack!);
    for (let s = 0; s < 300; s++) {
      const seq = 1001 + 1 + s * 1000;
      w.add(
        ether(
          ipv4({
            src: client,
            dst: server,
            proto: 6,
            payload: tcp(port, 80, seq, 5001, ACK | PSH, new Uint8Array(1000).fill(0x41)),
          }),
        ),
      );
    }
  }
  const limits = { maxHeldBytesPerDir: 64 * 1024, maxHeldSegmentsPerDir: 1024, maxAheadBytes: 16 << 20 };
  const { app, rows } = await analyzeBytes(w.bytes(), {}, { limits, maxHeldBytes: 1 << 20 });
  const held = app.held();
  assert.ok(held.peak <= 1 << 20, `peak ${held.peak}`);
  assert.ok(held.limitHits > 0);
  assert.equal(held.used, 0, 'everything is released at the end');
  assert.ok(rows.problems.length > 0 && rows.problems.length <= 40 * 300);
});

test('TLS: a Certificate message of thousands of tiny certificates and a 16 MB handshake length', async () => {
  const be24 = (n: number): Uint8Array => new Uint8Array([n >> 16, (n >> 8) & 0xff, n & 0xff]);
  const certs = concat(...Array.from({ length: 4000 }, () => concat(be24(3), new Uint8Array([0x30, 1, 0]))));
  const certMsg = concat(new Uint8Array([11]), be24(certs.length + 3), be24(certs.length), certs);
  const serverHello = concat(
    new Uint8Array([2]),
    be24(38),
    new Uint8Array([3, 3]),
    new Uint8Array(32),
    new Uint8Array([0, 0x13, 0x01, 0]),
  );
  const records: Uint8Array[] = [];
  const hs = concat(serverHello, certMsg);
  for (let o = 0; o < hs.length; o += 16384) {
    const piece = hs.subarray(o, o + 16384);
    records.push(concat(new Uint8Array([22, 3, 3, piece.length >> 8, piece.length & 0xff]), piece));
  }
  const hugeLen = concat(new Uint8Array([22, 3, 3, 0, 4, 1]), be24(16 << 20));
  const { tlsClientHello } = await import('./capture-builder.js');
  const w = new PcapWriter();
  for (const f of tcpConversation('10.0.0.5', '10.0.0.43', 52000, 443, [
    { fromClient: true, data: tlsClientHello('certs.example') },
    { fromClient: false, data: concat(...records) },
  ]))
    w.add(f);
  for (const f of tcpConversation('10.0.0.5', '10.0.0.43', 52001, 443, [
    { fromClient: true, data: concat(hugeLen, new Uint8Array(5000)) },
  ]))
    w.add(f);
  const t0 = performance.now();
  const { rows } = await analyzeBytes(w.bytes());
  assert.ok(performance.now() - t0 < 5000);
  const row = rows.tls.find((r) => r.server_name === 'certs.example');
  assert.ok(row, 'the ClientHello row is made');
  // 4000 certificates: the chain length is counted up to a cap, not parsed one by one
  assert.ok(row.cert_chain_len <= 64, String(row.cert_chain_len));
  assert.ok(performance.now() - t0 < 5000);
  for (const r of rows.tls) assert.doesNotThrow(() => JSON.stringify(r));
});

test('reader: a 250 MB caplen at the end of a small piped input does not allocate 250 MB', async () => {
  const w = new PcapWriter(1, 0xffffffff);
  w.add(udpFrame('10.0.0.1', '10.0.0.2', 1, 2, latin1('x')));
  const lying = new Uint8Array(16);
  new DataView(lying.buffer).setUint32(8, 250 << 20, true);
  new DataView(lying.buffer).setUint32(12, 250 << 20, true);
  w.raw(concat(lying, new Uint8Array(100)));
  const before = process.memoryUsage().arrayBuffers;
  let peak = 0;
  // size unknown, like a pipe or an upload stream: the reader cannot tell the record is cut until the end
  const r = await openCapture(new MemorySource(w.bytes(), 'pipe.pcap', 4096, false));
  const rec = new PacketRecord();
  let n = 0;
  for (;;) {
    const s = r.read(rec);
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    if (s === READ_RECORD) n++;
    else if (s === READ_NEED_MORE) await r.fill();
    else break;
  }
  assert.equal(n, 1);
  assert.ok(r.problems.length > 0);
  assert.ok(peak < 16 << 20, `array buffers grew by ${(peak / 2 ** 20).toFixed(1)} MB`);
});
