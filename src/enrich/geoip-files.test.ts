import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseAsnCsv } from './asn-table.js';
import { BUNDLED_ASN_FILES, prebuiltAsnTable } from './geoip-files.js';
import { parseIp, type ParsedIp } from './ip.js';

const require = createRequire(import.meta.url);

test('data/asn holds the installed @ip-location-db/asn tables: every range edge looks up as in the CSV', () => {
  const dir = dirname(require.resolve('@ip-location-db/asn/package.json'));
  const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string })
    .version;
  for (const [file, family] of BUNDLED_ASN_FILES) {
    const csvPath = join(dir, file);
    const csv = readFileSync(csvPath);
    const built = prebuiltAsnTable(csvPath, version);
    assert.ok(built, `data/asn is stale for ${file} ${version}: npx tsx scripts/build-asn-data.ts`);
    const parsed = parseAsnCsv(csv)!;
    assert.equal(built.size, parsed.table.size);
    let checked = 0;
    for (const line of csv.toString('latin1').split('\n')) {
      const [a, b] = line.split(',');
      if (!a || !b) continue;
      const edges: ParsedIp[] = [];
      if (family === 4) {
        for (const n of [Number(a) - 1, Number(a), Number(b), Number(b) + 1])
          if (n >= 0 && n <= 0xffffffff) edges.push({ v: 4, n });
      } else for (const t of [a, b]) edges.push(parseIp(t)!);
      for (const p of edges) assert.deepEqual(built.get(p), parsed.table.get(p), `${file} ${line}`);
      checked += edges.length;
    }
    assert.ok(checked > 100_000, `${file}: ${checked} addresses checked`);
  }
  // another version or size (an updated package) is not served from the old tables
  assert.equal(prebuiltAsnTable(join(dir, BUNDLED_ASN_FILES[0][0]), `${version}-other`), null);
});
