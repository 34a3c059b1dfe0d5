import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsnTable, parseAsnCsv } from './asn-table.js';
import { parseGeoCsv } from './geo-csv.js';
import { parseIp } from './ip.js';

const bytes = (s: string) => new TextEncoder().encode(s);

test('parseAsnCsv: the @ip-location-db layouts (decimal IPv4, dotted IPv4, IPv6 text), quoted names, range edges', () => {
  const csv = [
    '\ufeff16777216,16777471,13335,"Cloudflare, Inc."', // 1.0.0.0-1.0.0.255, with a byte order mark
    '1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd',
    '2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project',
    '2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Electric LLC', // out of order: sorted on build
    '3.0.0.0,3.0.0.255,16509,"Amazon.com, Inc. ""AWS"""',
    '3.0.1.0,3.0.1.255,16509,"Amazon.com, Inc. ""AWS"""', // same organisation: one value
    '4.0.0.0,4.0.0.255,AS3356,Level 3\r', // AS prefix, CRLF
    '5.0.0.0,5.0.0.255,4200000001,', // 32-bit private ASN, no name
    '',
  ].join('\n');
  const r = parseAsnCsv(bytes(csv));
  assert.ok(r);
  assert.equal(r.rows, 8);
  assert.equal(r.skipped, 0);
  const get = (ip: string) => r.table.get(parseIp(ip)!);
  assert.deepEqual(get('1.0.0.0'), { asn: 13335, as_org: 'Cloudflare, Inc.' });
  assert.deepEqual(get('1.0.0.255'), { asn: 13335, as_org: 'Cloudflare, Inc.' });
  assert.equal(get('0.255.255.255'), null);
  assert.equal(get('1.0.1.0'), null);
  assert.equal(get('1.0.7.255')?.as_org, 'Gtelecom Pty Ltd');
  assert.equal(get('3.0.1.7')?.as_org, 'Amazon.com, Inc. "AWS"');
  assert.strictEqual(get('3.0.0.1'), get('3.0.1.1'));
  assert.deepEqual(get('4.0.0.9'), { asn: 3356, as_org: 'Level 3' });
  assert.deepEqual(get('5.0.0.9'), { asn: 4200000001, as_org: null });
  assert.equal(get('2001:200::1')?.asn, 2500);
  assert.equal(get('2001:200:1b9:ffff:ffff:ffff:ffff:ffff')?.asn, 2500);
  assert.equal(get('2001:200:1ba::'), null);
  assert.equal(get('2001::5')?.asn, 6939);
  assert.equal(get('2000::1'), null);
});

test('parseAsnCsv: other shapes are left to the generic parser (null); bad lines after a good start are skipped', () => {
  // country and city files, CIDR rows, 128-bit decimal IPv6, a header alone
  assert.equal(parseAsnCsv(bytes('1.0.0.0,1.0.0.255,AU\n1.0.1.0,1.0.3.255,CN\n')), null);
  assert.equal(parseAsnCsv(bytes('9.9.9.0/24,19281,Quad9\n')), null);
  assert.equal(
    parseAsnCsv(
      bytes('42540488161975842760550356425300246528,42540488241204005274814694018844196863,6939,HE\n'),
    ),
    null,
  );
  assert.equal(parseAsnCsv(bytes('start,end,asn,org\n')), null);
  assert.equal(parseAsnCsv(bytes('')), null);
  const r = parseAsnCsv(
    bytes(
      [
        'ip_range_start,ip_range_end,autonomous_system_number,autonomous_system_organization',
        '1.0.0.0,1.0.0.255,13335,x',
        '1.0.1.9,1.0.1.0,1,end before start',
        '1.2.3.4.5,1.2.3.6,1,five parts',
        '2001:db8:::1,2001:db8::2,1,two gaps',
        '2001:db8::12345,2001:db8::2,1,long group',
        '256.0.0.0,256.0.0.1,1,big octet',
        '7.0.0.0,7.0.0.255,99999999999,asn too big',
        '8.0.0.0,8.0.0.255,8,ok',
      ].join('\n'),
    ),
  );
  assert.ok(r);
  assert.equal(r.rows, 2);
  assert.equal(r.skipped, 7);
  assert.equal(r.table.get(parseIp('8.0.0.1')!)?.asn, 8);
});

test('parseAsnCsv answers what the generic parser answers (same rows, same look-ups)', () => {
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const a = i * 65536;
    lines.push(`${a},${a + 255 + (i % 7) * 256},${64512 + (i % 50)},"Org ${i % 50}, Ltd"`);
    lines.push(`2a0${i % 10}:${i.toString(16)}::,2a0${i % 10}:${i.toString(16)}:ff::,${i},N${i}`);
  }
  const text = lines.join('\n');
  const fast = parseAsnCsv(bytes(text));
  const slow = parseGeoCsv(text);
  assert.ok(fast);
  assert.equal(fast.rows, slow.rows);
  const hits = { 4: 0, 6: 0 };
  for (let i = 0; i < 5000; i++) {
    for (const ip of [
      `${(i * 13) % 8}.${(i * 7) % 256}.${i % 4}.1`,
      `2a0${i % 10}:${(i % 2000).toString(16)}:${(i % 300).toString(16)}::${i.toString(16)}`,
    ]) {
      const p = parseIp(ip)!;
      const got = fast.table.get(p);
      assert.deepEqual(got, slow.table.get(p), ip);
      if (got) hits[p.v]++;
    }
  }
  // both families found and missed
  assert.ok(hits[4] > 100 && hits[4] < 5000 && hits[6] > 100 && hits[6] < 5000, JSON.stringify(hits));
});

test('AsnTable binary form: the same look-ups after toBinary/fromBinary, header kept, damaged bytes refused', () => {
  const csv = [
    '16777216,16777471,13335,"Cloudflare, Inc."',
    '1.0.4.0,1.0.7.255,38803,Gtelecom Pty Ltd',
    '255.255.255.0,255.255.255.255,1,Last range',
    '2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project',
    '2001::,2001::ffff:ffff:ffff:ffff:ffff:ffff,6939,Hurricane Électrique', // non-ASCII name
    '5.0.0.0,5.0.0.255,4200000001,', // no name
  ].join('\n');
  const r = parseAsnCsv(bytes(csv))!;
  const bin = r.table.toBinary({ version: '1.2.3', size: 42 });
  const back = AsnTable.fromBinary(bin);
  assert.ok(back);
  assert.equal(back.header['version'], '1.2.3');
  assert.equal(back.header['size'], 42);
  assert.equal(back.table.size, r.table.size);
  for (const ip of [
    '0.0.0.0',
    '1.0.0.0',
    '1.0.0.128',
    '1.0.0.255',
    '1.0.1.0',
    '1.0.4.0',
    '1.0.7.255',
    '5.0.0.17',
    '255.255.255.255',
    '2001::1',
    '2001:200::5',
    '2001:200:1ba::',
    '::1',
  ]) {
    const p = parseIp(ip)!;
    assert.deepEqual(back.table.get(p), r.table.get(p), ip);
  }
  assert.equal(back.table.get(parseIp('2001::1')!)?.as_org, 'Hurricane Électrique');
  assert.equal(back.table.get(parseIp('5.0.0.1')!)?.as_org, null);
  assert.equal(AsnTable.fromBinary(bin.subarray(0, bin.length - 40)), null); // cut short
  assert.equal(AsnTable.fromBinary(bytes('{"format":"x"}')), null);
  assert.equal(AsnTable.fromBinary(new Uint8Array(3)), null);
});
