import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { ingestFiles } from '../engine/ingest.js';
import { checkFilter, compileFilter, filterPredicate, parseFilter } from '../shared/filter/index.js';
import { DUCKDB_DIALECT, filterToSql } from '../shared/filter/to-sql.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { buildApp } from './app.js';

/**
 * Issue #6: a filter on an application table's field (dns.query_name, http.host, tls.sni) on the
 * flow-based views selects the flows that have a matching row. The expected sets are computed here from
 * the stored application rows; the stores run the filter as a semi-join.
 */
const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;
const FILES = ['android-phone-mixed.pcap', 'mixed-many-protocols.pcap'].map((f) => join(CORPUS, f));
const PG_URL = process.env.PCAPLENS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

let dir: string;
let duck: Store;
let app: FastifyInstance;
const ids: number[] = [];
let pgStore: Store | null = null;
let pgSchema = '';
const pgIds: number[] = [];

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-related-'));
  duck = await openStore(undefined, dir);
  ({ app } = await buildApp({ store: duck, dataDir: dir, ingest: ingestFiles, uiDir: null }));
  for (const f of FILES) ids.push((await ingestFiles(duck, dir, [f])).id);
  if (await pgReachable()) {
    pgSchema = `pcaplens_test_${randomBytes(6).toString('hex')}`;
    pgStore = await PostgresStore.open({ connectionString: PG_URL, schema: pgSchema });
    await pgStore.migrate();
    await mkdir(join(dir, 'pg'));
    for (const f of FILES) pgIds.push((await ingestFiles(pgStore, join(dir, 'pg'), [f])).id);
  }
});

after(async () => {
  await app.close();
  await duck.close();
  if (pgStore) {
    await pgStore.close();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
    await c.end();
  }
  await rm(dir, { recursive: true, force: true });
});

type Row = Record<string, unknown>;

async function all(store: Store, table: 'flows' | 'dns' | 'http' | 'tls' | 'hosts', captureId: number) {
  return (await store.page(table, { captureId, limit: 100_000 })).rows as unknown as Row[];
}

