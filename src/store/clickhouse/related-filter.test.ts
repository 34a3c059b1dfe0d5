/**
 * A filter on an application table's field (dns.query_name, http.host, tls.sni) on the flow-based tables
 * of the ClickHouse store (GLOBAL IN over the Distributed tables of a two-shard cluster) selects the same
 * flows, packets and hosts as on DuckDB, where src/server/related-filter.test.ts checks them against the
 * stored application rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../engine/ingest.js';
import { compileFilter } from '../../shared/filter/index.js';
import type { TableName } from '../../shared/filter/tables.js';
import { DuckDbStore } from '../duckdb/duckdb-store.js';
import type { Store } from '../store.js';
import type { ClickHouseStore } from './clickhouse-store.js';
import { clickhouseSkip, openTestStore, startTestCluster, type TestCluster } from './test-cluster.js';

const CORPUS = new URL('../../../../shared/corpus/', import.meta.url).pathname;
const FILES = ['android-phone-mixed.pcap', 'mixed-many-protocols.pcap'].map((f) => join(CORPUS, f));
const FILTERS = [
  'dns.query_name contains "google"',
  'tls.sni contains "google" or dns.query_name contains "google"',
  'not dns.query_name contains "google"',
  'dns.query_name == "it\'s \\" --"',
];
/** mixed with the flow's own fields, which only flows have */
const FLOW_FILTERS = ['not dns.query_name contains "google" and udp', 'http.host != "" and tcp.port == 80'];

async function keys(store: Store, table: TableName, captureId: number, filter: string) {
  const page = await store.page(table, { captureId, limit: 100_000, filter: compileFilter(filter, table) });
  const rows = page.rows as unknown as Record<string, unknown>[];
  const key = table === 'flows' ? 'id' : table === 'packets' ? 'n' : 'ip';
  return rows.map((r) => String(r[key])).sort();
}

describe('application-field filters on the ClickHouse cluster', { skip: clickhouseSkip() }, () => {
  let cluster: TestCluster;
  let ch: ClickHouseStore;
  let duck: DuckDbStore;
  let dir: string;
  const pairs: [number, number][] = [];

  before(async () => {
    cluster = await startTestCluster();
    ch = await openTestStore(cluster.url);
    dir = await mkdtemp(join(tmpdir(), 'pcaplens-ch-related-'));
    duck = await DuckDbStore.open(dir);
    await duck.migrate();
    for (const f of FILES)
      pairs.push([(await ingestFiles(ch, dir, [f])).id, (await ingestFiles(duck, dir, [f])).id]);
  });
  after(async () => {
    await ch?.close();
    await duck?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    await cluster?.stop();
  });

  test('flows, packets and hosts equal DuckDB for every filter', async () => {
    let nonEmpty = 0;
    for (const [chId, duckId] of pairs) {
      for (const filter of [...FILTERS, ...FLOW_FILTERS]) {
        for (const table of ['flows', 'packets', 'hosts'] as const) {
          if (table !== 'flows' && FLOW_FILTERS.includes(filter)) continue;
          const want = await keys(duck, table, duckId, filter);
          assert.deepEqual(await keys(ch, table, chId, filter), want, `${table}: ${filter}`);
          if (want.length > 0) nonEmpty++;
        }
      }
    }
    // the time histogram joins each packet to its flow on the packet's shard
    for (const [chId, duckId] of pairs) {
      for (const filter of [...FILTERS, ...FLOW_FILTERS, 'flow.id == 3 or flow.id == 7']) {
        const q = { bucketSec: 10, groupBy: 'proto' as const, filter: compileFilter(filter, 'flows') };
        assert.deepEqual(
          await ch.timeHistogram({ ...q, captureId: chId }),
          await duck.timeHistogram({ ...q, captureId: duckId }),
          `histogram: ${filter}`,
        );
      }
    }
    // the filters selected something, not only empty sets
    assert.ok(nonEmpty >= 16, `non-empty answers: ${nonEmpty}`);
  });
});
