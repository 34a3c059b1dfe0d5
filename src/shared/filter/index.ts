/** The filter language: parse once, check against a table and the field catalog, then run as SQL or in memory. */
export type { CheckedFilter, FilterNode } from './ast.js';
export { FilterError } from './filter-error.js';
export { parseFilter } from './parser.js';
export { checkFilter, compileFilter } from './validate.js';
export { filterToSql, DUCKDB_DIALECT, POSTGRES_DIALECT, type SqlDialect } from './to-sql.js';
export { filterPredicate, type RowPredicate } from './predicate.js';
export { tableFields, tableBindings } from './bindings.js';
export { TABLES, TABLE_NAMES, isTableName, type TableName } from './tables.js';
export { parseTimeBound, isoToNs, nsToIso } from './time-bound.js';
