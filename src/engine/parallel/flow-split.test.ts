/**
 * A split flows run (by conversation over shards) gives exactly the single-thread rows: same ids, same
 * counters, times, TCP states, apps, on every corpus capture, for 2, 3 and 5 shards, with the shards' batches
 * fed to the merge in several interleavings (one shard far ahead of the others, round robin, reversed).
 * Then the real thing with worker threads on a few captures through analyzeFiles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FlowRow } from '../../shared/rows.js';
import { analyzeFiles } from '../analyze-files.js';
import { CORPUS_DIR, FIXTURE_DIR } from '../../../test/golden/paths.js';
import { runFlowShard, type FlowShardBatch } from './flow-split-shard.js';
import { FlowSplitMerge } from './flow-split-merge.js';
import { flowSplitThreads } from './flow-split.js';

const CAPTURE = /\.(pcap|pcapng|cap)$/;
const dir = existsSync(CORPUS_DIR) ? CORPUS_DIR : FIXTURE_DIR;
const captures = readdirSync(dir)
  .filter((f) => CAPTURE.test(f))
  .map((f) => join(dir, f));

async function single(path: string): Promise<{ rows: FlowRow[]; flows: number } | null> {
  const rows: FlowRow[] = [];
  try {
    const r = await analyzeFiles([path], {
      hosts: false,
      app: false,
      flowThreads: 1,
      onFlow: (f) => rows.push(f),
    });
    return { rows, flows: r.summary.flows };
  } catch {
    return null; // nothing readable: the split path is never taken for it
  }
}

const byId = (a: FlowRow, b: FlowRow) => a.id - b.id;

type Order = 'ahead' | 'round-robin' | 'reversed';

function feed(shards: FlowShardBatch[][], order: Order): FlowRow[] {
  const out: FlowRow[] = [];
  const merge = new FlowSplitMerge(shards.length, (r) => out.push(r));
  const copy = (b: FlowShardBatch): FlowShardBatch => structuredClone(b);
  if (order === 'ahead') {
    for (let s = 0; s < shards.length; s++) for (const b of shards[s]!) merge.add(s, copy(b));
  } else {
    const idx = shards.map(() => 0);
    for (let left = true; left;) {
      left = false;
      for (let k = 0; k < shards.length; k++) {
        const s = order === 'reversed' ? shards.length - 1 - k : k;
        const b = shards[s]![idx[s]!];
        if (b === undefined) continue;
        idx[s]!++;
        merge.add(s, copy(b));
        left = true;
      }
    }
  }
  assert.equal(merge.pending, 0, 'nothing left unmerged');
  return out;
}

test('split flows equal single-thread flows on every corpus capture (in-process shards)', async () => {
  let compared = 0;
  let multiShard = 0;
  for (const path of captures) {
    const one = await single(path);
    if (one === null) continue;
    const want = one.rows.slice().sort(byId);
    for (const jobs of [2, 3, 5]) {
      const shards: FlowShardBatch[][] = [];
      for (let job = 0; job < jobs; job++) {
        const batches: FlowShardBatch[] = [];
        const r = await runFlowShard(path, { job, jobs }, async (b) => {
          batches.push(b);
        });
        assert.equal(
          r.summary.packets,
          (await analyzeFiles([path], { hosts: false, app: false, flowThreads: 1, onFlow: () => undefined }))
            .summary.packets,
        );
        shards.push(batches);
      }
      const owners = shards.filter((b) => b.some((x) => x.rows.length > 0)).length;
      if (owners > 1) multiShard++;
      for (const order of ['ahead', 'round-robin', 'reversed'] as const) {
        const got = feed(shards, order).sort(byId);
        assert.deepEqual(got, want, `${path}: ${jobs} shards, ${order}`);
      }
    }
    compared++;
  }
  assert.ok(compared >= 10, `captures compared: ${compared}`);
  assert.ok(multiShard >= 10, `runs whose flows spread over several shards: ${multiShard}`);
});

test('analyzeFiles splits a flows-only run over worker threads with the same rows and summary', async () => {
  const names = [
    'http-browsing-bro-org.pcap',
    'mixed-many-protocols.pcap',
    'ipv4-fragments-vlan.pcap',
    'fuzzed-be-wireshark-2006.pcap',
    'pcapng-le-comments-two-linktypes.pcapng',
  ];
  let ran = 0;
  for (const name of names) {
    const path = [join(CORPUS_DIR, name), join(FIXTURE_DIR, name)].find((p) => existsSync(p));
    if (!path) continue;
    const base = { hosts: false, app: false } as const;
    const a: FlowRow[] = [];
    const ra = await analyzeFiles([path], { ...base, flowThreads: 1, onFlow: (f) => a.push(f) });
    const split = { ...base, flowThreads: 2, onFlow: () => undefined };
    assert.equal(await flowSplitThreads([path], split, 0), 2, `${name}: takes the split path`);
    const b: FlowRow[] = [];
    const rb = await analyzeFiles([path], {
      ...base,
      flowThreads: 2,
      flowSplitMinSize: 0,
      onFlow: (f) => b.push(f),
    });
    assert.deepEqual(b.sort(byId), a.sort(byId), `${name}: rows`);
    assert.deepEqual(rb.summary, ra.summary, `${name}: summary`);
    ran++;
  }
  assert.ok(ran >= 3, `captures run: ${ran}`);
});

test('a split run hands out JSON texts equal to the single run rows written by the CLI writer', async () => {
  const { JsonRowWriter } = await import('../../cli/format/json-row.js');
  const encoder = new URL('../../cli/format/flow-json.js', import.meta.url).href;
  const writer = new JsonRowWriter();
  let ran = 0;
  for (const name of ['http-browsing-bro-org.pcap', 'mixed-many-protocols.pcap', 'dns-many-types.pcap']) {
    const path = [join(CORPUS_DIR, name), join(FIXTURE_DIR, name)].find((p) => existsSync(p));
    if (!path) continue;
    const want: string[] = [];
    await analyzeFiles([path], {
      hosts: false,
      app: false,
      flowThreads: 1,
      onFlow: (f) => (want[f.id] = writer.text(f as unknown as Record<string, unknown>)),
    });
    const got: string[] = [];
    await analyzeFiles([path], {
      hosts: false,
      app: false,
      flowThreads: 2,
      flowSplitMinSize: 0,
      onFlow: () => assert.fail('rows go to flowText.onText'),
      flowText: { encoder, onText: (id, tail) => (got[id] = '{"id":' + id + tail) },
    });
    assert.ok(want.length > 1);
    assert.deepEqual(got, want, name);
    ran++;
  }
  assert.ok(ran >= 2, `captures run: ${ran}`);
});
