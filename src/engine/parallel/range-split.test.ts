import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles, type AnalyzeFilesResult, type AnalyzeOptions } from '../analyze-files.js';
import type { FlowRow } from '../../shared/rows.js';
import { CORPUS_DIR, FIXTURE_DIR } from '../../../test/golden/paths.js';
import { flowJsonTail } from '../../cli/format/flow-json.js';
import { findRecordBoundary } from './range-split.js';
import type { PcapHeader } from '../../wire/pcap.js';

/** Classic pcap captures of the corpus (or the fixtures when it is absent) with enough records to cut. */
function captures(): string[] {
  const dir = existsSync(CORPUS_DIR) ? CORPUS_DIR : FIXTURE_DIR;
  return (
    readdirSync(dir)
      .filter((f) => /\.(pcap|cap)$/.test(f))
      .map((f) => join(dir, f))
      .filter((p) => {
        const b = readFileSync(p);
        const m = b.length >= 4 ? b.readUInt32LE(0) : 0;
        return [0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(m) && b.length > 20_000;
      })
      .sort((x, y) => readFileSync(y).length - readFileSync(x).length)
      // every split run starts a worker thread (~1 s under tsx): the twelve largest keep the test short
      .slice(0, 12)
  );
}

async function run(
  path: string,
  o: AnalyzeOptions,
): Promise<{ rows: FlowRow[]; result: AnalyzeFilesResult; how: string[] }> {
  const rows: FlowRow[] = [];
  const how: string[] = [];
  const result = await analyzeFiles([path], {
    hosts: false,
    app: false,
    onFlow: (r) => rows.push(r),
    onSplit: (h) => how.push(h),
    ...o,
  });
  rows.sort((a, b) => a.id - b.id);
  return { rows, result, how };
}

// short timeouts make conversations end, and keys be given up, inside these small captures
const SHORT = { tcpOpenSec: 20, tcpClosedSec: 2, otherSec: 10 };

test('range split: the corpus pcaps, cut at several places, give the rows, ids and summary of one reader', async () => {
  let split = 0;
  let files = 0;
  for (const path of captures()) {
    for (const timeouts of [undefined, SHORT]) {
      const one = await run(path, { flowThreads: 1, ...(timeouts ? { timeouts } : {}) });
      for (const at of timeouts ? [0.5] : [0.25, 0.75]) {
        const two = await run(path, {
          flowThreads: 2,
          flowSplitMinSize: 0,
          flowSplitAt: at,
          ...(timeouts ? { timeouts } : {}),
        });
        const what = `${path} at ${at}${timeouts ? ' short timeouts' : ''}`;
        assert.deepEqual(two.rows, one.rows, what);
        assert.deepEqual(two.result.summary, one.result.summary, what);
        if (two.how.includes('two-parts')) split++;
      }
    }
    files++;
  }
  assert.ok(files >= 5, `${files} captures`);
  // the hand-over must be the usual case, not the fallback (which gives the same rows by reading on)
  assert.ok(split >= files * 2, `${split} of ${files * 3} runs split in two parts`);
});

test('range split: rows written as text by the worker are the JSON text of the same rows', async () => {
  const path = captures().sort((a, b) => readFileSync(b).length - readFileSync(a).length)[0]!;
  const one = await run(path, { flowThreads: 1 });
  const texts = new Map<number, string>();
  const rows: FlowRow[] = [];
  const how: string[] = [];
  await analyzeFiles([path], {
    hosts: false,
    app: false,
    flowThreads: 2,
    flowSplitMinSize: 0,
    onSplit: (h) => how.push(h),
    onFlow: (r) => rows.push(r),
    flowText: {
      encoder: new URL('../../cli/format/flow-json.ts', import.meta.url).href,
      onText: (id, t) => texts.set(id, t),
    },
  });
  assert.deepEqual(how, ['two-parts']);
  assert.ok(texts.size > 0);
  assert.equal(rows.length + texts.size, one.rows.length);
  for (const r of rows) assert.deepEqual(r, one.rows[r.id - 1]);
  for (const [id, t] of texts) assert.equal(t, flowJsonTail(one.rows[id - 1]!), `flow ${id}`);
});

test('range split: a record boundary is found past junk and needs a chain of plausible headers', () => {
  const h: PcapHeader = {
    littleEndian: true,
    nanosecond: false,
    versionMajor: 2,
    versionMinor: 4,
    snaplen: 65535,
    linkType: 1,
    linkTypeField: 1,
  };
  const recs: Buffer[] = [];
  for (let i = 0; i < 20; i++) {
    const r = Buffer.alloc(16 + 60, 0xee);
    r.writeUInt32LE(1_700_000_000 + i, 0);
    r.writeUInt32LE(1000 * i, 4);
    r.writeUInt32LE(60, 8);
    r.writeUInt32LE(60, 12);
    recs.push(r);
  }
  const junk = Buffer.alloc(37, 0xff);
  const b = Buffer.concat([junk, ...recs]);
  assert.equal(findRecordBoundary(b, 1000, 1000, h, 1_700_000_000), 1000 + junk.length);
  // fewer than 16 records after the start: no boundary
  assert.equal(findRecordBoundary(b.subarray(0, junk.length + 10 * 76), 0, 0, h, 1_700_000_000), -1);
  // a time long before the file's first record is not a record
  assert.equal(findRecordBoundary(b, 0, 0, h, 1_800_000_000), -1);
});
