import type { ClickHouseHttp, Settings } from './http.js';
import type { Layout } from './schema.js';

/** The connections a ClickHouse store works with. */
export interface ChContext {
  layout: Layout;
  /** the node of the URL: queries and inserts through the Distributed tables */
  query: ClickHouseHttp;
  /** the first shard: metadata tables, and the finishing INSERT ... SELECTs that read them */
  meta: ClickHouseHttp;
  /** every shard, for DDL and DROP PARTITION */
  shards: ClickHouseHttp[];
}

/** Inserts through a Distributed table return only when every shard has its rows (or fail). */
export const SYNC_INSERT: Settings = { insert_distributed_sync: 1 };
