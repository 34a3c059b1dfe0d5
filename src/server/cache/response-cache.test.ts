import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseCache, answerKey, serialise } from './response-cache.js';

const cap = (id: number) => ({ id, created_at: '2026-11-22T00:00:00.000000Z' });

test('the key ignores parameter order and empty parameters, and names the capture', () => {
  const a = answerKey('view:graph', cap(1), { layer: 3, filter: 'tcp', from: '' });
  assert.equal(a, answerKey('view:graph', cap(1), { filter: 'tcp', layer: 3 }));
  assert.notEqual(a, answerKey('view:graph', cap(2), { filter: 'tcp', layer: 3 }));
  assert.notEqual(a, answerKey('view:graph', { ...cap(1), created_at: 'x' }, { filter: 'tcp', layer: 3 }));
  assert.notEqual(a, answerKey('view:graph', cap(1), { filter: 'udp', layer: 3 }));
  assert.notEqual(a, answerKey('view:chord', cap(1), { filter: 'tcp', layer: 3 }));
});

test('a remembered answer is the same bytes; identical questions at once share one computation', async () => {
  const c = new ResponseCache({ maxBytes: 1 << 20 });
  let runs = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const compute = async () => {
    runs++;
    await gate;
    return { n: 42, s: '<b>x</b>' };
  };
  const p = Promise.all([c.get('k', 1, compute), c.get('k', 1, compute), c.get('k', 1, compute)]);
  release();
  const [a, b, d] = await p;
  assert.equal(runs, 1);
  assert.equal(c.joined, 2);
  assert.equal(a, b);
  assert.equal(a, d);
  assert.deepEqual(JSON.parse(a.body.toString()), { n: 42, s: '<b>x</b>' });
  const again = await c.get('k', 1, compute);
  assert.equal(runs, 1);
  assert.equal(again.etag, a.etag);
  assert.equal(c.hits, 1);
});

test('a failed computation is not remembered', async () => {
  const c = new ResponseCache({ maxBytes: 1 << 20 });
  await assert.rejects(
    c.get('k', 1, async () => {
      throw new Error('E_FILTER');
    }),
  );
  assert.equal(c.size, 0);
  assert.deepEqual(JSON.parse((await c.get('k', 1, async () => [1])).body.toString()), [1]);
});

test('bounded by bytes, least recently used out first', async () => {
  const big = 'x'.repeat(1000);
  const c = new ResponseCache({ maxBytes: 3500, maxEntryBytes: 2000 });
  for (const k of ['a', 'b', 'c']) await c.get(k, 1, async () => big);
  assert.equal(c.size, 3);
  c.peek('a'); // a is now the most recent
  await c.get('d', 1, async () => big);
  assert.ok(c.bytes <= 3500);
  assert.ok(c.peek('a'));
  assert.equal(c.peek('b'), null);
  // too large for one entry: served, not kept
  const huge = await c.get('e', 1, async () => 'y'.repeat(5000));
  assert.ok(huge.body.length > 5000);
  assert.equal(c.peek('e'), null);
});

test('forget drops a capture, and an answer computed across the forget is not kept', async () => {
  const c = new ResponseCache({ maxBytes: 1 << 20 });
  await c.get('one', 1, async () => 1);
  await c.get('two', 2, async () => 2);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow = c.get('late', 1, async () => {
    await gate;
    return 'stale';
  });
  c.forget(1);
  release();
  await slow;
  assert.equal(c.peek('one'), null);
  assert.equal(c.peek('late'), null);
  assert.ok(c.peek('two'));
  assert.equal(c.bytes, serialise(2).body.length);
});

test('the ETag is a function of the bytes', () => {
  assert.equal(serialise({ a: 1 }).etag, serialise({ a: 1 }).etag);
  assert.notEqual(serialise({ a: 1 }).etag, serialise({ a: 2 }).etag);
});
