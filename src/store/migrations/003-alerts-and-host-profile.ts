import type { Migration } from './ddl.js';
import { columnList } from './ddl.js';

/**
 * Alerts as the analyses raise them (shared/alert-rows.ts: kind, score, time span, hosts, flow ids, explanation)
 * next to the first schema's generic columns, which stay filled (title, detail, client/server) for older readers;
 * and the hosts' address class and OS guess from enrichment.
 */
const ALERT_COLUMNS =
  'id bigint, key text, kind text, score float, heuristic bool, first_ts time, last_ts time, hosts text[], flow_ids int[], flow_count bigint, explanation text';
const HOST_COLUMNS = 'address_class text, os_guess text';

function addColumns(d: Parameters<Migration['up']>[0], table: string, spec: string): string[] {
  return columnList(d, spec)
    .split(', ')
    .map((col) => `ALTER TABLE ${table} ADD COLUMN ${col}`);
}

export const migration003: Migration = {
  version: 3,
  name: 'alerts-and-host-profile',
  up(d) {
    return [...addColumns(d, 'alerts', ALERT_COLUMNS), ...addColumns(d, 'hosts', HOST_COLUMNS)];
  },
};
