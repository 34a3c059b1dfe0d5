import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBDataChunk, DuckDBInstance, listValue, type DuckDBValue } from '@duckdb/node-api';
import { TABLES, type ColumnDef } from '../../shared/filter/tables.js';
import { PacketBatch } from '../packet-batch.js';
import { encodeValue } from '../codec.js';
import { ChunkWriter, type ChunkColumn } from './chunk-writer.js';

const DEFS: ColumnDef[] = [
  { name: 'b', type: 'bigint', doc: '' },
  { name: 'i', type: 'int', doc: '' },
  { name: 't', type: 'time', doc: '' },
  { name: 'f', type: 'float', doc: '' },
  { name: 'x', type: 'text', doc: '' },
  { name: 'j', type: 'json', doc: '' },
  { name: 'o', type: 'bool', doc: '' },
  { name: 'l', type: 'text[]', doc: '' },
  { name: 'k', type: 'int[]', doc: '' },
  { name: 'd', type: 'text', doc: '', derive: (r) => (r.x === null ? null : `<${String(r.x)}>`) },
];
const SQL_TYPES = 'BIGINT, INTEGER, BIGINT, DOUBLE, VARCHAR, VARCHAR, BOOLEAN, VARCHAR[], INTEGER[], VARCHAR';

/** Rows with the values an import meets, and the edges: nulls, negatives, past 2^53, odd times. */
function rows(): Record<string, unknown>[] {
  const times = [
    '2023-11-14T22:13:20.000001Z',
    '2023-11-14T22:13:20.123456789Z',
    '2023-11-14T22:13:21.999999Z',
    '1969-12-31T23:59:59.500000Z',
    '2106-02-07T06:28:16.000000Z',
    '9999-12-31T23:59:59.999999999Z',
    '2023-11-14 22:13:20',
    'not a time',
    '2016-12-31T23:59:60.000000Z',
    null,
    // in the second parsed just before, but not times of the fast form: each takes the general path
    '2023-11-14T22:13:20.000002Z',
    '2023-11-14T22:13:20.12345xZ',
    '2023-11-14T22:13:20.1234567Z',
    '2023-11-14T22:13:20,123456Z',
    '2023-11-14T22:13:20.123456z',
    '2023-11-14T22:13:20.123456789Z',
    '2023-11-14T22:13:20.-23456Z',
  ];
  const ints = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 32, 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 60, -(2 ** 60)];
  const out: Record<string, unknown>[] = [];
  for (let r = 0; r < 5000; r++) {
    const k = r % 10;
    out.push({
      b: r % 20 === 9 ? null : r % 20 === 8 ? '42' : ints[k]! + (k < 6 ? r : 0),
      i: k === 3 ? null : (r % 4000) - 2000 + (k === 5 ? 0.75 : 0),
      t: r % 7 === 0 ? 1_700_000_000_123_456_789n + BigInt(r) : times[r % times.length],
      f: k === 2 ? null : k === 4 ? Number.NaN : r / 7,
      // texts inline in DuckDB's string_t (ASCII up to 12 bytes) and not (longer, non-ASCII, NUL)
      x:
        k === 1
          ? null
          : [``, `a`, `tcp`, `exactly12chr`, `thirteen-chrs`, `é`, `日本`, `nul\0x`, `h-${r}`][r % 9],
      j: k === 6 ? null : { r, s: ['a', k] },
      o: k === 7 ? null : r % 3 === 0,
      l:
        k === 0
          ? null
          : r % 11 === 0
            ? []
            : [`a${r}`, 'b', ...(r % 5 === 0 ? ['an element longer than twelve bytes', 'é\0'] : [])],
      k: k === 1 ? null : r % 13 === 0 ? [] : [r, -r, ...(r % 3 === 0 ? ['7', 2.5] : [])],
    });
  }
  return out;
}

