import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeCapture } from '../../flow/test-support/run-capture.js';
import type { FlowRow } from '../../shared/rows.js';
import { FLOW_COLUMNS } from '../columns.js';
import { MemoryStream } from '../io.js';
import { ByteSink } from './byte-sink.js';
import { csvField, csvLine } from './csv.js';
import { FLOW_KEYS, flowJsonTail, hasFlowKeys } from './flow-json.js';
import { jsonText } from './json.js';
import { JsonRowWriter } from './json-row.js';
import { RowStream } from './row-stream.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** What the stream's consumer gets: the UTF-8 bytes of the text (process.stdout encodes strings so). */
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** The reference: the string writers (jsonText per row, csvLine per row) that RowStream wrote before. */
function jsonReference(rows: object[]): string {
  return rows.length === 0 ? '[]\n' : '[\n' + rows.map((r) => jsonText(r)).join(',\n') + '\n]\n';
}
function csvReference(columns: readonly string[], rows: Record<string, unknown>[]): string {
  return csvLine(columns) + rows.map((r) => csvLine(columns.map((c) => r[c]))).join('');
}

async function streamed(format: 'json' | 'csv', columns: readonly string[], rows: object[]): Promise<string> {
  const out = new MemoryStream();
  const s = new RowStream(out, format, columns);
  for (const r of rows) s.add(r);
  await s.end();
  return out.text;
}

const LONG = 'abcdefghijklmnopqrstuvwxyz-0123456789'; // past the length where strings are copied natively
const HOSTILE: string[] = [
  '',
  'plain',
  'say "hi"',
  'back\\slash',
  'a,b',
  'two\nlines',
  'cr\rlf',
  'tab\tx',
  '\x00nul',
  'esc\x1b]0;owned\x07',
  'del\x7f',
  'c1\u0085\u009b2J',
  'bidi\u202eabc',
  'zw\u200b\u2060\ufeff',
  'ls\u2028ps\u2029',
  'café',
  '日本',
  'emoji 😀',
  'lone \ud800 high',
  'lone \udc00 low',
  '\ud83d',
  '=HYPERLINK("http://x")',
  '+cmd',
  '-2+3',
  '-5',
  '-0.25',
  '@SUM(A1)',
  '\tx',
  '\rx',
  'x'.repeat(70000), // longer than the flush size and the sink's first buffer
];
for (const s of HOSTILE.slice(0, 29)) HOSTILE.push(LONG + s, s + LONG, LONG + s + LONG);
const VALUES: unknown[] = [
  0,
  -0,
  7,
  -3,
  65535,
  1234567890123,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  1e21,
  -1e21,
  0.5,
  0.6270899999999999,
  1e-9,
  -0.25,
  NaN,
  Infinity,
  -Infinity,
  true,
  false,
  null,
  [1, 'x', null],
  ['=a', 'b"c'],
  [],
  { name: 'example.org', source: 'dns' },
  { nested: { s: 'q"\u202e' } },
  {},
];

test('row stream bytes: hostile strings and awkward values exactly as the string writers give them', async () => {
  const rows: Record<string, unknown>[] = [];
  for (const s of HOSTILE) rows.push({ id: rows.length, s, n: 1 });
  for (const v of VALUES) rows.push({ id: rows.length, s: 'v', n: v });
  rows.push({ id: rows.length, 'k"ey\u202e': 'x', ключ: 'значение' }); // other keys, odd key text
  rows.push({ id: rows.length, s: undefined, n: 1 }); // undefined members are dropped, as JSON.stringify does
  rows.push({});
  rows.push({ id: rows.length, s: 'after', n: 2 });
  const json = await streamed('json', ['id'], rows);
  assert.deepEqual(utf8(json), utf8(jsonReference(rows)));
  assert.ok(!/[\x00-\x1f\x7f-\x9f\u2028\u202e]/.test(json.replace(/\n/g, '')), 'raw control or bidi in JSON');
  const columns = ['id', 's', 'n'];
  const csv = await streamed('csv', columns, rows);
  assert.deepEqual(utf8(csv), utf8(csvReference(columns, rows)));
  assert.ok(!/[\x00-\x08\x1b\x7f-\x9f\u202e]/.test(csv), 'terminal control in CSV');
  // one field at a time too (each value alone, so a failure names it)
  const sink = new ByteSink(16);
  for (const v of [...HOSTILE, ...VALUES]) {
    sink.jsonValue(v);
    assert.deepEqual(utf8(sink.take()), utf8(v === undefined ? 'null' : jsonText(v)), String(v));
    sink.csvValue(v);
    assert.deepEqual(utf8(sink.take()), utf8(csvField(v)), String(v));
  }
});

test('row stream bytes: JsonRowWriter.write is text() as UTF-8', () => {
  const w = new JsonRowWriter();
  const sink = new ByteSink(8);
  for (const s of HOSTILE) {
    const row = { a: s, b: [s], c: { s } };
    w.write(sink, row);
    assert.deepEqual(utf8(sink.take()), utf8(w.text(row)));
  }
});

test('flow rows of every fixture capture: JSON, CSV and flowJsonTail as the string writers give them', async () => {
  const files = readdirSync(fixtures).filter((f) => /\.pcap(ng)?$/.test(f));
  assert.ok(files.length > 10);
  let total = 0;
  for (const f of files) {
    const { flows } = await analyzeCapture(join(fixtures, f)).catch(() => ({ flows: [] as FlowRow[] }));
    total += flows.length;
    const rows = flows as unknown as Record<string, unknown>[];
    // the named-field writers are used for the flow layer's rows (FLOW_KEYS is the row's key order)
    for (const r of flows) assert.ok(hasFlowKeys(r), `${f}: flow row keys differ from FLOW_KEYS`);
    assert.equal(utf8(await streamed('json', FLOW_COLUMNS, flows)).compare(utf8(jsonReference(flows))), 0, f);
    const csv = await streamed('csv', FLOW_COLUMNS, flows);
    assert.equal(utf8(csv).compare(utf8(csvReference(FLOW_COLUMNS, rows))), 0, f);
    for (const r of flows) assert.equal('{"id":' + r.id + flowJsonTail(r), jsonText(r), f);
  }
  assert.ok(total > 100, `only ${total} flows in the fixtures`);
});

test('flow rows: hostile values in every field, missing and extra keys', async () => {
  const base = (await analyzeCapture(join(fixtures, 'dhcp-dora.pcap'))).flows[0]!;
  assert.ok(base);
  const rows: object[] = [];
  for (const k of FLOW_KEYS) {
    for (const v of [...HOSTILE.slice(0, 30), ...VALUES]) rows.push({ ...base, [k]: v });
    rows.push({ ...base, [k]: undefined });
  }
  rows.push({ ...base, extra: 'x"' });
  const { app: _app, ...noApp } = base;
  rows.push(noApp);
  rows.push(Object.assign({ proto: 'tcp' }, base)); // another key order
  const json = await streamed('json', FLOW_COLUMNS, rows);
  assert.deepEqual(utf8(json), utf8(jsonReference(rows)));
  const recs = rows as Record<string, unknown>[];
  const csv = await streamed('csv', FLOW_COLUMNS, rows);
  assert.deepEqual(utf8(csv), utf8(csvReference(FLOW_COLUMNS, recs)));
  for (const r of rows as FlowRow[]) {
    // the tail's contract: `{"id":` + a numeric id + tail is the row's JSON
    if (!Number.isFinite(r.id) || Object.keys(r)[0] !== 'id') continue;
    const expected = jsonText(r).slice(('{"id":' + String(r.id)).length);
    assert.equal(flowJsonTail(r), expected);
  }
});
