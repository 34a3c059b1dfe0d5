import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../engine/ingest.js';
import { openStore } from '../../store/open.js';
import { QueryCache } from '../../store/query-cache.js';
import type { Store } from '../../store/store.js';
import { FactsCache } from './capture-facts.js';

/** The graph's host and alert facts read through narrow pages equal those read from whole rows. */
const CORPUS = new URL('../../../../shared/corpus/', import.meta.url).pathname;
const FILES = ['pcapxray-sample-mixed.pcap', 'ftp-login-ipv4.pcap', 'http-browsing-bro-org.pcap'];

let dir: string;
let store: Store;
const ids: number[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-facts-'));
  store = await openStore(undefined, dir);
  for (const f of FILES) ids.push((await ingestFiles(store, dir, [join(CORPUS, f)])).id);
});

after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** The store as one without narrow pages (whole rows only). */
function wholeRowsOnly(s: Store): Store {
  return new Proxy(s, {
    get(target, prop, receiver) {
      if (prop === 'pageColumns') return undefined;
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

test('facts from narrow pages equal facts from whole rows, directly and through the query cache', async () => {
  assert.equal(typeof (store as { pageColumns?: unknown }).pageColumns, 'function');
  let tagged = 0;
  let alerted = 0;
  for (const id of ids) {
    const want = await new FactsCache(wholeRowsOnly(store)).get(id, 'x');
    const narrow = await new FactsCache(store).get(id, 'x');
    const cached = await new FactsCache(new QueryCache(store)).get(id, 'x');
    assert.deepEqual(narrow, want);
    assert.deepEqual(cached, want);
    assert.ok(want.hosts.size > 0);
    tagged += [...want.hosts.values()].filter((h) => h.tags.length > 0).length;
    alerted += want.alertsOf.size;
  }
  // the comparison covers hosts with tags and alerted hosts
  assert.ok(tagged > 0, 'some host has tags');
  assert.ok(alerted > 0, 'some host is named by an alert');
});

test('a narrow page names only existing columns', async () => {
  const s = store as Store & { pageColumns(t: string, q: object, c: string[]): Promise<unknown[]> };
  await assert.rejects(s.pageColumns('hosts', { captureId: ids[0]! }, ['ip', 'nope']), /nope/);
  const rows = (await s.pageColumns('hosts', { captureId: ids[0]!, limit: 3 }, ['ip', 'tags'])) as object[];
  assert.equal(rows.length, 3);
  for (const r of rows) assert.deepEqual(Object.keys(r).sort(), ['ip', 'tags']);
});
