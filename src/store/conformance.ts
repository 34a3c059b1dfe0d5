/**
 * One suite, every store: the same tests run against DuckDB and PostgreSQL over real connections, with the
 * answers computed independently in plain JavaScript (reference.ts) over the same synthetic capture.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldDef } from '../shared/fields.js';
import { tableFields } from '../shared/filter/bindings.js';
import { ipKey } from '../shared/filter/ip-key.js';
import { TABLE_NAMES, rowColumns, type TableName } from '../shared/filter/tables.js';
import { nsToIso } from '../shared/filter/time-bound.js';
import { compileFilter } from '../shared/filter/validate.js';
import type { FlowRow } from '../shared/rows.js';
import type { CaptureMeta, CaptureTotals } from '../shared/store-rows.js';
import { authConformance } from './auth-conformance.js';
import { MIGRATIONS } from './migrations/index.js';
import * as ref from './reference.js';
import type { Store } from './store.js';
import { INJECTIONS, syntheticCapture, type SyntheticCapture } from './test-data.js';

type Row = Record<string, unknown>;

export interface Harness {
  store: Store & { schemaVersions(): Promise<number[]> };
  /** drops whatever the harness created */
  dispose(): Promise<void>;
}

const catalog = (t: TableName): FieldDef[] => tableFields(t);
const rowsOf = (x: unknown) => x as Row[];
const sqlString = (s: string) => JSON.stringify(s);

function meta(name: string, sha: string): CaptureMeta {
  return {
    name,
    sha256: sha,
    size: 123456,
    format: 'pcapng',
    link_types: [1, 228],
    files: [
      {
        file_index: 0,
        name: `${name}-a`,
        sha256: '1'.repeat(64),
        size: 100000,
        format: 'pcapng',
        path: `/data/captures/${'1'.repeat(64)}`,
      },
      {
        file_index: 1,
        name: `${name}-b`,
        sha256: '2'.repeat(64),
        size: 23456,
        format: 'pcap+gzip',
        path: null,
      },
    ],
  };
}

async function importSynthetic(store: Store, cap: SyntheticCapture, name: string, sha: string, batch = 500) {
  return store.importCapture(meta(name, sha), async (w) => {
    for (let i = 0; i < cap.packets.length; i += batch)
      await w.write('packets', cap.packets.slice(i, i + batch));
    for (let i = 0; i < cap.flows.length; i += batch) await w.write('flows', cap.flows.slice(i, i + batch));
    await w.write('hosts', cap.hosts);
    await w.write('dns', cap.dns.slice(0, 5));
    await w.write('dns', cap.dns.slice(5));
    await w.write('http', cap.http);
    await w.write('tls', cap.tls);
    const totals: CaptureTotals = {
      packets: cap.packets.length,
      bytes: cap.packets.reduce((s, p) => s + p.len, 0),
      first_ts: cap.packets[0]!.ts,
      last_ts: cap.packets.at(-1)!.ts,
    };
    return totals;
  });
}

/** Everything a store holds, for before/after comparisons. */
async function snapshot(store: Store): Promise<string> {
  const caps = await store.listCaptures();
  const counts: Record<string, number> = {};
  for (const c of caps)
    for (const t of TABLE_NAMES) counts[`${c.id}.${t}`] = await store.countRows(t, { captureId: c.id });
  return JSON.stringify({ caps, counts });
}

