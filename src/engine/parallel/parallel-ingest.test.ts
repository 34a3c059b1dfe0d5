/**
 * The import on two worker threads stores exactly what the single-thread import stores: every table row for
 * row in stored order (flow ids, packet index, hosts, application rows, alerts) and the capture summary, on
 * captures with tunnels, IP fragments, link-layer-only traffic, undecoded link types and application rows.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { TableName } from '../../shared/filter/tables.js';
import { ingestFiles } from '../ingest.js';
import {
  assertSameStored,
  CORPUS as corpus,
  FIXTURES as fixtures,
  presentCases,
} from '../test-support/stored-compare.js';

const CASES: string[][] = presentCases([
  [join(fixtures, 'vxlan-http.pcap')],
  [join(fixtures, 'dns-edns-ecs-ipv4-fragments.pcap')],
  [join(fixtures, 'ipv6-fragments-mdns.pcap')],
  [join(fixtures, 'arp-requests.pcap')],
  [join(fixtures, 'broken-unsupported-linktype-284-dsa.pcap')],
  // two files merged in time order
  [join(fixtures, 'dhcp-dora.pcap'), join(fixtures, 'tls12-sni-sct.pcap')],
  [join(corpus, 'android-phone-mixed.pcap')],
  [join(corpus, 'mixed-many-protocols.pcap')],
]);

let dir: string;
let store: DuckDbStore;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-parallel-'));
  store = await DuckDbStore.open(dir);
  await store.migrate();
});
after(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('two decoding threads store the same rows as one', async () => {
  assert.ok(CASES.length >= 6, 'fixtures found');
  const seen: Partial<Record<TableName, number>> = {};
  for (const paths of CASES) {
    const name = paths.map((p) => p.split('/').pop()).join('+');
    const one = await ingestFiles(store, dir, paths, { threads: 1 });
    let progress = 0;
    const two = await ingestFiles(store, dir, paths, {
      threads: 2,
      force: true,
      onProgress: () => progress++,
    });
    assert.ok(progress > 0, `${name}: progress reported`);
    await assertSameStored(store, one, two, name, seen);
  }
  for (const t of ['flows', 'packets', 'hosts', 'dns', 'http', 'tls'] as const)
    assert.ok((seen[t] ?? 0) > 0, `${t} rows compared`);
});
