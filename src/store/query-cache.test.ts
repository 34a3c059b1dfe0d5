import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, tableFields } from '../shared/filter/index.js';
import { openStore } from './open.js';
import { QueryCache } from './query-cache.js';
import type { Store } from './store.js';
import { syntheticCapture } from './test-data.js';

let inner: Store;
let ids: number[];
/** calls that reached the real store, per method */
const calls = new Map<string, number>();

function counted(s: Store): Store {
  return new Proxy(s, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

async function store(n: number, sha: string): Promise<number> {
  const cap = syntheticCapture(n, n);
  const row = await inner.importCapture(
    { name: `c${n}`, sha256: sha.repeat(64), size: 1, format: 'pcap', link_types: [1] },
    async (w) => {
      await w.write('packets', cap.packets);
      await w.write('flows', cap.flows);
      return { packets: cap.packets.length, bytes: 0, first_ts: null, last_ts: null };
    },
  );
  return row.id;
}

before(async () => {
  inner = await openStore(undefined, ':memory:');
  ids = [await store(120, 'a'), await store(80, 'b')];
});

after(async () => {
  await inner.close();
});

const tcp = (source: string) => compileFilter(source, 'flows', tableFields('flows'));

test('answers equal the store; a repeated question is answered from memory, as a copy', async () => {
  const cache = new QueryCache(counted(inner));
  calls.clear();
  const q = { captureId: ids[0]!, filter: tcp('tcp'), limit: 50, sort: [{ column: 'bytes', desc: true }] };
  const direct = await inner.page('flows', q);
  const first = await cache.page('flows', q);
  assert.deepEqual(first, direct);
  first.rows.length = 0; // the caller's copy; what is remembered stays whole
  const second = await cache.page('flows', { ...q, filter: tcp('tcp') });
  assert.deepEqual(second, direct);
  assert.equal(calls.get('page'), 1);
  // another filter, another capture, another table: other questions
  assert.deepEqual(
    await cache.page('flows', { ...q, filter: tcp('udp') }),
    await inner.page('flows', { ...q, filter: tcp('udp') }),
  );
  assert.deepEqual(
    await cache.page('flows', { ...q, captureId: ids[1]! }),
    await inner.page('flows', { ...q, captureId: ids[1]! }),
  );
  assert.equal(
    await cache.countRows('packets', { captureId: ids[0]! }),
    await inner.countRows('packets', { captureId: ids[0]! }),
  );
  assert.equal(calls.get('page'), 3);
  assert.equal(cache.hits, 1);
});

test('identical questions at once share one query', async () => {
  const cache = new QueryCache(counted(inner));
  calls.clear();
  const q = { captureId: ids[0]!, layer: 3 as const, limit: 100 };
  const answers = await Promise.all(Array.from({ length: 20 }, () => cache.graphEdges(q)));
  assert.equal(calls.get('graphEdges'), 1);
  for (const a of answers) assert.deepEqual(a, answers[0]);
  assert.notEqual(answers[0], answers[1]);
  assert.ok(answers[0]!.length > 0);
});

test('a deleted capture is forgotten; the capture list is never cached', async () => {
  const id = await store(30, 'c');
  const cache = new QueryCache(counted(inner));
  calls.clear();
  assert.equal(await cache.countRows('flows', { captureId: id }), 30);
  assert.ok((await cache.listCaptures()).some((c) => c.id === id));
  assert.equal(await cache.deleteCapture(id), true);
  assert.equal(await cache.countRows('flows', { captureId: id }), 0);
  assert.ok(!(await cache.listCaptures()).some((c) => c.id === id));
  assert.equal(calls.get('countRows'), 2);
  assert.equal(calls.get('listCaptures'), 2);
});

test('bounded: the least recently used answers go first', async () => {
  const cache = new QueryCache(counted(inner), { maxEntries: 2 });
  calls.clear();
  const q = (limit: number) => ({ captureId: ids[0]!, limit });
  await cache.page('flows', q(1));
  await cache.page('flows', q(2));
  await cache.page('flows', q(1)); // q(1) used last: q(2) is the oldest
  await cache.page('flows', q(3));
  assert.equal(calls.get('page'), 3);
  await cache.page('flows', q(1));
  assert.equal(calls.get('page'), 3);
  await cache.page('flows', q(2));
  assert.equal(calls.get('page'), 4);
});

test('a failed query is not remembered', async () => {
  const cache = new QueryCache(counted(inner));
  calls.clear();
  const bad = { captureId: ids[0]!, limit: 5, sort: [{ column: 'no_such_column' }] };
  await assert.rejects(cache.page('flows', bad));
  await assert.rejects(cache.page('flows', bad));
  assert.equal(calls.get('page'), 2);
});

test('filters count by their tree, not their text (callers build trees under another text)', async () => {
  const cache = new QueryCache(counted(inner));
  const q = (source: string) => ({
    captureId: ids[0]!,
    filter: { ...tcp(source), source: '' },
    limit: 1000,
  });
  const [a, b] = [await cache.page('flows', q('tcp')), await cache.page('flows', q('udp'))];
  assert.deepEqual(a, await inner.page('flows', q('tcp')));
  assert.deepEqual(b, await inner.page('flows', q('udp')));
  assert.notDeepEqual(a.rows, b.rows);
});

test('a capture row is remembered until its capture is deleted; an unknown id is never remembered', async () => {
  const id = await store(10, 'd');
  const cache = new QueryCache(counted(inner), { captureTtlMs: 60_000 });
  calls.clear();
  assert.equal(await cache.getCapture(id + 1000), null);
  assert.equal(await cache.getCapture(id + 1000), null);
  assert.equal(calls.get('getCapture'), 2);
  const row = await cache.getCapture(id);
  assert.deepEqual(row, await inner.getCapture(id));
  row!.name = 'changed by the caller';
  assert.equal((await cache.getCapture(id))!.name, 'c10');
  assert.equal(calls.get('getCapture'), 3);
  assert.equal(await cache.deleteCapture(id), true);
  assert.equal(await cache.getCapture(id), null);
  // a short life: another process's delete is seen once it has passed
  const id2 = await store(11, 'e');
  const brief = new QueryCache(inner, { captureTtlMs: 1 });
  assert.ok(await brief.getCapture(id2));
  await inner.deleteCapture(id2);
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(await brief.getCapture(id2), null);
});
