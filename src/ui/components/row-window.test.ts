/// <reference types="node" />
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentHeight, RowCache, rowWindow, scrollTopFor } from './row-window.ts';

test('one pixel per pixel: the rows in view plus the overscan, and the space around them adds up', () => {
  const w = rowWindow({ total: 100_000, scrollTop: 24 * 50_000 + 5, viewHeight: 240, overscan: 4 });
  assert.equal(w.first, 50_000);
  assert.equal(w.visible, 10);
  assert.equal(w.start, 49_996);
  assert.equal(w.end, 50_000 + 10 + 1 + 4);
  assert.equal(w.padTop + (w.end - w.start) * 24 + w.padBottom, contentHeight(100_000));
  // top and bottom edges
  const top = rowWindow({ total: 100, scrollTop: 0, viewHeight: 240, overscan: 4 });
  assert.deepEqual([top.start, top.end, top.padTop], [0, 15, 0]);
  const end = rowWindow({ total: 100, scrollTop: 100 * 24 - 240, viewHeight: 240, overscan: 4 });
  assert.equal(end.end, 100);
  assert.equal(end.padBottom, 0);
  // nothing to show
  const none = rowWindow({ total: 0, scrollTop: 0, viewHeight: 240 });
  assert.deepEqual([none.start, none.end, none.padTop, none.padBottom], [0, 0, 0, 0]);
});

test('past the height browsers allow, the scroll range is scaled and reaches the first and last rows', () => {
  const total = 5_000_000;
  const maxHeight = 1_000_000;
  const viewHeight = 480;
  assert.equal(contentHeight(total, 24, maxHeight), maxHeight);
  const first = rowWindow({ total, scrollTop: 0, viewHeight, maxHeight });
  assert.equal(first.start, 0);
  const last = rowWindow({ total, scrollTop: maxHeight - viewHeight, viewHeight, maxHeight });
  assert.equal(last.end, total);
  const mid = rowWindow({ total, scrollTop: (maxHeight - viewHeight) / 2, viewHeight, maxHeight });
  assert.ok(Math.abs(mid.first - (total - mid.visible) / 2) <= 1);
  for (const w of [first, mid, last]) {
    assert.ok(w.end - w.start <= w.visible + 1);
    assert.ok(Math.abs(w.padTop + (w.end - w.start) * 24 + w.padBottom - maxHeight) < 1e-6);
  }
  // scrolling to a row far away puts it in view
  const top = scrollTopFor(3_000_000, { total, scrollTop: 0, viewHeight, maxHeight });
  const there = rowWindow({ total, scrollTop: top, viewHeight, maxHeight, overscan: 0 });
  assert.ok(there.first <= 3_000_000 && 3_000_000 < there.first + there.visible);
});

test('scrollTopFor moves as little as possible', () => {
  const base = { total: 1000, viewHeight: 240 };
  assert.equal(scrollTopFor(5, { ...base, scrollTop: 0 }), 0);
  assert.equal(scrollTopFor(10, { ...base, scrollTop: 0 }), 11 * 24 - 240);
  assert.equal(scrollTopFor(3, { ...base, scrollTop: 240 }), 3 * 24);
});

test('the row cache: missing blocks, pending ones skipped, least recently used dropped', () => {
  const c = new RowCache<number>(10, 2);
  assert.deepEqual(c.missing(5, 25), [0, 1, 2]);
  c.pending.add(1);
  assert.deepEqual(c.missing(5, 25), [0, 2]);
  c.put(0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  c.put(2, [20, 21]);
  assert.equal(c.get(7), 7);
  assert.equal(c.get(21), 21);
  assert.equal(c.get(22), undefined);
  // block 0 used again, so block 2 is the oldest when block 3 comes
  c.missing(0, 1);
  c.put(3, [30]);
  assert.ok(c.has(0) && c.has(3) && !c.has(2));
  assert.equal(c.size, 2);
  c.clear();
  assert.equal(c.size, 0);
  assert.equal(c.pending.size, 0);
});
