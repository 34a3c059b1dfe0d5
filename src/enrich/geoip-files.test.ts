import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseAsnCsv } from './asn-table.js';
import { BUNDLED_ASN_FILES, bundledGeoSources, prebuiltAsnTable, samePrefix } from './geoip-files.js';
import { GeoLookup } from './geoip.js';
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

test('samePrefix: leading bits of two IPv4 addresses', () => {
  const n = (s: string) => (parseIp(s) as { n: number }).n;
  assert.equal(samePrefix(n('10.1.2.3'), n('10.1.2.200'), 24), true);
  assert.equal(samePrefix(n('10.1.2.3'), n('10.1.3.3'), 24), false);
  assert.equal(samePrefix(n('10.1.2.3'), n('10.1.3.3'), 23), true);
  assert.equal(samePrefix(n('128.0.0.0'), n('0.0.0.0'), 1), false);
  assert.equal(samePrefix(n('128.0.0.0'), n('0.0.0.0'), 0), true);
  assert.equal(samePrefix(n('255.255.255.255'), n('255.255.255.254'), 32), false);
  assert.equal(samePrefix(n('255.255.255.255'), n('255.255.255.254'), 31), true);
});

test('bundled GeoIP: neighbours asked in a row, or warmed in address order, answer as asked alone', () => {
  // runs of neighbours in a few networks, and addresses spread over the space (a fixed LCG)
  const ips: string[] = [];
  for (const net of ['8.8.8.', '1.1.1.', '81.2.69.', '2.16.0.', '223.255.255.'])
    for (let i = 0; i < 256; i += 7) ips.push(`${net}${i}`);
  let x = 12345;
  for (let i = 0; i < 600; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    ips.push(`${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`);
  }
  const inRow = bundledGeoSources().sources;
  const alone = bundledGeoSources().sources;
  let answered = 0;
  for (let s = 0; s < inRow.length; s++) {
    for (const ip of [...ips].sort()) {
      const p = parseIp(ip)!;
      // asked right after an address of the other half of the space: its own walk, never the last one's
      const far = { v: 4 as const, n: ((p as { n: number }).n ^ 0x80000000) >>> 0 };
      alone[s]!.get(far);
      const want = alone[s]!.get(p);
      assert.deepEqual(inRow[s]!.get(p), want, `${inRow[s]!.info.name} ${ip}`);
      if (want) answered++;
    }
  }
  assert.ok(answered > 1000, `${answered} answers`);
  const warmed = new GeoLookup(bundledGeoSources().sources);
  const cold = new GeoLookup(bundledGeoSources().sources);
  warmed.warm(ips);
  for (const ip of ips) assert.deepEqual(warmed.lookup(ip), cold.lookup(ip), ip);
});
