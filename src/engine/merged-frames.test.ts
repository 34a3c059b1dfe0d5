/**
 * Several files read as one capture: application rows name frames by the same number as the packet index
 * (the frame's place in the time-ordered merge, as Wireshark numbers a mergecap output), not by the frame's
 * place in its own file. Oracle: tshark on the mergecap merge of the same files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isoToNs } from '../shared/filter/time-bound.js';
import { openStore } from '../store/open.js';
import { analyzeFiles } from './analyze-files.js';
import { APP_TABLES, type AppRows } from './app-tables.js';
import { ingestFiles } from './ingest.js';

const fixtures = new URL('../../test/fixtures/', import.meta.url).pathname;
// all Ethernet: seed-pcapviz (2016-01, DNS and HTTP) comes first in time although given last; tls12-sni-sct
// (2017-01) falls between the frames of dns-edns (2016-05 .. 2019-06), so the merge interleaves them
const FILES = [
  'dns-edns-ecs-ipv4-fragments.pcap',
  'tls12-sni-sct.pcap',
  'seed-pcapviz-project-test3.pcap',
].map((f) => join(fixtures, f));

function have(cmd: string): boolean {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const tools = have('mergecap') && have('tshark');
const skip = tools ? false : process.env.CI === 'true' ? false : 'mergecap/tshark not installed';

function tshark(file: string, filter: string, fields: string[]): string[][] {
  const args = ['-r', file, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f'];
  if (filter) args.push('-Y', filter);
  for (const f of fields) args.push('-e', f);
  const out = execFileSync('tshark', args, {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

/** "1453652728.340553000" -> nanoseconds */
function epochNs(s: string): bigint {
  const [sec, frac = ''] = s.split('.');
  return BigInt(sec!) * 1_000_000_000n + BigInt((frac + '000000000').slice(0, 9));
}

type Row = { packet: number; ts: string } & Record<string, unknown>;

function appRows(r: AppRows): [string, Row[]][] {
  return APP_TABLES.map((t) => [t, r[t] as unknown as Row[]]);
}

test('merged files: app rows name the frame tshark numbers in the mergecap merge', { skip }, async () => {
  assert.ok(tools, 'mergecap and tshark are needed under CI');
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-merged-frames-'));
  try {
    const merged = join(dir, 'merged.pcap');
    execFileSync('mergecap', ['-F', 'pcap', '-w', merged, ...FILES]);
    const times = new Map<number, bigint>();
    for (const [n, t] of tshark(merged, '', ['frame.number', 'frame.time_epoch']))
      times.set(Number(n), epochNs(t!));
    const dns = new Map<number, { id: number; name: string }[]>();
    for (const [n, id, name] of tshark(merged, 'dns', ['frame.number', 'dns.id', 'dns.qry.name'])) {
      const k = Number(n);
      dns.set(k, [...(dns.get(k) ?? []), { id: Number(id), name: name ?? '' }]);
    }
    const httpReq = new Map<number, string>();
    for (const [n, m] of tshark(merged, 'http.request', ['frame.number', 'http.request.method']))
      httpReq.set(Number(n), m!);

    const r = await analyzeFiles(FILES);
    assert.equal(r.summary.packets, times.size);
    let checked = 0;
    for (const [table, rows] of appRows(r)) {
      for (const row of rows) {
        const at = times.get(row.packet);
        assert.equal(at, isoToNs(row.ts), `${table} row at ${row.ts}: frame ${row.packet} has another time`);
        checked++;
      }
    }
    // the three files have rows in every file: dns in two, http in one, tls in one
    assert.ok(r.dns.length > 80 && r.http.length > 0 && r.tls.length > 0, 'rows of dns, http and tls');
    assert.ok(checked >= r.dns.length + r.http.length + r.tls.length);
    // and the frame is the very message of the row
    for (const row of r.dns) {
      const msgs = dns.get(row.packet) ?? [];
      assert.ok(
        msgs.some((m) => m.id === row.trans_id && (row.query_name === null || m.name === row.query_name)),
        `dns ${row.trans_id} ${row.query_name}: frame ${row.packet} is ${JSON.stringify(msgs)}`,
      );
    }
    for (const row of r.http) {
      if (row.method === null) continue;
      assert.equal(httpReq.get(row.packet), row.method, `http ${row.method} ${row.uri}: frame ${row.packet}`);
    }
    // rows of the file read first in time but given last are not numbered from 1 within their file alone
    const last = r.summary.packets;
    assert.ok(
      r.dns.some((d) => d.packet > last - 89),
      'dns rows of the last frames in time',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('merged import: app rows point at packet index rows with their own time', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-merged-frames-'));
  const store = await openStore(undefined, dir);
  try {
    for (const threads of [1, 2]) await checkImport(store, dir, threads);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});

async function checkImport(store: Awaited<ReturnType<typeof openStore>>, dir: string, threads: number) {
  const cap = await ingestFiles(store, dir, FILES, { enrichment: false, threads, force: true });
  const idx = await store.page('packets', { captureId: cap.id, limit: 100_000, sort: [{ column: 'n' }] });
  assert.equal(idx.rows.length, cap.packets);
  const ts = new Map<number, string>(idx.rows.map((p) => [p.n, p.ts]));
  let checked = 0;
  for (const t of APP_TABLES) {
    const page = await store.page(t, { captureId: cap.id, limit: 100_000 });
    for (const row of page.rows as unknown as Row[]) {
      assert.equal(
        ts.get(row.packet),
        row.ts,
        `threads ${threads}: ${t} row at ${row.ts} names frame ${row.packet}`,
      );
      checked++;
    }
  }
  assert.ok(checked > 90, `${checked} rows checked`);
  // the direct run of the same files numbers its rows the same
  const direct = await analyzeFiles(FILES);
  const stored = await store.page('dns', { captureId: cap.id, limit: 100_000 });
  assert.deepEqual(
    (stored.rows as unknown as Row[]).map((d) => d.packet).sort((a, b) => a - b),
    direct.dns.map((d) => d.packet).sort((a, b) => a - b),
  );
}
