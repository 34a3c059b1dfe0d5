import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parseGeoCsv, splitCsvLine } from './geo-csv.js';
import { fromMmdbRecord, GeoLookup } from './geoip.js';
import { createGeoLookup, openGeoFile } from './geoip-files.js';
import { parseIp } from './ip.js';

test('CSV line splitting with quotes', () => {
  assert.deepEqual(splitCsvLine('1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."'), [
    '1.0.0.0',
    '1.0.0.255',
    '13335',
    'Cloudflare, Inc.',
  ]);
  assert.deepEqual(splitCsvLine('a,"b ""q"" c",d'), ['a', 'b "q" c', 'd']);
});

test('CSV range tables: ASN, country, city, CIDR and numeric rows; edges of each range', () => {
  const csv = [
    'ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization',
    '1.0.0.0,1.0.0.255,13335,"Cloudflare, Inc."',
    '16778240,16779263,38803,Gtelecom Pty Ltd',
    '2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project',
    '9.9.9.0/24,19281,Quad9',
    'garbage line',
  ].join('\n');
  const r = parseGeoCsv(csv);
  assert.equal(r.rows, 4);
  assert.equal(r.skipped, 2);
  const get = (ip: string) => r.table.get(parseIp(ip)!);
  assert.deepEqual(get('1.0.0.0'), { asn: 13335, as_org: 'Cloudflare, Inc.' });
  assert.deepEqual(get('1.0.0.255'), { asn: 13335, as_org: 'Cloudflare, Inc.' });
  assert.equal(get('1.0.1.0'), null);
  assert.equal(get('0.255.255.255'), null);
  assert.equal(get('1.0.4.0')?.asn, 38803);
  assert.equal(get('1.0.7.255')?.asn, 38803);
  assert.equal(get('1.0.8.0'), null);
  assert.equal(get('9.9.9.9')?.as_org, 'Quad9');
  assert.equal(get('2001:200:1::1')?.asn, 2500);
  assert.equal(get('2001:201::'), null);

  const city = parseGeoCsv('81.2.69.0,81.2.69.255,GB,England,,Bracknell,RG12,51.4,-0.76,Europe/London\n');
  assert.deepEqual(city.table.get(parseIp('81.2.69.142')!), {
    country: 'GB',
    city: 'Bracknell',
    lat: 51.4,
    lon: -0.76,
  });
  const cc = parseGeoCsv('2.0.0.0,2.15.255.255,FR\n');
  assert.deepEqual(cc.table.get(parseIp('2.1.2.3')!), { country: 'FR' });
});

test('MMDB record layouts: ip-location-db flat and MaxMind nested', () => {
  assert.deepEqual(fromMmdbRecord({ country_code: 'us', latitude: 1.5, longitude: 2.5, city: '' }), {
    country: 'US',
    lat: 1.5,
    lon: 2.5,
  });
  assert.deepEqual(
    fromMmdbRecord({
      country: { iso_code: 'DE' },
      city: { names: { en: 'Berlin' } },
      location: { latitude: 52.5, longitude: 13.4 },
    }),
    { country: 'DE', city: 'Berlin', lat: 52.5, lon: 13.4 },
  );
  assert.deepEqual(
    fromMmdbRecord({ autonomous_system_number: 15169, autonomous_system_organization: 'Google LLC' }),
    {
      asn: 15169,
      as_org: 'Google LLC',
    },
  );
  assert.equal(fromMmdbRecord(null), null);
  assert.equal(fromMmdbRecord('x'), null);
});

test('bundled data: 8.8.8.8 is US / AS15169, private and documentation addresses are not looked up', () => {
  const { lookup, missing } = createGeoLookup();
  assert.deepEqual(missing, []);
  const g = lookup.lookup('8.8.8.8');
  assert.equal(g.country, 'US');
  assert.equal(g.asn, 15169);
  assert.equal(g.as_org, 'Google LLC');
  assert.equal(g.address_class, 'public');
  const g6 = lookup.lookup('2001:4860:4860::8888');
  assert.equal(g6.country, 'US');
  assert.equal(g6.asn, 15169);
  const p = lookup.lookup('10.1.2.3');
  assert.equal(p.address_class, 'private');
  assert.equal(p.country, null);
  assert.equal(p.asn, null);
  assert.equal(lookup.lookup('192.0.2.1').address_class, 'documentation');
  for (const s of lookup.sources) assert.match(s.version, /^\d+\.\d+\.\d+$/, s.name);
  assert.ok(lookup.sources.some((s) => s.date !== null && /^\d{4}-\d\d-\d\d$/.test(s.date)));
});

test("a user's CSV file comes before the bundled data; a user's MMDB file is read too", () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcaplens-geo-'));
  try {
    const csv = join(dir, 'mine.csv');
    writeFileSync(csv, '8.8.8.0,8.8.8.255,64500,Example Org\n');
    const { lookup } = createGeoLookup({ asn: [csv] });
    assert.equal(lookup.lookup('8.8.8.8').asn, 64500);
    assert.equal(lookup.lookup('8.8.8.8').country, 'US');
    assert.equal(lookup.lookup('8.8.4.4').asn, 15169);
    assert.equal(lookup.sources[0]!.name, 'mine.csv');

    const require = createRequire(import.meta.url);
    const mmdb = join(
      require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/package.json'),
      '..',
      'geo-whois-asn-country-ipv4.mmdb',
    );
    const src = openGeoFile(mmdb);
    assert.deepEqual(src.get(parseIp('8.8.8.8')!), { country: 'US' });
    assert.equal(src.get(parseIp('2001:4860::1')!), null);
    const only = new GeoLookup([src]);
    assert.equal(only.lookup('1.1.1.1').country, 'AU');

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'hello\nworld\n');
    assert.throws(() => openGeoFile(bad), { code: 'E_USAGE' });
    assert.throws(() => openGeoFile(join(dir, 'absent.mmdb')), { code: 'E_NOT_FOUND' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