export function storeConformance(
  name: string,
  open: () => Promise<Harness>,
  skip: string | false = false,
): void {
  describe(`store conformance: ${name}`, { skip }, () => {
    let h: Harness;
    let store: Harness['store'];
    const cap = syntheticCapture();
    let id = 0;
    const flowsById = new Map<number, FlowRow>(cap.flows.map((f) => [f.id, f]));
    const key = (ip: string) => ipKey(ip);

    before(async () => {
      h = await open();
      store = h.store;
    });
    after(async () => {
      await h?.dispose();
    });

    test('migrations from empty apply once, in order, and create every table', async () => {
      await store.migrate();
      await store.migrate(); // idempotent
      assert.deepEqual(
        await store.schemaVersions(),
        MIGRATIONS.map((m) => m.version),
      );
      for (const t of TABLE_NAMES) {
        const p = await store.page(t, { captureId: 1, limit: 0 });
        assert.deepEqual(p, { rows: [], total: 0 }, t);
      }
      assert.deepEqual(await store.listCaptures(), []);
    });

    authConformance(() => store);

    test('import writes every table and the capture row in one go', async () => {
      const row = await importSynthetic(store, cap, 'office.pcapng', 'ab'.repeat(32));
      id = row.id;
      assert.ok(id > 0);
      assert.equal(row.packets, cap.packets.length);
      assert.equal(row.status, 'complete');
      assert.deepEqual(row.link_types, [1, 228]);
      assert.deepEqual(await store.getCapture(id), row);
      assert.deepEqual(await store.listCaptures(), [row]);
      assert.deepEqual(await store.captureFiles(id), meta('office.pcapng', '').files);
      assert.deepEqual(await store.captureFiles(id + 1000), []);
      const expect: Partial<Record<TableName, number>> = {
        packets: cap.packets.length,
        flows: cap.flows.length,
        hosts: cap.hosts.length,
        dns: cap.dns.length,
        http: cap.http.length,
        tls: cap.tls.length,
        dhcp: 0,
        alerts: 0,
      };
      for (const [t, n] of Object.entries(expect))
        assert.equal(await store.countRows(t as TableName, { captureId: id }), n, t);
      assert.equal(await store.countRows('flows', { captureId: id + 1000 }), 0);
    });

    test('pages give back exactly the rows written', async () => {
      const all = async (t: TableName) => (await store.page(t, { captureId: id, limit: 100000 })).rows;
      assert.deepEqual(
        await all('flows'),
        cap.flows.map((f) => ref.stored('flows', f as unknown as Row)),
      );
      const packets = await all('packets');
      assert.deepEqual(
        packets,
        cap.packets.map((p) => ({ capture_id: id, ...p })),
      );
      for (const t of ['dns', 'http', 'tls'] as const) {
        assert.deepEqual(
          await all(t),
          rowsOf(cap[t]).map((r) => ref.stored(t, r)),
          t,
        );
      }
      const hosts = await all('hosts');
      const want = ref.sortRows('hosts', rowsOf(cap.hosts)).map((r) => ref.stored('hosts', r));
      assert.deepEqual(hosts, want);
    });

    const filters: [TableName, string][] = [
      ['flows', 'ip.addr == 10.0.0.11 and (tcp.port == 80 or dns) and not app == "tls"'],
      ['flows', 'ip.addr == 10.0.0.0/8'],
      ['flows', 'ip.src == 2001:db8::/32 && port == 443'],
      ['flows', 'ip.dst == 2001:db8:0:1::443'],
      ['flows', 'ip.addr != 93.184.216.34'],
      ['flows', 'ip.src > 10.0.0.12 and ip.src <= 10.0.1.20'],
      ['flows', 'tcp.port == 8080 or udp.port == 5353'],
      ['flows', 'arp or !ip'],
      ['flows', 'eth.addr == 01:00:5E:00:00:FB'],
      ['flows', 'vlan.id == 42 and flow.bytes > 3000'],
      ['flows', 'flow.tcp_state contains "est" or flow.app_source'],
      ['flows', 'app matches "^(m?dns|tls)$"'],
      ['flows', 'app matches "(?i)^HTTP$"'],
      ['flows', 'flow.duration >= 1.5 and flow.duration < 2.75'],
      ['flows', `flow.start >= "${nsToIso(cap.startNs + 60_000_000_000n)}"`],
      ['flows', 'app != "tls" and !tcp'],
      ['flows', 'flow.bytes > 1e3'.replace('1e3', '1000.5')],
      ['packets', 'frame.len > 1000 and (http or tls)'],
      ['packets', 'flow.id <= 10 or frame.number == 100'],
      ['hosts', 'ip.addr == 10.0.0.0/8 and host.bytes_sent > 1000'],
      ['hosts', 'host.name contains "example" or host.country == "US"'],
      ['hosts', 'host.is_private == true or host.macs'],
      ['dns', 'dns.query_name matches "example\\\\.(com|net)$" and dns.rcode == "NOERROR"'],
      ['dns', 'dns.answers contains "93.184" or dns.ttl'],
      ['dns', 'udp.port == 53 and ip.src == 10.0.0.11'],
      ['http', 'http.status >= 300 and http.has_cookie == true'],
      ['tls', 'tls.alpn == "h2" or tls.server_name contains "cdn"'],
      ['tls', 'tls.cert_not_after > "9000"'],
    ];
    test('filters: the SQL and the in-memory predicate select the same rows', async () => {
      let nonTrivial = 0;
      for (const [t, src] of filters) {
        const f = compileFilter(src, t, catalog(t));
        const want = ref.select(t, rowsOf((cap as unknown as Record<string, unknown>)[t]), f);
        const got = await store.page(t, { captureId: id, filter: f, limit: 100000 });
        assert.equal(got.total, want.length, `${t}: ${src}`);
        const sorted = ref.sortRows(t, want).map((r) => ref.stored(t, r));
        const gotRows = rowsOf(got.rows).map((r) => ref.stored(t, r));
        if (t === 'hosts' || t === 'flows' || t === 'packets')
          assert.deepEqual(gotRows, sorted, `${t}: ${src}`);
        else
          assert.deepEqual(
            gotRows,
            want.map((r) => ref.stored(t, r)),
            `${t}: ${src}`,
          );
        assert.equal(await store.countRows(t, { captureId: id, filter: f }), want.length);
        if (want.length > 0 && want.length < got.total + 1 && want.length < rowsOf(cap.flows).length)
          nonTrivial++;
      }
      assert.ok(
        nonTrivial >= filters.length - 4,
        `most filters should select some rows, not all (${nonTrivial})`,
      );
    });

    test('SQL injection attempts in string literals are bound values', async () => {
      const before = await snapshot(store);
      for (const bad of INJECTIONS) {
        for (const [t, field] of [
          ['flows', 'app'],
          ['dns', 'dns.query_name'],
          ['http', 'http.host'],
        ] as const) {
          for (const op of ['==', 'contains', '!=']) {
            const src = `${field} ${op} ${sqlString(bad)}`;
            const f = compileFilter(src, t, catalog(t));
            const want = ref.select(t, rowsOf(cap[t]), f);
            const got = await store.page(t, { captureId: id, filter: f, limit: 100000 });
            assert.equal(got.total, want.length, src);
            if (op === '==')
              assert.equal(
                got.rows.length,
                rowsOf(cap[t]).filter((r) => r[field.split('.').pop()!] === bad).length,
              );
          }
        }
      }
      const hit = compileFilter(
        `app == ${sqlString(INJECTIONS[0]!)} or app == ${sqlString(INJECTIONS[1]!)}`,
        'flows',
        catalog('flows'),
      );
      assert.ok(
        (await store.countRows('flows', { captureId: id, filter: hit })) > 0,
        'the test data carries the attempts',
      );
      assert.equal(await snapshot(store), before);
    });

    test('time windows on every kind of table', async () => {
      const from = nsToIso(cap.startNs + 100_000_000_000n);
      const to = nsToIso(cap.startNs + 150_000_000_000n);
      for (const t of ['flows', 'packets', 'hosts', 'dns', 'http'] as const) {
        const src = t === 'packets' ? cap.packets : cap[t];
        for (const [f, tt] of [
          [from, undefined],
          [undefined, to],
          [from, to],
        ] as const) {
          const want = ref.select(t, rowsOf(src), undefined, f, tt);
          const got = await store.countRows(t, {
            captureId: id,
            ...(f ? { from: f } : {}),
            ...(tt ? { to: tt } : {}),
          });
          assert.equal(got, want.length, `${t} ${f} ${tt}`);
          if (t !== 'hosts')
            assert.ok(
              want.length > 0 && want.length < src.length,
              `${t}: window should cut (${want.length}/${src.length})`,
            );
        }
      }
      await assert.rejects(store.countRows('flows', { captureId: id, from: 'yesterday' }), {
        code: 'E_USAGE',
      });
    });

    test('sorting and pagination are stable and complete', async () => {
      const sort = [{ column: 'bytes', desc: true }, { column: 'src_ip' }];
      const f = compileFilter('ip', 'flows', catalog('flows'));
      const want = ref.sortRows('flows', ref.select('flows', rowsOf(cap.flows), f), sort).map((r) => r.id);
      const seen: unknown[] = [];
      for (let off = 0; ; off += 37) {
        const p = await store.page('flows', { captureId: id, filter: f, sort, limit: 37, offset: off });
        assert.equal(p.total, want.length);
        if (!p.rows.length) break;
        seen.push(...p.rows.map((r) => r.id));
      }
      assert.deepEqual(seen, want);
      // addresses sort by value, not text: 10.0.0.11 < 10.0.1.20 < 93.x < 192.168.x < IPv6
      const bySrc = await store.page('flows', {
        captureId: id,
        filter: f,
        sort: [{ column: 'src_ip' }],
        limit: 100000,
      });
      assert.deepEqual(
        bySrc.rows.map((r) => r.id),
        ref
          .sortRows('flows', ref.select('flows', rowsOf(cap.flows), f), [{ column: 'src_ip' }])
          .map((r) => r.id),
      );
      const nulls = await store.page('flows', {
        captureId: id,
        sort: [{ column: 'src_port', desc: true }],
        limit: 100000,
      });
      assert.equal(nulls.rows.at(-1)!.src_port, null, 'nulls last');
      const dns = await store.page('dns', {
        captureId: id,
        sort: [{ column: 'query_name' }],
        limit: 5,
        offset: 3,
      });
      assert.deepEqual(
        dns.rows.map((r) => r.trans_id),
        ref
          .sortRows('dns', rowsOf(cap.dns), [{ column: 'query_name' }], (r) => cap.dns.indexOf(r as never))
          .slice(3, 8)
          .map((r) => r.trans_id),
      );
      await assert.rejects(
        store.page('flows', { captureId: id, sort: [{ column: 'id; DROP TABLE flows' }] }),
        { code: 'E_USAGE' },
      );
      await assert.rejects(store.page('flows', { captureId: id, limit: -1 }), { code: 'E_USAGE' });
      await assert.rejects(store.page('flows', { captureId: id, filter: compileFilter('dns', 'dns', []) }), {
        code: 'E_FILTER',
      });
    });

    test('top talkers by bytes, packets and peers, each direction, with and without filter', async () => {
      for (const by of ['bytes', 'packets', 'peers'] as const) {
        for (const direction of ['sent', 'recv', 'both'] as const) {
          for (const src of [undefined, 'tcp and ip.addr == 10.0.0.0/8']) {
            const f = src ? compileFilter(src, 'flows', catalog('flows')) : undefined;
            const flows = ref.select('flows', rowsOf(cap.flows), f) as unknown as FlowRow[];
            const want = ref.talkers(flows, by, direction, 7, key);
            const got = await store.topTalkers({
              captureId: id,
              by,
              direction,
              n: 7,
              ...(f ? { filter: f } : {}),
            });
            assert.deepEqual(got, want, `${by} ${direction} ${src}`);
          }
        }
      }
      const windowed = await store.topTalkers({
        captureId: id,
        by: 'bytes',
        to: nsToIso(cap.startNs + 30_000_000_000n),
      });
      assert.deepEqual(
        windowed,
        ref.talkers(
          ref.select(
            'flows',
            rowsOf(cap.flows),
            undefined,
            undefined,
            nsToIso(cap.startNs + 30_000_000_000n),
          ) as unknown as FlowRow[],
          'bytes',
          'both',
          10,
          key,
        ),
      );
    });

    test('time histogram: buckets, grouping, filter and window', async () => {
      const cases = [
        { bucketSec: 60 },
        { bucketSec: 10, groupBy: 'proto' as const },
        { bucketSec: 30, groupBy: 'app' as const, filter: 'ip.addr == 10.0.0.0/8' },
        {
          bucketSec: 0.5,
          filter: 'not tcp',
          from: nsToIso(cap.startNs + 20_000_000_000n),
          to: nsToIso(cap.startNs + 90_000_000_000n),
        },
      ];
      for (const c of cases) {
        const f = c.filter ? compileFilter(c.filter, 'flows', catalog('flows')) : undefined;
        const want = ref.histogram(rowsOf(cap.packets), flowsById, c.bucketSec, f, c.groupBy, c.from, c.to);
        const got = await store.timeHistogram({
          captureId: id,
          bucketSec: c.bucketSec,
          ...(c.groupBy ? { groupBy: c.groupBy } : {}),
          ...(f ? { filter: f } : {}),
          ...(c.from ? { from: c.from, to: c.to } : {}),
        });
        assert.ok(want.length > 2, JSON.stringify(c));
        assert.deepEqual(got, want, JSON.stringify(c));
      }
      const total = await store.timeHistogram({ captureId: id, bucketSec: 3600 });
      assert.equal(
        total.reduce((s, b) => s + b.packets, 0),
        cap.packets.length,
      );
      await assert.rejects(store.timeHistogram({ captureId: id, bucketSec: 0 }), { code: 'E_USAGE' });
    });

    test('graph edges at layers 2, 3 and 4', async () => {
      for (const layer of [2, 3, 4] as const) {
        for (const src of [undefined, 'not arp and ip.addr == 10.0.0.0/8']) {
          const f = src ? compileFilter(src, 'flows', catalog('flows')) : undefined;
          const flows = ref.select('flows', rowsOf(cap.flows), f) as unknown as FlowRow[];
          const got = await store.graphEdges({
            captureId: id,
            layer,
            limit: 25,
            ...(f ? { filter: f } : {}),
          });
          assert.deepEqual(got, ref.graph(flows, layer, 25), `layer ${layer} ${src}`);
          assert.ok(got.length > 3);
        }
      }
    });

    test('conversations pair endpoints regardless of direction', async () => {
      for (const layer of [2, 3] as const) {
        const want = ref.conversations(cap.flows, layer, key);
        const got = await store.conversations({ captureId: id, layer, limit: 100000 });
        assert.equal(got.total, want.length);
        assert.deepEqual(got.rows, want, `layer ${layer}`);
        const page = await store.conversations({ captureId: id, layer, limit: 4, offset: 2 });
        assert.deepEqual(page.rows, want.slice(2, 6));
      }
      const f = compileFilter('udp', 'flows', catalog('flows'));
      const udp = await store.conversations({
        captureId: id,
        layer: 3,
        filter: f,
        sort: { column: 'flows', desc: true },
        limit: 3,
      });
      const want = ref.conversations(
        ref.select('flows', rowsOf(cap.flows), f) as unknown as FlowRow[],
        3,
        key,
      );
      assert.equal(udp.total, want.length);
      assert.deepEqual(
        udp.rows.map((c) => c.flows),
        want
          .map((c) => c.flows)
          .sort((a, b) => b - a)
          .slice(0, 3),
      );
    });

    test('re-import is detected by SHA-256', async () => {
      const found = await store.findCaptureBySha256('AB'.repeat(32));
      assert.equal(found?.id, id);
      assert.equal(await store.findCaptureBySha256('cd'.repeat(32)), null);
    });

    test('an import that fails mid-way leaves the store exactly as before', async () => {
      const before = await snapshot(store);
      let escaped: { write: (t: 'flows', r: FlowRow[]) => Promise<void> } | undefined;
      await assert.rejects(
        store.importCapture(meta('broken.pcap', 'ee'.repeat(32)), async (w) => {
          escaped = w;
          await w.write('packets', cap.packets.slice(0, 1000));
          await w.write('flows', cap.flows);
          await w.write('dns', cap.dns);
          throw new Error('reader died');
        }),
        /reader died/,
      );
      assert.equal(await snapshot(store), before);
      assert.equal(await store.findCaptureBySha256('ee'.repeat(32)), null);
      await assert.rejects(escaped!.write('flows', cap.flows), { code: 'E_STORE' });
      // a bad row (not a number where one must be) fails inside the database: same outcome
      await assert.rejects(
        store.importCapture(meta('bad.pcap', 'ef'.repeat(32)), async (w) => {
          await w.write('flows', cap.flows.slice(0, 10));
          await w.write('nope' as 'flows', []);
          await w.write('nope' as 'flows', cap.flows);
          return { packets: 0, bytes: 0, first_ts: null, last_ts: null };
        }),
        { code: 'E_STORE' },
      );
      assert.equal(await snapshot(store), before);
      // and the store still takes a good import afterwards
      const ok = await importSynthetic(store, syntheticCapture(20, 99), 'small.pcap', 'cc'.repeat(32));
      assert.equal(await store.countRows('flows', { captureId: ok.id }), 20);
      assert.equal(await store.countRows('flows', { captureId: id }), cap.flows.length);
    });

    test('delete removes one capture and nothing else', async () => {
      const small = await store.findCaptureBySha256('cc'.repeat(32));
      assert.ok(small);
      const before = await store.countRows('packets', { captureId: id });
      assert.equal(await store.deleteCapture(small.id), true);
      assert.equal(await store.deleteCapture(small.id), false);
      assert.equal(await store.getCapture(small.id), null);
      assert.deepEqual(await store.captureFiles(small.id), []);
      assert.equal((await store.captureFiles(id)).length, 2);
      for (const t of TABLE_NAMES) assert.equal(await store.countRows(t, { captureId: small.id }), 0, t);
      assert.equal(await store.countRows('packets', { captureId: id }), before);
      assert.deepEqual(
        (await store.listCaptures()).map((c) => c.id),
        [id],
      );
    });

    test('real flows and hosts from a corpus capture round-trip', async (t) => {
      let analyze: typeof import('../engine/analyze-files.js').analyzeFiles;
      try {
        analyze = (await import('../engine/analyze-files.js')).analyzeFiles;
      } catch (e) {
        t.skip(`engine not available: ${(e as Error).message}`);
        return;
      }
      const res = await analyze([
        '/work/shared/corpus/android-phone-mixed.pcap'.replace('/work/shared', sharedDir()),
      ]);
      const row = await store.importCapture(meta('android-phone-mixed.pcap', 'dd'.repeat(32)), async (w) => {
        await w.write('flows', res.flows);
        await w.write('hosts', res.hosts);
        return {
          packets: res.summary.packets,
          bytes: res.summary.bytes,
          first_ts: res.summary.first_ts,
          last_ts: res.summary.last_ts,
        };
      });
      assert.equal(row.packets, res.summary.packets);
      // every field the engine emits has a column (a new field needs a migration and a tables.ts entry)
      const known = (t: TableName) => new Set(rowColumns(t).map((c) => c.name));
      for (const [t, rows] of [
        ['flows', res.flows],
        ['hosts', res.hosts],
      ] as const) {
        const missing = Object.keys(rows[0] ?? {}).filter((k) => !known(t).has(k));
        assert.deepEqual(missing, [], `${t} fields without a store column`);
      }
      const flows = await store.page('flows', { captureId: row.id, limit: 100000 });
      assert.equal(flows.total, res.flows.length);
      assert.deepEqual(
        flows.rows,
        res.flows.map((f) => ref.stored('flows', f as unknown as Row)),
      );
      for (const src of [
        'tcp.port == 443',
        'dns',
        'ip.addr == 10.0.0.0/8 and flow.bytes > 500',
        'ipv6 or udp',
      ]) {
        const f = compileFilter(src, 'flows', catalog('flows'));
        const want = ref.select('flows', rowsOf(res.flows), f).map((r) => r.id);
        assert.deepEqual(
          (await store.page('flows', { captureId: row.id, filter: f, limit: 100000 })).rows.map((r) => r.id),
          want,
          src,
        );
      }
      const talkers = await store.topTalkers({ captureId: row.id, by: 'bytes', n: 5 });
      assert.deepEqual(talkers, ref.talkers(res.flows, 'bytes', 'both', 5, key));
      assert.equal(await store.deleteCapture(row.id), true);
    });
  });
}

function sharedDir(): string {
  return process.env.PCAPLENS_SHARED ?? '/work/shared';
}
