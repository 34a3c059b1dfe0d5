import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter } from './validate.js';
import { DUCKDB_DIALECT, POSTGRES_DIALECT, filterToSql } from './to-sql.js';
import { tableFields } from './bindings.js';

const flows = (s: string) => compileFilter(s, 'flows', tableFields('flows'));

test('values become numbered parameters after the caller’s own', () => {
  const params: unknown[] = ['capture'];
  const sql = filterToSql(
    flows('ip.addr == 10.0.0.0/8 and app == "x\'; DROP TABLE flows; --"'),
    POSTGRES_DIALECT,
    params,
  );
  assert.equal(
    sql,
    '(((src_ip_key IS NOT NULL AND src_ip_key BETWEEN $2 AND $3) OR (dst_ip_key IS NOT NULL AND dst_ip_key BETWEEN $4 AND $5))' +
      ' AND (app IS NOT NULL AND app = $6))',
  );
  assert.deepEqual(params, [
    'capture',
    '00000000000000000000ffff0a000000',
    '00000000000000000000ffff0affffff',
    '00000000000000000000ffff0a000000',
    '00000000000000000000ffff0affffff',
    "x'; DROP TABLE flows; --",
  ]);
});

test('dialects differ only where the engines do', () => {
  const f = flows('app matches "(?i)^tls" and tcp.port == 443');
  const pgParams: unknown[] = [];
  const duckParams: unknown[] = [];
  const p = filterToSql(f, POSTGRES_DIALECT, pgParams, 'f');
  const d = filterToSql(f, DUCKDB_DIALECT, duckParams, 'f');
  assert.equal(
    p,
    '((f.app IS NOT NULL AND f.app ~* $1) AND ((f.proto IS NOT NULL AND f.proto IN ($2)) AND ((f.src_port IS NOT NULL AND f.src_port = $3) OR (f.dst_port IS NOT NULL AND f.dst_port = $4))))',
  );
  assert.equal(
    d,
    "((f.app IS NOT NULL AND regexp_matches(f.app, $1, 'i')) AND ((f.proto IS NOT NULL AND f.proto IN ($2)) AND ((f.src_port IS NOT NULL AND f.src_port = $3) OR (f.dst_port IS NOT NULL AND f.dst_port = $4))))",
  );
  assert.deepEqual(pgParams, ['^tls', 'tcp', 443, 443]);
  assert.deepEqual(duckParams, pgParams);
  // time literals are bigint nanoseconds (text for pg, which binds int8 from strings)
  const tp: unknown[] = [];
  filterToSql(flows('flow.start > "2024-05-01T12:00:00.5Z"'), POSTGRES_DIALECT, tp);
  assert.deepEqual(tp, ['1714564800500000000']);
  const td: unknown[] = [];
  filterToSql(flows('flow.start > "2024-05-01T12:00:00.5Z"'), DUCKDB_DIALECT, td);
  assert.deepEqual(td, [1714564800500000000n]);
  // non-integers and big numbers are cast, so an int column never rejects them
  const np: unknown[] = [];
  assert.equal(
    filterToSql(flows('flow.bytes > 10.5'), POSTGRES_DIALECT, np),
    '(bytes IS NOT NULL AND bytes > CAST($1 AS DOUBLE PRECISION))',
  );
  // a bad alias is refused, never pasted
  assert.throws(() => filterToSql(flows('tcp'), DUCKDB_DIALECT, [], 'f; DROP'));
});
