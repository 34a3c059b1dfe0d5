/**
 * The bundled IEEE registry: npm package oui-data (BSD-2-Clause), a JSON object keyed by MA-L (6 hex),
 * MA-M (7) and MA-S (9) prefixes. Loaded on first use only: parsing 5.6 MB of JSON costs tens of milliseconds.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MacVendorTable } from './mac-vendor.js';

const require = createRequire(import.meta.url);
let table: MacVendorTable | null = null;

export function bundledMacVendors(): MacVendorTable {
  if (!table) {
    // read, not require()d: the module cache would keep the whole registry text alive after the table is built
    const file = require.resolve('oui-data');
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    // The package exports only its JSON, so its package.json is read beside it.
    const dir = dirname(file);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
    table = new MacVendorTable(record, {
      name: 'IEEE OUI/MA-M/MA-S registry (npm oui-data)',
      version: pkg.version ?? '?',
    });
  }
  return table;
}
