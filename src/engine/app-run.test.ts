import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { FIXTURE_DIR } from '../../test/golden/paths.js';
import type { FileRow } from '../shared/app-rows.js';
import { analyzeFiles } from './analyze-files.js';
import { AppRun } from './app-run.js';
import { APP_TABLES, emptyAppRows, onlyTables, type AppTable } from './app-tables.js';

const fx = (n: string) => join(FIXTURE_DIR, n);

test('analyzeFiles returns the application rows; onRow streams them instead; app: false skips the layer', async () => {
  const cap = fx('tcp-retransmissions-http.pcap');
  const all = await analyzeFiles([cap]);
  // tshark: 4 POST /exhmedmx requests on the one connection (oracle [http_requests])
  assert.equal(all.http.length, 4);
  assert.ok(all.http.every((r) => r.method === 'POST' && r.uri === '/exhmedmx' && r.status === 200));
  assert.equal(all.files.length, 4);
  const streamed: Record<AppTable, unknown[]> = emptyAppRows();
  const viaRow = await analyzeFiles([cap], { onRow: (t, r) => streamed[t].push(r) });
  for (const t of APP_TABLES) {
    assert.deepEqual(viaRow[t], [], `${t} not collected when streamed`);
    assert.deepEqual(streamed[t], all[t], t);
  }
  const off = await analyzeFiles([cap], { app: false });
  for (const t of APP_TABLES) assert.deepEqual(off[t], []);
  assert.deepEqual(
    off.flows.map((f) => f.id),
    all.flows.map((f) => f.id),
  );
});

test('app_source: port+heuristic when the content check agrees with the port table, the same with or without the app layer', async () => {
  const cap = fx('null-loopback-http-download.pcap');
  const withApp = await analyzeFiles([cap]);
  const without = await analyzeFiles([cap], { app: false });
  // flow 1 carries the download (port 8080 + an HTTP request), flow 2 is a connection without a request
  assert.deepEqual(
    withApp.flows.map((f) => [f.id, f.app, f.app_source]),
    [
      [1, 'http', 'port+heuristic'],
      [2, 'http', 'port'],
    ],
  );
  // the flow layer alone decides: a flows-only run (the flows command) gives the same rows as a full run
  assert.deepEqual(
    without.flows.map((f) => [f.id, f.app, f.app_source]),
    withApp.flows.map((f) => [f.id, f.app, f.app_source]),
  );
  // found by content alone (port 4000) stays heuristic
  const h = await analyzeFiles([fx('tcp-retransmissions-http.pcap')]);
  assert.deepEqual(
    h.flows.map((f) => [f.app, f.app_source]),
    [['http', 'heuristic']],
  );
});

test('onFlowEnd is passed through after the layer emitted the flow’s last rows', async () => {
  const seen: number[] = [];
  const rowsAtEnd = new Map<number, number>();
  let files = 0;
  await analyzeFiles([fx('tcp-retransmissions-http.pcap')], {
    onRow: (t) => {
      if (t === 'files') files++;
    },
    onFlowEnd: (flow) => {
      seen.push(flow.id);
      rowsAtEnd.set(flow.id, files);
    },
  });
  assert.ok(seen.includes(1));
  assert.equal(rowsAtEnd.get(1), 4);
});

test('fileBytes hands out each file’s bytes, whose SHA-256 is the row’s', async () => {
  const got: [FileRow, Uint8Array][] = [];
  await analyzeFiles([fx('null-loopback-http-download.pcap')], {
    fileBytes: { maxFileBytes: 1 << 20, maxHeldBytes: 1 << 20, onFile: (r, b) => got.push([r, b]) },
  });
  assert.equal(got.length, 1);
  const [row, bytes] = got[0]!;
  assert.equal(bytes.length, row.size);
  assert.equal(createHash('sha256').update(bytes).digest('hex'), row.sha256);
  // a cap cuts the bytes, the row still describes the whole transfer
  const cut: [FileRow, Uint8Array][] = [];
  await analyzeFiles([fx('null-loopback-http-download.pcap')], {
    fileBytes: { maxFileBytes: 10_000, maxHeldBytes: 1 << 20, onFile: (r, b) => cut.push([r, b]) },
  });
  assert.equal(cut[0]![1].length, 10_000);
  assert.equal(cut[0]![0].sha256, row.sha256);
  assert.deepEqual(Buffer.from(cut[0]![1]), Buffer.from(bytes.subarray(0, 10_000)));
});