async function flowIds(store: Store, captureId: number, filter: string): Promise<number[]> {
  const rows = (await store.page('flows', {
    captureId,
    limit: 100_000,
    filter: compileFilter(filter, 'flows'),
  })) as unknown as { rows: Row[] };
  return rows.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

const sorted = (s: Iterable<number>) => [...new Set(s)].sort((a, b) => a - b);
const idsOf = (rows: Row[], test: (r: Row) => boolean) =>
  sorted(rows.filter((r) => r.flow_id != null && test(r)).map((r) => Number(r.flow_id)));

/** `flow.id == a or flow.id == b ...`, the same flows named by id */
const byIds = (list: number[]) =>
  list.length ? list.map((i) => `flow.id == ${i}`).join(' or ') : 'flow.id < 0';

async function checkStore(name: string, store: Store, captureIds: number[]): Promise<void> {
  let checked = 0;
  for (const id of captureIds) {
    const [flows, dns, http, tls] = await Promise.all([
      all(store, 'flows', id),
      all(store, 'dns', id),
      all(store, 'http', id),
      all(store, 'tls', id),
    ]);
    assert.ok(
      dns.length > 10 && http.length > 3 && tls.length > 10,
      `${name} ${id}: the capture has app rows`,
    );
    const everyFlow = sorted(flows.map((f) => Number(f.id)));
    const at = `${name} capture ${id}`;

    const qn = (r: Row) => (typeof r.query_name === 'string' ? r.query_name : '');
    const dnsGoogle = idsOf(dns, (r) => qn(r).includes('google'));
    assert.ok(dnsGoogle.length > 0 && dnsGoogle.length < everyFlow.length, at);
    assert.deepEqual(await flowIds(store, id, 'dns.query_name contains "google"'), dnsGoogle, at);

    const host = String(http.find((r) => typeof r.host === 'string')!.host);
    const httpHost = idsOf(http, (r) => r.host === host);
    assert.ok(httpHost.length > 0, at);
    assert.deepEqual(await flowIds(store, id, `http.host == "${host}"`), httpHost, at);

    // combined with a field of the flow itself
    const port80 = new Set(
      flows
        .filter((f) => f.proto === 'tcp' && (f.src_port === 80 || f.dst_port === 80))
        .map((f) => Number(f.id)),
    );
    assert.deepEqual(
      await flowIds(store, id, `http.host == "${host}" and tcp.port == 80`),
      httpHost.filter((i) => port80.has(i)),
      at,
    );
    // or of two tables, not, and != (no row with that value)
    const sni = (r: Row) => (typeof r.server_name === 'string' ? r.server_name : '');
    const tlsGoogle = idsOf(tls, (r) => sni(r).includes('google'));
    assert.deepEqual(
      await flowIds(store, id, 'tls.sni contains "google" or dns.query_name contains "google"'),
      sorted([...tlsGoogle, ...dnsGoogle]),
      at,
    );
    const notDns = everyFlow.filter((i) => !dnsGoogle.includes(i));
    assert.deepEqual(await flowIds(store, id, 'not dns.query_name contains "google"'), notDns, at);
    const name0 = qn(dns.find((r) => qn(r) !== '')!);
    const withName0 = idsOf(dns, (r) => r.query_name === name0);
    assert.deepEqual(
      await flowIds(store, id, `dns.query_name != "${name0}"`),
      everyFlow.filter((i) => !withName0.includes(i)),
      at,
    );
    // a bare field: flows that have a DNS row with a query name at all
    assert.deepEqual(
      await flowIds(store, id, 'dns.query_name'),
      idsOf(dns, (r) => r.query_name != null),
      at,
    );

    // packets follow their flow; hosts are the ends of the matching flows
    const pk = await store.countRows('packets', {
      captureId: id,
      filter: compileFilter('dns.query_name contains "google"', 'packets'),
    });
    const pkIds = await store.countRows('packets', {
      captureId: id,
      filter: compileFilter(byIds(dnsGoogle), 'packets'),
    });
    assert.equal(pk, pkIds, at);
    assert.ok(pk > 0, at);
    const hosts = (await store.page('hosts', {
      captureId: id,
      limit: 100_000,
      filter: compileFilter(`http.host == "${host}"`, 'hosts'),
    })) as unknown as { rows: Row[] };
    const ends = new Set(
      flows
        .filter((f) => httpHost.includes(Number(f.id)))
        .flatMap((f) => [String(f.src_ip), String(f.dst_ip)]),
    );
    assert.deepEqual(hosts.rows.map((h) => String(h.ip)).sort(), [...ends].sort(), at);

    // injection attempts stay values: they match no row and break nothing
    for (const evil of [`x' OR 1=1 --`, `"); DROP TABLE flows; --`, `google' OR 'a'='a`]) {
      const src = `dns.query_name contains ${JSON.stringify(evil)}`;
      assert.deepEqual(await flowIds(store, id, src), [], `${at}: ${src}`);
    }
    checked++;
  }
  assert.equal(checked, captureIds.length);
  assert.equal((await all(store, 'flows', captureIds[0]!)).length > 0, true);
}

test('DuckDB: flows with dns/http/tls fields equal the flows of the matching stored rows', async () => {
  await checkStore('duckdb', duck, ids);
});

test('PostgreSQL: the same semi-joins give the same flows', async (t) => {
  if (!pgStore) {
    t.skip(`PostgreSQL not reachable at ${PG_URL}`);
    return;
  }
  await checkStore('postgres', pgStore, pgIds);
});

test('graph and histogram routes narrow by an application field as by the same flow ids', async () => {
  for (const id of ids) {
    const dns = await all(duck, 'dns', id);
    const want = idsOf(dns, (r) => typeof r.query_name === 'string' && r.query_name.includes('google'));
    const get = async (view: string, filter?: string) => {
      const q =
        filter === undefined ? '' : `${view.includes('?') ? '&' : '?'}filter=${encodeURIComponent(filter)}`;
      const r = await app.inject({ method: 'GET', url: `/api/captures/${id}/${view}${q}` });
      assert.equal(r.statusCode, 200, `${view} ${filter}: ${r.body}`);
      return r.json() as Record<string, unknown>;
    };
    const graphAll = (await get('graph')) as { nodes: unknown[]; edges: unknown[] };
    const graphDns = (await get('graph', 'dns.query_name contains "google"')) as typeof graphAll;
    const graphIds = (await get('graph', byIds(want))) as typeof graphAll;
    assert.equal(graphDns.nodes.length, graphIds.nodes.length);
    assert.equal(graphDns.edges.length, graphIds.edges.length);
    assert.deepEqual(graphDns.edges, graphIds.edges);
    assert.ok(graphDns.edges.length > 0 && graphDns.edges.length < graphAll.edges.length);

    const hAll = await get('histogram?bins=50');
    const hDns = await get('histogram?bins=50', 'dns.query_name contains "google"');
    const hIds = await get('histogram?bins=50', byIds(want));
    assert.deepEqual(hDns, hIds);
    assert.notDeepEqual(hDns, hAll);

    for (const view of ['flows', 'hosts', 'summary', 'top']) {
      await get(view, 'dns.query_name contains "google" and not http.host == "x"');
    }
  }
});

test('messages: direct runs say where the field works; unknown fields keep their suggestions', () => {
  const f = compileFilter('dns.query_name contains "bro"', 'flows');
  assert.throws(() => filterPredicate(f), {
    code: 'E_FILTER',
    message: /field dns\.query_name filters sessions by their DNS rows: import the capture and use @id/,
  });
  // without a capture to scope the semi-join, SQL refuses rather than reading every capture
  assert.throws(() => filterToSql(f, DUCKDB_DIALECT, []), { code: 'E_FILTER' });
  const params: unknown[] = [];
  const sql = filterToSql(
    compileFilter(`dns.query_name contains "a' OR 1=1"`, 'flows'),
    DUCKDB_DIALECT,
    params,
    undefined,
    7,
  );
  assert.ok(!sql.includes('OR 1=1'), sql);
  assert.deepEqual(params, [7, "a' OR 1=1"]);
  assert.throws(() => compileFilter('dns.query_nam contains "x"', 'flows'), {
    message: /unknown field dns\.query_nam\b/,
  });
  // the plain checker (frame filters resolve such a field themselves) still calls it unknown
  assert.throws(() => checkFilter(parseFilter('dns.query_name == "x"'), 'flows', []), {
    message: /unknown field dns\.query_name/,
  });
});
