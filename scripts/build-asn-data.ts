// Writes data/asn/*.bin.gz: the bundled ASN tables (npm @ip-location-db/asn, CSV) parsed once by
// src/enrich/asn-table.ts and stored as its arrays, so an import loads them instead of parsing 30 MB of CSV.
// Each file names the package version and CSV size it was built from; src/enrich/geoip-files.ts uses it only
// when both match the installed package (else it parses the CSV as before). Run after updating the package:
//   npx tsx scripts/build-asn-data.ts
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseAsnCsv } from '../src/enrich/asn-table.js';
import { BUNDLED_ASN_FILES, bundledAsnBinaryPath } from '../src/enrich/geoip-files.js';

const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('@ip-location-db/asn/package.json'));
const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string })
  .version;
for (const [file] of BUNDLED_ASN_FILES) {
  const csv = join(pkgDir, file);
  const parsed = parseAsnCsv(readFileSync(csv));
  if (!parsed) throw new Error(`${csv}: not an ASN table`);
  const bin = parsed.table.toBinary({
    package: '@ip-location-db/asn',
    version,
    source: file,
    size: statSync(csv).size,
    rows: parsed.rows,
    skipped: parsed.skipped,
  });
  const out = bundledAsnBinaryPath(file);
  if (!out) throw new Error('data/ directory not found');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, gzipSync(bin, { level: 9 }));
  console.log(`${out}: ${parsed.rows} rows, ${bin.length} bytes, ${statSync(out).size} gzipped`);
}
