import type { Migration } from './ddl.js';
import { sqlType } from './ddl.js';

/**
 * The capture's summary as computed while reading it (per-file formats and counts, frames per protocol,
 * problems): `pcaplens summary @ID` answers from it exactly as a direct run would, without re-reading.
 */
export const migration002: Migration = {
  version: 2,
  name: 'capture-summary',
  up(d) {
    return [`ALTER TABLE captures ADD COLUMN summary ${sqlType(d, 'json')}`];
  },
};
