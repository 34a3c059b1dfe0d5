import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { isoToNs } from '../shared/filter/index.js';
import { main } from './main.js';
import { MemoryStream } from './io.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fx = (name: string): string => join(root, 'test/fixtures', name);
const tmp = mkdtempSync(join(tmpdir(), 'pcaplens-stored-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[]) {
  const stdout = new MemoryStream(false);
  const stderr = new MemoryStream(false);
  const code = await main(argv, { stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

async function json<T = Record<string, unknown>[]>(argv: string[]): Promise<T> {
  const r = await run([...argv, '--format', 'json']);
  assert.equal(r.code, 0, `${argv.join(' ')}: ${r.err}`);
  return JSON.parse(r.out) as T;
}

type Row = Record<string, unknown>;
const byId = (rows: Row[]) => [...rows].sort((a, b) => Number(a.id) - Number(b.id));
const byIp = (rows: Row[]) => [...rows].sort((a, b) => String(a.ip).localeCompare(String(b.ip)));

/** Imports `files` as one capture into the store at `opts` and returns its id. */
async function importOne(files: string[], opts: string[]): Promise<number> {
  const r = await run(['import', ...files, ...opts]);
  assert.equal(r.code, 0, r.err);
  return Number(r.out.trim());
}

const flowShape = (rows: Row[]) => byId(rows);
const hostShape = byIp;

/** The stored capture answers flows, hosts, summary and packets exactly as the files do. */
async function sameAsDirect(files: string[], opts: string[]): Promise<void> {
  const id = await importOne(files, opts);
  const at = [`@${id}`, ...opts];
  const flows = flowShape(await json(['flows', ...at]));
  assert.deepEqual(flows, flowShape(await json(['flows', ...files])), `flows ${files}`);
  assert.ok(flows.length > 0);
  const hosts = hostShape(await json(['hosts', ...at]));
  assert.deepEqual(hosts, hostShape(await json(['hosts', ...files])), `hosts ${files}`);
  assert.deepEqual(await json(['summary', ...at]), await json(['summary', ...files]), `summary ${files}`);
  // --tables: the rows stored per application table are the rows a direct run makes
  const storedRows = (await json<Row>(['summary', ...at, '--tables'])).app_rows;
  assert.deepEqual(
    storedRows,
    (await json<Row>(['summary', ...files, '--tables'])).app_rows,
    `app_rows ${files}`,
  );
  assert.deepEqual(await json(['packets', ...at]), await json(['packets', ...files]), `packets ${files}`);
}

const EQUAL_SET = [
  ['tcp-retransmissions-http.pcap'],
  ['vxlan-http.pcap'],
  ['dns-edns-ecs-ipv4-fragments.pcap'],
  ['pcapng-le-comments-two-linktypes.pcapng'],
  ['broken-corrupt-record-midfile-smtp.pcap'],
  // two files make one capture, merged in time order as the direct run merges them
  ['ipv6-fragments-mdns.pcap', 'arp-requests.pcap'],
];

test('flows/hosts/summary/packets @ID give the rows of the direct run (DuckDB)', async () => {
  const opts = ['--data', join(tmp, 'duck')];
  for (const files of EQUAL_SET) await sameAsDirect(files.map(fx), opts);
});

const pgUrl = process.env.PCAPLENS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}
const pgUp = await pgReachable();
if (!pgUp && process.env.CI === 'true') throw new Error(`PostgreSQL not reachable at ${pgUrl} (CI=true)`);

test(
  'the same on PostgreSQL (--store postgres://...)',
  { skip: pgUp ? false : 'PostgreSQL not reachable' },
  async () => {
    const schema = `pcaplens_cli_${randomBytes(5).toString('hex')}`;
    const url = `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}`;
    try {
      const opts = ['--store', url, '--data', join(tmp, 'pg')];
      for (const files of EQUAL_SET.slice(1, 4)) await sameAsDirect(files.map(fx), opts);
    } finally {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  },
);

test('--from/--to/--sort/--limit on a stored capture', async () => {
  const opts = ['--data', join(tmp, 'window')];
  const file = fx('icmpv6-mixed.pcap');
  const id = await importOne([file], opts);
  const all = byId(await json(['flows', file]));
  const start = isoToNs((await json<Row>(['summary', file])).first_ts as string)!;
  const from = start + 10_000_000_000n;
  const to = start + 40_000_000_000n;
  const expected = all.filter(
    (f) => isoToNs(f.last_ts as string)! >= from && isoToNs(f.first_ts as string)! <= to,
  );
  assert.ok(expected.length > 0 && expected.length < all.length, `${expected.length} of ${all.length}`);
  const got = await json(['flows', `@${id}`, ...opts, '--from', '+10s', '--to', '+40s']);
  assert.deepEqual(got, expected);
  const top = await json(['flows', `@${id}`, ...opts, '--sort=-bytes_fwd,id', '--limit', '3']);
  const want = [...all]
    .sort((a, b) => Number(b.bytes_fwd) - Number(a.bytes_fwd) || Number(a.id) - Number(b.id))
    .slice(0, 3);
  assert.deepEqual(top, want);
  const multicast = await json(['flows', `@${id}`, ...opts, '--filter', 'ip.dst == ff00::/8']);
  const multicastWant = all.filter((f) => String(f.dst_ip).startsWith('ff'));
  assert.ok(multicastWant.length > 0);
  assert.deepEqual(multicast, multicastWant);
  const bad = await run(['flows', `@${id}`, ...opts, '--from', 'yesterday']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /bad time/);
  const missing = await run(['flows', '@999', ...opts]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no stored capture with id 999/);
});

test('import, re-import, --each, captures, rm (kept files removed when unused)', async () => {
  const data = join(tmp, 'lifecycle');
  const opts = ['--data', data];
  const a = fx('vxlan-http.pcap');
  const b = fx('arp-requests.pcap');
  const first = await run(['import', a, ...opts]);
  assert.deepEqual([first.code, first.err], [0, '']);
  const again = await run(['import', a, ...opts]);
  assert.equal(again.out, first.out);
  assert.match(again.err, /already stored as capture \d+/);
  const forced = await run(['import', a, '--force', ...opts]);
  assert.notEqual(forced.out, first.out);
  const each = await run(['import', '--each', a, b, ...opts]);
  const ids = each.out.trim().split('\n');
  assert.equal(ids.length, 2);
  assert.equal(ids[0], forced.out.trim()); // the newest capture with that content
  const list = await json(['captures', ...opts]);
  assert.deepEqual(
    list.map((c) => [c.id, c.name, c.packets]),
    [
      [Number(ids[1]), 'arp-requests.pcap', 6],
      [Number(forced.out), 'vxlan-http.pcap', 12],
      [Number(first.out), 'vxlan-http.pcap', 12],
    ],
  );
  const kept = () => readdirSync(join(data, 'captures')).filter((n) => !n.startsWith('.')).length;
  assert.equal(kept(), 2);
  // vxlan is still used by the forced copy: its file stays; arp goes
  const rm1 = await run(['rm', first.out.trim(), `@${ids[1]}`, ...opts]);
  assert.deepEqual([rm1.code, rm1.err], [0, '']);
  assert.equal(kept(), 1);
  const rm2 = await run(['rm', forced.out.trim(), '12345', ...opts]);
  assert.equal(rm2.code, 1);
  assert.match(rm2.err, /no stored capture with id 12345/);
  assert.equal(kept(), 0);
  assert.deepEqual(await json(['captures', ...opts]), []);
  const usage = await run(['import', '--each', '--name', 'x', a, ...opts]);
  assert.equal(usage.code, 2);
});

test('packets: filter mixing frame and conversation fields, limit, and --detail', async () => {
  const opts = ['--data', join(tmp, 'packets')];
  const file = fx('tcp-retransmissions-http.pcap');
  const id = await importOne([file], opts);
  const all = await json(['packets', file]);
  assert.equal(all.length, 108);
  const f = ['--filter', 'tcp.port == 4000 and frame.len > 100'];
  const want = all.filter((p) => Number(p.len) > 100 && (p.src_port === 4000 || p.dst_port === 4000));
  assert.ok(want.length > 0);
  assert.deepEqual(await json(['packets', file, ...f]), want);
  assert.deepEqual(await json(['packets', `@${id}`, ...opts, ...f]), want);
  assert.deepEqual(await json(['packets', `@${id}`, ...opts, '--limit', '5']), all.slice(0, 5));
  assert.deepEqual(await json(['packets', `@${id}`, ...opts, '--limit', '0']), []);
  const d = await json<Row>(['packets', `@${id}`, ...opts, '--detail', '4']);
  const direct = await json<Row>(['packets', file, '--detail', '4']);
  assert.deepEqual({ ...d, flow_id: null }, direct);
  assert.equal(d.flow_id, 1);
  const text = await run(['packets', file, '--detail', '4', '--format', 'table']);
  assert.match(text.out, /^Frame 4: 74 bytes on wire/);
  assert.match(text.out, /^Transmission Control Protocol, 4000 → 59221, \[SYN, ACK\]/m);
  assert.match(text.out, /^0040  08 0a 56 27 45 8f 00 0a {2}74 71 /m);
  const bad = await run(['packets', file, '--filter', 'frame.lenn > 3']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown field frame.lenn/);
});

test('export from a stored capture; .pcap refused for two link types', async () => {
  const opts = ['--data', join(tmp, 'export')];
  const two = fx('pcapng-le-comments-two-linktypes.pcapng');
  const id = await importOne([two], opts);
  const out = join(tmp, 'sel.pcapng');
  const ok = await run(['export', `@${id}`, ...opts, '--filter', 'frame.protocol == "tcp"', '-o', out]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.err, /wrote \d+ frames/);
  const pcap = join(tmp, 'sel.pcap');
  const refused = await run(['export', `@${id}`, ...opts, '-o', pcap]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /several link types .* write pcapng/);
  assert.equal(existsSync(pcap), false);
  const exists = await run(['export', `@${id}`, ...opts, '-o', out]);
  assert.equal(exists.code, 1);
  assert.match(exists.err, /exists \(use --force/);
  const noOut = await run(['export', `@${id}`, ...opts]);
  assert.equal(noOut.code, 2);
});
