import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MacVendorTable, normaliseMac } from './mac-vendor.js';
import { bundledMacVendors } from './mac-vendor-data.js';

test('normaliseMac accepts the usual spellings', () => {
  assert.equal(normaliseMac('00:00:0c:12:34:56'), '00000C123456');
  assert.equal(normaliseMac('00-00-0C-12-34-56'), '00000C123456');
  assert.equal(normaliseMac('0000.0c12.3456'), '00000C123456');
  assert.equal(normaliseMac('00:00:0c:12:34'), null);
  assert.equal(normaliseMac('zz:00:0c:12:34:56'), null);
});

test('bundled registry: Cisco MA-L prefix 00:00:0C', () => {
  const t = bundledMacVendors();
  const i = t.lookup('00:00:0c:9f:f0:01');
  assert.equal(i.vendor, 'Cisco Systems, Inc');
  assert.equal(i.block, 'MA-L');
  assert.equal(i.locally_administered, false);
  assert.equal(i.multicast, false);
  assert.ok(t.source.entries > 50000, `entries ${t.source.entries}`);
  assert.match(t.source.version, /^\d+\.\d+\.\d+$/);
});

test('bundled registry: MA-M and MA-S blocks win over the IEEE RA MA-L entry', () => {
  const t = bundledMacVendors();
  // C8:5C:E2 is an IEEE Registration Authority MA-L; C8:5C:E2:7 is an MA-M block of one company.
  const ra = t.lookup('c8:5c:e2:00:00:01');
  const mam = t.lookup('c8:5c:e2:7a:bc:de');
  assert.equal(mam.block, 'MA-M');
  assert.notEqual(mam.vendor, ra.vendor);
  // 70:B3:D5 is split into MA-S (36-bit) blocks.
  const mas = t.lookup('70:b3:d5:00:10:00');
  assert.equal(mas.block, 'MA-S');
  assert.equal(mas.vendor, 'SOREDI touch systems GmbH');
  assert.equal(mam.vendor, 'SYNERGY SYSTEMS AND SOLUTIONS');
});

test('flags: locally administered, multicast, broadcast get no vendor', () => {
  const t = bundledMacVendors();
  const la = t.lookup('02:00:0c:12:34:56');
  assert.equal(la.locally_administered, true);
  assert.equal(la.vendor, null);
  const mc = t.lookup('01:00:5e:00:00:fb');
  assert.equal(mc.multicast, true);
  assert.equal(mc.vendor, null);
  const bc = t.lookup('ff:ff:ff:ff:ff:ff');
  assert.equal(bc.broadcast, true);
  assert.equal(bc.multicast, true);
  assert.equal(t.lookup('not a mac').vendor, null);
});

test('table from a tiny record: longest prefix first', () => {
  const t = new MacVendorTable(
    { '0CBBCC': 'Big Co\naddr', '0CBBCC1': 'Mid Co\naddr', '0CBBCC123': 'Small Co\naddr' },
    { name: 't', version: '1' },
  );
  assert.equal(t.vendor('0c:bb:cc:12:34:56'), 'Small Co');
  assert.equal(t.vendor('0c:bb:cc:1f:00:00'), 'Mid Co');
  assert.equal(t.vendor('0c:bb:cc:20:00:00'), 'Big Co');
  assert.equal(t.vendor('08:bb:cc:20:00:00'), null);
  assert.equal(t.source.entries, 3);
});
