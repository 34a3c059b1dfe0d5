/**
 * The filter language's syntax tree (ARCHITECTURE.md, "Filter language"). The parser builds a `FilterNode`
 * tree with the literals as written; `validate` turns it into a `CheckedFilter` whose values are already
 * converted to the field's type, which is what the SQL compiler and the in-memory predicate consume.
 */
import type { TableName } from './tables.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'matches';

/** A literal as written. `word` is an unquoted token (`app == tls`) that is neither a number nor an address. */
export type Literal =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; raw: string; pos: number }
  | { kind: 'ipv4'; raw: string; prefix: number | null; pos: number }
  | { kind: 'ipv6'; raw: string; prefix: number | null; pos: number }
  | { kind: 'mac'; raw: string; pos: number }
  | { kind: 'word'; raw: string; pos: number };

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode; pos: number }
  | { kind: 'not'; expr: FilterNode; pos: number }
  /** bare field or protocol name: presence / truthiness */
  | { kind: 'exists'; field: string; pos: number }
  | { kind: 'compare'; field: string; op: CompareOp; value: Literal; pos: number; fieldPos: number };

/** A literal converted to the type of the field it is compared with. */
export type Value =
  | { t: 'string'; s: string }
  | { t: 'num'; n: number }
  | { t: 'bool'; b: boolean }
  /** inclusive range of 32-hex-digit address keys (see ip-key.ts); a single address has lo === hi */
  | { t: 'ip'; lo: string; hi: string }
  | { t: 'mac'; s: string }
  /** epoch nanoseconds */
  | { t: 'time'; ns: bigint }
  | { t: 'regex'; source: string; ignoreCase: boolean };

/** How a field id reaches the columns of one table (see bindings.ts). */
export type ColumnKind = 'text' | 'int' | 'float' | 'bool' | 'ipkey' | 'mac' | 'time' | 'text[]';

export interface ColumnRef {
  /** column in the store's table (also the property of the row object) */
  column: string;
  kind: ColumnKind;
  /** the value for a row object (the in-memory predicate); for ipkey columns the key of the address text */
  get: (row: Record<string, unknown>) => unknown;
}

/** Checked tree: fields resolved to columns, values typed. */
export type CheckedNode =
  | { kind: 'and' | 'or'; left: CheckedNode; right: CheckedNode }
  | { kind: 'not'; expr: CheckedNode }
  | { kind: 'const'; value: boolean }
  /** column is present (not null); for bool columns: true */
  | { kind: 'present'; col: ColumnRef }
  /** any of `cols` compares true (ip.addr, tcp.port...); `guard` must also hold (tcp.port needs proto tcp) */
  | { kind: 'compare'; cols: ColumnRef[]; op: CompareOp; value: Value; guard?: CheckedNode }
  /** column equals one of the given strings (bare protocol names) */
  | { kind: 'in'; col: ColumnRef; values: string[] }
  /**
   * a test on the rows of another table that has a flow_id column (dns, http, tls...): true for the rows
   * whose flow has such a row. `outer` is the flow id of the filtered row (flows.id or flow_id); on hosts
   * (`endpoints`) `outer` is the address and the test holds when it is an end of such a flow. Runs only
   * in SQL (a semi-join scoped to the same capture); `field` is the id as written, for messages.
   */
  | {
      kind: 'related';
      table: TableName;
      field: string;
      outer: ColumnRef;
      endpoints?: boolean;
      expr: CheckedNode;
    };

export interface CheckedFilter {
  /** the store table the filter was checked against */
  table: string;
  root: CheckedNode;
  /** the expression as the user wrote it, for messages */
  source: string;
}
