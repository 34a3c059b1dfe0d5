/**
 * The application-layer commands' split run (app-split.ts) on two and three worker threads hands out exactly
 * what the single-thread run does: every application row of every table in the same order (flow ids included),
 * the host table and the summary; and only one large plain capture is split.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { analyzeFiles } from '../analyze-files.js';
import { APP_TABLES, type AppTable } from '../app-tables.js';
import { analyzeAppSplit, appSplitThreads } from './app-split.js';

const fixtures = new URL('../../../test/fixtures/', import.meta.url).pathname;
const corpus = (process.env.PCAPLENS_SHARED ?? '/work/shared') + '/corpus/';
const CASES: string[] = [
  join(fixtures, 'vxlan-http.pcap'),
  join(fixtures, 'dns-edns-ecs-ipv4-fragments.pcap'),
  join(fixtures, 'ipv6-fragments-mdns.pcap'),
  join(fixtures, 'arp-requests.pcap'),
  join(fixtures, 'tcp-retransmissions-http.pcap'),
  join(fixtures, 'broken-corrupt-record-midfile-smtp.pcap'),
  join(corpus, 'android-phone-mixed.pcap'),
  join(corpus, 'mixed-many-protocols.pcap'),
  join(corpus, 'http-browsing-bro-org.pcap'),
  join(corpus, 'dns-many-types.pcap'),
].filter((p) => existsSync(p));

type Rows = Record<AppTable, unknown[]>;
const emptyRows = (): Rows => Object.fromEntries(APP_TABLES.map((t) => [t, []])) as unknown as Rows;

test('two and three threads hand out the rows, hosts (or their count) and summary of one', async () => {
  assert.ok(CASES.length >= 8, 'captures found');
  const seen = new Map<AppTable, number>();
  for (const path of CASES) {
    const name = path.split('/').pop()!;
    const want = emptyRows();
    const one = await analyzeFiles([path], {
      onFlow: () => undefined,
      onRow: (t, r) => want[t].push(r),
    });
    for (const t of APP_TABLES) seen.set(t, (seen.get(t) ?? 0) + want[t].length);
    for (const threads of [2, 3]) {
      const got = emptyRows();
      let progress = 0;
      // three threads count the hosts only (the summary command), two build the host table
      const split = await analyzeAppSplit(path, {
        threads,
        tables: APP_TABLES,
        hosts: threads === 3 ? 'count' : true,
        onRow: (t, r) => got[t].push(r),
        onProgress: () => progress++,
      });
      assert.ok(progress > 0, `${name}: progress`);
      for (const t of APP_TABLES) assert.deepEqual(got[t], want[t], `${name} x${threads}: ${t}`);
      assert.deepEqual(split.hosts, threads === 3 ? [] : one.hosts, `${name} x${threads}: hosts`);
      assert.deepEqual(split.summary, one.summary, `${name} x${threads}: summary`);
      assert.deepEqual(split.names, one.names, `${name} x${threads}: names`);
    }
  }
  for (const t of ['dns', 'http', 'tls', 'dhcp'] as const) assert.ok((seen.get(t) ?? 0) > 0, `${t} compared`);
});

test('only the tables asked for are handed out; without hosts the summary counts none', async () => {
  const path = CASES.find((p) => p.endsWith('mixed-many-protocols.pcap')) ?? CASES[0]!;
  const want: unknown[] = [];
  const one = await analyzeFiles([path], {
    onFlow: () => undefined,
    hosts: false,
    onRow: (t, r) => {
      if (t === 'dns') want.push(r);
    },
  });
  const got: [AppTable, unknown][] = [];
  const split = await analyzeAppSplit(path, {
    threads: 2,
    tables: ['dns'],
    hosts: false,
    onRow: (t, r) => got.push([t, r]),
  });
  assert.ok(want.length > 0);
  assert.deepEqual(
    got.map(([, r]) => r),
    want,
  );
  assert.ok(got.every(([t]) => t === 'dns'));
  assert.deepEqual(split.summary, one.summary);
  assert.equal(split.summary.hosts, 0);
});

test('a run is split only for one plain capture from the size on', async () => {
  const path = CASES[0]!;
  assert.equal(await appSplitThreads([path], 2), 1, 'small file');
  assert.equal(await appSplitThreads([path], 2, 0), 2);
  assert.equal(await appSplitThreads([path], 1, 0), 1);
  assert.equal(await appSplitThreads([path, path], 2, 0), 1, 'two files');
  assert.equal(await appSplitThreads(['/nonexistent.pcap'], 2, 0), 1, 'missing file');
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-app-split-'));
  try {
    const gz = join(dir, 'x.pcap.gz');
    writeFileSync(gz, gzipSync(readFileSync(path)));
    assert.equal(await appSplitThreads([gz], 2, 0), 1, 'gzip');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
