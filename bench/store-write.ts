/**
 * Store throughput and query latency. Writes ~1.1M packet-index rows and 100k flows (synthetic, see
 * src/store/test-data.ts) into DuckDB and, when it answers, PostgreSQL, then times the typical queries on
 * the DuckDB copy. PostgreSQL also gets a multi-row INSERT run (bound parameters) to compare with COPY.
 *   npx tsx bench/store-write.ts [--flows 100000] [--pg postgres://postgres@127.0.0.1:5432/test] [--no-pg] [--pg-queries]
 *
 * Baseline, 2026-11-22, 2 vCPU shared with other developers' runs (load average 7-8, so +-50 %), Node 20,
 * DuckDB 1.5 (node-api), PostgreSQL 15 on loopback; 1 135 863 packet rows, 100 000 flows, batches of 10 000:
 *   DuckDB appender:    packets 551 k rows/s, flows 45 k rows/s (flows alone, without the 1.1M packet rows
 *                       live: ~76 k rows/s; the rest is GC of the generated rows)
 *   PostgreSQL COPY:    packets 160 k rows/s, flows 25 k rows/s
 *   PostgreSQL INSERT:  packets 58 k rows/s (multi-row, 7 281 rows per statement, bound parameters)
 *   DuckDB queries (median of 3, warm): count 1 ms; flows page with CIDR+port filter sorted by bytes 45-75 ms;
 *     flows page at offset 50 000 43-100 ms; packets of one flow 3-13 ms; packets page at offset 500 000 in a
 *     window 50-100 ms; top talkers 12-40 ms; histogram 60 s 25-30 ms (1 120 ms before the BIGINT cast);
 *     histogram by app with filter 110-170 ms; graph edges L4 8-19 ms; conversations L3 50-70 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { compileFilter } from '../src/shared/filter/validate.js';
import { tableFields } from '../src/shared/filter/bindings.js';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import { PostgresStore } from '../src/store/postgres/postgres-store.js';
import type { Store } from '../src/store/store.js';
import { syntheticCapture } from '../src/store/test-data.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const nFlows = Number(opt('--flows', '100000'));
const pgUrl = opt('--pg', process.env.PCAPLENS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test');
const BATCH = 10_000;

const t0 = performance.now();
const cap = syntheticCapture(nFlows, 11);
console.log(
  `data: ${cap.packets.length} packet rows, ${cap.flows.length} flows (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);

async function timedImport(store: Store, label: string): Promise<number> {
  let packetsMs = 0;
  let flowsMs = 0;
  const row = await store.importCapture(
    { name: label, sha256: randomBytes(32).toString('hex'), size: 0, format: 'pcap', link_types: [1] },
    async (w) => {
      let t = performance.now();
      for (let i = 0; i < cap.packets.length; i += BATCH)
        await w.write('packets', cap.packets.slice(i, i + BATCH));
      packetsMs = performance.now() - t;
      t = performance.now();
      for (let i = 0; i < cap.flows.length; i += BATCH) await w.write('flows', cap.flows.slice(i, i + BATCH));
      flowsMs = performance.now() - t;
      return {
        packets: cap.packets.length,
        bytes: 0,
        first_ts: cap.packets[0]!.ts,
        last_ts: cap.packets.at(-1)!.ts,
      };
    },
  );
  const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} rows/s`;
  console.log(
    `${label}: packets ${rate(cap.packets.length, packetsMs)} (${(packetsMs / 1000).toFixed(1)} s), flows ${rate(cap.flows.length, flowsMs)} (${(flowsMs / 1000).toFixed(1)} s)`,
  );
  return row.id;
}

async function timeQueries(store: Store, id: number): Promise<void> {
  const f = (s: string) => compileFilter(s, 'flows', tableFields('flows'));
  const p = (s: string) => compileFilter(s, 'packets', tableFields('packets'));
  const cases: [string, () => Promise<unknown>][] = [
    ['count packets', () => store.countRows('packets', { captureId: id })],
    [
      'page flows, filter ip.addr CIDR + tcp.port, sort bytes desc',
      () =>
        store.page('flows', {
          captureId: id,
          filter: f('ip.addr == 10.0.0.0/8 and tcp.port == 443'),
          sort: [{ column: 'bytes', desc: true }],
          limit: 100,
        }),
    ],
    [
      'page flows, app contains, offset 50000',
      () => store.page('flows', { captureId: id, filter: f('app contains "t"'), limit: 100, offset: 50000 }),
    ],
    [
      'page packets of one flow',
      () => store.page('packets', { captureId: id, filter: p('flow.id == 4242'), limit: 1000 }),
    ],
    [
      'page packets, time window, offset 500000',
      () =>
        store.page('packets', { captureId: id, from: cap.packets[400000]!.ts, limit: 100, offset: 500000 }),
    ],
    ['top talkers by bytes', () => store.topTalkers({ captureId: id, by: 'bytes', n: 20 })],
    [
      'top talkers by peers, filter udp',
      () => store.topTalkers({ captureId: id, by: 'peers', n: 20, filter: f('udp') }),
    ],
    ['histogram 60 s', () => store.timeHistogram({ captureId: id, bucketSec: 60 })],
    [
      'histogram 10 s by app, filter ip.addr',
      () =>
        store.timeHistogram({
          captureId: id,
          bucketSec: 10,
          groupBy: 'app',
          filter: f('ip.addr == 10.0.0.11'),
        }),
    ],
    ['graph edges layer 4', () => store.graphEdges({ captureId: id, layer: 4, limit: 1000 })],
    ['conversations layer 3', () => store.conversations({ captureId: id, layer: 3, limit: 100 })],
  ];
  for (const [name, run] of cases) {
    await run(); // warm
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`  ${name}: median ${times[1]!.toFixed(1)} ms`);
  }
}

/** Baseline for COPY: the same packet rows as multi-row INSERTs with bound parameters. */
async function pgInsertBaseline(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await c.connect();
  const cols = ['capture_id', 'n', 'ts', 'file_index', 'file_offset', 'caplen', 'len', 'flow_id', 'protocol'];
  const rowsPer = Math.floor(65535 / cols.length);
  const n = Math.min(cap.packets.length, 300_000);
  const t = performance.now();
  await c.query('BEGIN');
  for (let i = 0; i < n; i += rowsPer) {
    const slice = cap.packets.slice(i, Math.min(n, i + rowsPer));
    const params: unknown[] = [];
    const values = slice.map((r) => {
      const base = params.length;
      params.push(
        999,
        r.n,
        String(BigInt(Date.parse(r.ts)) * 1_000_000n),
        r.file_index,
        r.file_offset,
        r.caplen,
        r.len,
        r.flow_id,
        r.protocol,
      );
      return `(${cols.map((_, j) => `$${base + j + 1}`).join(', ')})`;
    });
    await c.query(`INSERT INTO packets (${cols.join(', ')}) VALUES ${values.join(', ')}`, params);
  }
  await c.query('ROLLBACK');
  const ms = performance.now() - t;
  console.log(
    `postgres multi-row INSERT (${rowsPer} rows/statement, ${n} rows): ${Math.round(n / (ms / 1000)).toLocaleString('en-US')} rows/s`,
  );
  await c.end();
}

const dir = await mkdtemp(join(tmpdir(), 'pcaplens-bench-'));
try {
  const duck = await DuckDbStore.open(dir);
  await duck.migrate();
  const id = await timedImport(duck, 'duckdb');
  console.log('duckdb query latency (1.1M packets, 100k flows):');
  await timeQueries(duck, id);
  await duck.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}

if (!args.includes('--no-pg')) {
  const schema = `pcaplens_bench_${randomBytes(4).toString('hex')}`;
  let store: PostgresStore | null = null;
  try {
    store = await PostgresStore.open({ connectionString: pgUrl, schema });
    await store.migrate();
    const id = await timedImport(store, 'postgres COPY');
    if (args.includes('--pg-queries')) {
      console.log('postgres query latency:');
      await timeQueries(store, id);
    }
    await pgInsertBaseline(pgUrl, schema);
  } catch (e) {
    console.log(`postgres skipped: ${(e as Error).message}`);
  } finally {
    await store?.close();
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect().then(
      () => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => c.end()),
      () => {},
    );
  }
}
