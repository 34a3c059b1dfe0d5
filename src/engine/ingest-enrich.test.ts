import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES, type TableName } from '../shared/filter/tables.js';
import { openStore } from '../store/open.js';
import { analyzeFiles } from './analyze-files.js';
import { APP_TABLES } from './app-tables.js';
import { enrichRun } from './enrich-result.js';
import { defaultEnrichment } from './enrich-sources.js';
import { ingestFiles } from './ingest.js';
import { toStoredAlert } from './stored-alert.js';

/**
 * The import streams rows to the store as they finish and keeps only what enrichment and the alert analyses
 * read; the stored tables must still equal what the whole run in memory gives (analyzeFiles + enrichRun over
 * every row, the direct CLI's way), including the enriched hosts and the alerts.
 */
const fixtures = new URL('../../test/fixtures/', import.meta.url).pathname;
const corpus = new URL('../../../shared/corpus/', import.meta.url).pathname;
const CAPTURES = [
  join(fixtures, 'dhcp-dora.pcap'),
  join(fixtures, 'tcp-retransmissions-http.pcap'),
  join(fixtures, 'sll2-tls13-sni.pcap'),
  join(fixtures, 'ipv6-fragments-mdns.pcap'),
  join(fixtures, 'seed-pcapviz-project-test3.pcap'),
  join(corpus, 'mixed-many-protocols.pcap'),
  join(corpus, 'pcapxray-sample-mixed.pcap'),
  join(corpus, 'smtp-auth-login.pcap'),
  join(corpus, 'pop3-auth-plain.pcap'),
  join(corpus, 'ftp-login-ipv4.pcap'),
  join(corpus, 'http-iso-file-download.pcap'),
].filter((p) => existsSync(p));

/** A table's rows as stored: only the table's columns, in order (what page() reads back). */
function project(table: TableName, rows: readonly object[]): unknown[][] {
  const cols = TABLES[table].columns.filter((c) => !c.derive);
  return rows.map((r) => cols.map((c) => (r as Record<string, unknown>)[c.name] ?? null));
}

test('stored flows, hosts, alerts and every app table equal the in-memory run, batch sizes 7 and default', async () => {
  assert.ok(CAPTURES.length >= 5);
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-ingest-enrich-'));
  const store = await openStore(undefined, dir);
  const enrichment = defaultEnrichment();
  let alerts = 0;
  let named = 0;
  try {
    for (const path of CAPTURES) {
      const direct = await analyzeFiles([path]);
      const enriched = await enrichRun(direct, enrichment);
      for (const batchRows of [7, undefined]) {
        const row = await ingestFiles(store, dir, [path], { enrichment, batchRows, force: true });
        // artifact tables come back in write order (their key) unless sorted
        const stored = async (t: TableName, key?: string) => {
          const sort = key ? [{ column: key }] : undefined;
          return project(t, (await store.page(t, { captureId: row.id, limit: 100_000, sort })).rows);
        };
        const what = `${path} batch ${batchRows ?? 'default'}`;
        assert.deepEqual(await stored('flows', 'id'), project('flows', direct.flows), `${what} flows`);
        for (const t of APP_TABLES) assert.deepEqual(await stored(t), project(t, direct[t]), `${what} ${t}`);
        assert.deepEqual(await stored('alerts'), project('alerts', enriched.alerts.map(toStoredAlert)), what);
        // hosts: compared as sets, each side in the same (text) order of its address
        const byIp = (rows: unknown[][]) => {
          const i = TABLES.hosts.columns.filter((c) => !c.derive).findIndex((c) => c.name === 'ip');
          return rows.sort((a, b) =>
            String(a[i]) < String(b[i]) ? -1 : String(a[i]) > String(b[i]) ? 1 : 0,
          );
        };
        assert.deepEqual(
          byIp(await stored('hosts')),
          byIp(project('hosts', enriched.hosts)),
          `${what} hosts`,
        );
      }
      alerts += enriched.alerts.length;
      named += enriched.hosts.filter((h) => h.names.length > 0).length;
    }
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
  // the comparison covers alerts and names from the application layer, not only empty tables
  assert.ok(alerts > 0, 'some alerts');
  assert.ok(named > 0, 'some named hosts');
});
