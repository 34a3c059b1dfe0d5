import type { StorageType } from '../../shared/filter/tables.js';

/**
 * Storage types to each dialect's SQL types, for migrations. Migrations write their column lists in these
 * abstract types so one frozen text serves both databases. Time is BIGINT epoch nanoseconds; text is
 * byte-ordered in PostgreSQL (COLLATE "C") so sorting and address keys agree with DuckDB and JavaScript.
 */
export type Dialect = 'duckdb' | 'postgres';

const TYPES: Record<Dialect, Record<StorageType, string>> = {
  duckdb: {
    text: 'VARCHAR',
    int: 'INTEGER',
    bigint: 'BIGINT',
    float: 'DOUBLE',
    bool: 'BOOLEAN',
    time: 'BIGINT',
    'text[]': 'VARCHAR[]',
    'int[]': 'INTEGER[]',
    json: 'VARCHAR',
  },
  postgres: {
    text: 'TEXT COLLATE "C"',
    int: 'INTEGER',
    bigint: 'BIGINT',
    float: 'DOUBLE PRECISION',
    bool: 'BOOLEAN',
    time: 'BIGINT',
    'text[]': 'TEXT[]',
    'int[]': 'INTEGER[]',
    json: 'TEXT',
  },
};

/** "name type, name type" (abstract types) to a SQL column list for the dialect. */
export function columnList(d: Dialect, spec: string): string {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [name, type] = s.split(/\s+/) as [string, StorageType];
      const sqlType = TYPES[d][type];
      if (!/^[a-z_][a-z0-9_]*$/.test(name) || !sqlType) throw new Error(`bad column spec ${s}`);
      return `${name} ${sqlType}`;
    })
    .join(', ');
}

/** SQL type of one abstract type. */
export function sqlType(d: Dialect, t: StorageType): string {
  return TYPES[d][t];
}

export interface Migration {
  version: number;
  name: string;
  /** statements to run, in order, inside one transaction */
  up(d: Dialect): string[];
}
