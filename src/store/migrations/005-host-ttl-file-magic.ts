import type { Migration } from './ddl.js';
import { columnList } from './ddl.js';

/**
 * The hosts' TTL / hop limit range (HostRow.ttl_min, ttl_max: the TTL OS hint's input) and the files' first bytes
 * (FileRow.magic: executables known by content, not by name).
 */
function addColumns(d: Parameters<Migration['up']>[0], table: string, spec: string): string[] {
  return columnList(d, spec)
    .split(', ')
    .map((col) => `ALTER TABLE ${table} ADD COLUMN ${col}`);
}

export const migration005: Migration = {
  version: 5,
  name: 'host-ttl-file-magic',
  up(d) {
    return [...addColumns(d, 'hosts', 'ttl_min int, ttl_max int'), ...addColumns(d, 'files', 'magic text')];
  },
};