test('chunk writer stores the values the generic encoding (encodeValue) stores, every type and edge', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const cols = ['capture_id', 'seq', ...DEFS.map((d) => d.name)];
    const types = ['BIGINT', 'BIGINT', ...SQL_TYPES.split(', ')];
    for (const t of ['fast', 'slow'])
      await conn.run(`CREATE TABLE ${t} (${cols.map((c, i) => `${c} ${types[i]}`).join(', ')})`);
    const data = rows();
    // the fast path, as the store's import batches use it (two batches: buffers reused)
    const w = new ChunkWriter();
    const fast = await conn.createAppender('fast');
    const ctypes = cols.map((_, i) => fast.columnType(i));
    const columns: ChunkColumn[] = [
      { def: null, constant: 7 },
      { def: null, counterStart: 100 },
      ...DEFS.map((def) => ({ def })),
    ];
    for (const [a, b] of [
      [0, 2048],
      [2048, 4096],
      [4096, 5000],
    ] as const)
      fast.appendDataChunk(w.chunk(ctypes, columns, data, a, b));
    fast.flushSync();
    fast.closeSync();
    // the generic path of DuckDbStore.append: encodeValue per value, as DuckDBValues, column by column
    const slow = await conn.createAppender('slow');
    for (let start = 0; start < data.length; start += 2048) {
      const end = Math.min(data.length, start + 2048);
      const chunk = DuckDBDataChunk.create(ctypes, end - start);
      const part = data.slice(start, end);
      chunk.setColumnValues(
        0,
        part.map(() => 7n),
      );
      chunk.setColumnValues(
        1,
        part.map((_, r) => BigInt(100 + start + r + 1)),
      );
      DEFS.forEach((d, i) =>
        chunk.setColumnValues(
          i + 2,
          part.map((row): DuckDBValue => {
            const e = encodeValue(d.type, d.derive ? d.derive(row) : row[d.name]);
            if (e === null) return null;
            if (Array.isArray(e)) return listValue(e);
            return d.type === 'bigint' || d.type === 'time'
              ? BigInt(e as number | bigint)
              : (e as DuckDBValue);
          }),
        ),
      );
      slow.appendDataChunk(chunk);
    }
    slow.flushSync();
    slow.closeSync();
    const read = async (t: string) =>
      (await conn.runAndReadAll(`SELECT * FROM ${t} ORDER BY seq`))
        .getRowsJS()
        .map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
    const a = await read('fast');
    const b = await read('slow');
    assert.equal(a.length, 5000);
    assert.deepEqual(a, b);
    // spot checks that the comparison is not vacuous
    const check = await conn.runAndReadAll(
      'SELECT count(*) FILTER (WHERE t IS NULL), count(*) FILTER (WHERE b < 0), max(b), min(t), max(seq) FROM fast',
    );
    const [nullT, negB, maxB, minT, maxSeq] = check.getRows()[0]!;
    assert.ok(Number(nullT) > 0 && Number(negB) > 0);
    assert.equal(maxB, 2n ** 60n);
    assert.equal(minT, -500_000_000n);
    assert.equal(maxSeq, 5100n);
    // texts compare and group as DuckDB's own strings do (inline bytes zero-padded, lengths right)
    const [[same, texts, tcp]] = (
      await conn.runAndReadAll(
        `SELECT (SELECT count(*) FROM fast f JOIN slow s ON f.seq = s.seq AND f.x = s.x),
                (SELECT count(x) FROM slow), (SELECT count(*) FROM fast WHERE x = 'tcp')`,
      )
    ).getRows() as [[bigint, bigint, bigint]];
    assert.equal(same, texts);
    assert.equal(tcp, BigInt(data.filter((r) => r.x === 'tcp').length));
    assert.ok(tcp > 0n);
    const groups = async (t: string) =>
      (await conn.runAndReadAll(`SELECT x, count(*) FROM ${t} GROUP BY x ORDER BY x`)).getRows();
    assert.deepEqual(await groups('fast'), await groups('slow'));
  } finally {
    conn.closeSync();
    db.closeSync();
  }
});

test('chunk writer refuses an integer outside INTEGER as the generic path does', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run('CREATE TABLE t (i INTEGER)');
    const app = await conn.createAppender('t');
    const w = new ChunkWriter();
    assert.throws(
      () =>
        w.chunk([app.columnType(0)], [{ def: { name: 'i', type: 'int', doc: '' } }], [{ i: 2 ** 31 }], 0, 1),
      /int32 range/,
    );
    app.closeSync();
  } finally {
    conn.closeSync();
    db.closeSync();
  }
});

test('packet batches store the rows their rows() give through the row path, odd times included', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const defs = TABLES.packets.columns;
    for (const t of ['fast', 'slow'])
      await conn.run(
        `CREATE TABLE ${t} (capture_id BIGINT, n BIGINT, ts BIGINT, file_index INTEGER, file_offset BIGINT, caplen INTEGER, len INTEGER, flow_id BIGINT, protocol VARCHAR)`,
      );
    const batch = new PacketBatch(3000, ['tls', 'dns\0x']);
    const secs = [1_700_000_000, 0, -5, 1.5, 9_300_000_000, 4_294_967_295, 1_700_000_001];
    const nsecs = [123_456_789, 1000, 0, 0, 7, 999_999_999, 1_500_000_000];
    for (let i = 0; i < 3000; i++)
      batch.push(
        i + 1,
        secs[i % 7]! + (i % 7 === 0 ? i : 0),
        nsecs[i % 7]!,
        i % 3,
        i * 1500 + 24,
        60 + (i % 1400),
        60 + (i % 1500),
        i % 5 === 0 ? null : i >> 2,
        i % 4 === 0 ? -1 : i % 4 === 1 ? 0 : 1,
      );
    const w = new ChunkWriter();
    const fast = await conn.createAppender('fast');
    const names = ['capture_id', ...defs.map((d) => d.name)];
    const types = names.map((_, i) => fast.columnType(i));
    for (let s = 0; s < 3000; s += 2048)
      fast.appendDataChunk(w.packetChunk(types, names, batch, 9, s, Math.min(3000, s + 2048)));
    fast.flushSync();
    fast.closeSync();
    const slow = await conn.createAppender('slow');
    const rows = batch.rows() as unknown as Record<string, unknown>[];
    const columns: ChunkColumn[] = [{ def: null, constant: 9 }, ...defs.map((def) => ({ def }))];
    for (let s = 0; s < 3000; s += 2048)
      slow.appendDataChunk(w.chunk(types, columns, rows, s, Math.min(3000, s + 2048)));
    slow.flushSync();
    slow.closeSync();
    const read = async (t: string) =>
      (await conn.runAndReadAll(`SELECT * FROM ${t} ORDER BY n`))
        .getRowsJS()
        .map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
    const a = await read('fast');
    assert.equal(a.length, 3000);
    assert.deepEqual(a, await read('slow'));
    const [[ts1, nullFlows]] = (
      await conn.runAndReadAll(
        'SELECT min(ts) FILTER (WHERE n = 1), count(*) FILTER (WHERE flow_id IS NULL) FROM fast',
      )
    ).getRows() as [[bigint, bigint]];
    assert.equal(ts1, 1_700_000_000_123_456_789n);
    assert.equal(nullFlows, 600n);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
});