test('reassembly limits become E_LIMIT problems naming the file, capped with a count of the rest', () => {
  const run = new AppRun(undefined, undefined);
  for (let i = 0; i < 150; i++)
    run.layer.sinks.problem?.({ packet: i + 1, fileIndex: i % 2, message: 'held bytes over the limit' });
  const p = run.problems(['a.pcap', 'b.pcap']);
  assert.equal(p.length, 101);
  assert.deepEqual(p[1], {
    file: 'b.pcap',
    offset: 0,
    code: 'E_LIMIT',
    message: 'held bytes over the limit',
    packet: 2,
  });
  assert.equal(p[100]!.message, '50 more reassembly limit problems');
});

test('the engine registers native SHA-256 for file bodies: the same digests as the pure one, piece by piece', async () => {
  const { Sha256, createSha256 } = await import('../shared/sha256.js');
  const data = new Uint8Array(5000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + (i >> 8)) & 0xff;
  const pure = new Sha256();
  const native = createSha256();
  assert.ok(!(native instanceof Sha256), 'app-run.js registered its backend');
  for (const [s, e] of [
    [0, 1],
    [1, 64],
    [64, 65],
    [65, 4000],
    [4000, 4000],
    [4000, 5000],
  ] as const) {
    pure.update(data, s, e);
    native.update(data, s, e);
  }
  const expected = createHash('sha256').update(data).digest('hex');
  assert.equal(Buffer.from(pure.digest()).toString('hex'), expected);
  assert.equal(Buffer.from(native.digest()).toString('hex'), expected);
});

test('onlyTables: the rows of the tables named, as a full run makes them, and no others; extraction keeps files', async () => {
  const caps = [
    'tcp-retransmissions-http.pcap',
    'tls12-sni-sct.pcap',
    'dhcp-dora.pcap',
    'dns-edns-ecs-ipv4-fragments.pcap',
  ];
  for (const cap of caps.map(fx)) {
    const all = await analyzeFiles([cap]);
    for (const tables of [[], ['http'], ['tls', 'dns'], ['files', 'dhcp']] as AppTable[][]) {
      const got: Record<AppTable, unknown[]> = emptyAppRows();
      const r = await analyzeFiles([cap], { onRow: onlyTables(tables, (t, row) => got[t].push(row)) });
      for (const t of APP_TABLES) assert.deepEqual(got[t], tables.includes(t) ? all[t] : [], `${cap} ${t}`);
      assert.deepEqual(r.summary, all.summary);
    }
  }
  // with file extraction the files sink stays, whatever table is printed
  const files: FileRow[] = [];
  const got: Record<AppTable, unknown[]> = emptyAppRows();
  await analyzeFiles([fx('null-loopback-http-download.pcap')], {
    onRow: onlyTables(['http'], (t, row) => got[t].push(row)),
    fileBytes: { maxFileBytes: 1 << 20, maxHeldBytes: 1 << 20, onFile: (row) => files.push(row) },
  });
  const whole = await analyzeFiles([fx('null-loopback-http-download.pcap')]);
  assert.equal(whole.files.length, 1);
  assert.deepEqual(files, whole.files);
  assert.deepEqual(got.http, whole.http);
  assert.deepEqual(got.files, whole.files);
  // the tables exercised above are not empty
  const full = await analyzeFiles(caps.map(fx));
  for (const t of ['http', 'tls', 'dns', 'files', 'dhcp'] as const) assert.ok(full[t].length > 0, t);
});
