/**
 * A run that keeps only some tables (absent sinks) skips the parsers that feed only the others: every table it
 * keeps must come out as in a run that keeps all, and the reassembly problems must be the same whatever is kept
 * (TLS and the line protocols still end the reassembly of a flow at the same byte). Limits are made tight so
 * that the captures hit them. Uses the shipped fixtures, plus the team corpus when it is present.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, FIXTURE_DIR } from '../../../../test/golden/paths.js';
import { analyzeCapture } from '../../test-support/run-capture.js';
import type { ReassemblyProblem } from '../types.js';
import { AppLayer } from './app-layer.js';
import type { AppSinks } from './sinks.js';

type RowSink = Exclude<keyof AppSinks, 'problem'>;
const ROW_SINKS: RowSink[] = ['dns', 'http', 'tls', 'dhcp', 'credential', 'file', 'ssh', 'smb', 'sip', 'ntp'];

/** out-of-order data held for a moment only, so reordered captures hit the limits */
const TIGHT = { maxHeldBytesPerDir: 4096, maxHeldSegmentsPerDir: 2, maxAheadBytes: 3000 };

function captures(): string[] {
  const seen = new Map<string, string>();
  for (const dir of [FIXTURE_DIR, CORPUS_DIR]) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir))
      if (/\.(pcap|pcapng|cap)$/.test(name) && !seen.has(name)) seen.set(name, join(dir, name));
  }
  return [...seen.values()].sort();
}

async function run(
  cap: string,
  kept: readonly RowSink[],
): Promise<{ rows: Record<string, unknown[]>; problems: ReassemblyProblem[] }> {
  const rows: Record<string, unknown[]> = {};
  const problems: ReassemblyProblem[] = [];
  const sinks: AppSinks = { problem: (p) => problems.push(p) };
  for (const k of kept) {
    const list: unknown[] = (rows[k] = []);
    // a file row with its content's first bytes (what the files table's magic column is made of)
    sinks[k] = ((row: unknown, content?: Uint8Array | null) =>
      list.push(k === 'file' ? [row, content ? [...content.subarray(0, 16)] : null] : row)) as never;
  }
  const app = new AppLayer(sinks, { limits: TIGHT, maxHeldBytes: 1 << 16 });
  await analyzeCapture(cap, { onPacket: app.onPacket, onFlowEnd: app.onFlowEnd });
  return { rows, problems };
}

test('a table kept alone comes out as in a full run; the problems do not depend on the tables kept', async () => {
  let problemCount = 0;
  const rowCount: Record<string, number> = {};
  for (const cap of captures()) {
    // the broken captures that cannot be opened at all are not this test's business
    const all = await run(cap, ROW_SINKS).catch(() => null);
    if (all === null) continue;
    const none = await run(cap, []);
    assert.deepEqual(none.problems, all.problems, `${cap}: problems without rows`);
    problemCount += all.problems.length;
    for (const k of ROW_SINKS) {
      const alone = await run(cap, [k]);
      assert.deepEqual(alone.rows[k], all.rows[k], `${cap}: ${k} alone`);
      assert.deepEqual(alone.problems, all.problems, `${cap}: problems with ${k} alone`);
      rowCount[k] = (rowCount[k] ?? 0) + all.rows[k]!.length;
    }
  }
  // the comparisons above are not empty: the fixtures alone have limit problems and rows of these tables
  assert.ok(problemCount > 0, 'some capture hit a reassembly limit');
  for (const k of ['dns', 'http', 'tls', 'dhcp', 'file'] as const) assert.ok(rowCount[k]! > 0, `${k} rows`);
});
