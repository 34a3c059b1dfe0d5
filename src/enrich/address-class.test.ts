import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAddress } from './address-class.js';
import { cidrContains, parseCidr, parseIp, parseIpv6 } from './ip.js';

test('IPv6 text forms parse to 16 bytes', () => {
  assert.deepEqual([...parseIpv6('::1')!], [...new Array(15).fill(0), 1]);
  assert.deepEqual([...parseIpv6('2001:db8::ff00:42:8329')!].slice(0, 4), [0x20, 0x01, 0x0d, 0xb8]);
  assert.deepEqual([...parseIpv6('::ffff:192.0.2.1')!].slice(12), [192, 0, 2, 1]);
  assert.equal(parseIpv6('1::2::3'), null);
  assert.equal(parseIpv6('1:2:3:4:5:6:7:8:9'), null);
  assert.equal(parseIpv6('12345::'), null);
  assert.deepEqual(parseIp('::ffff:10.1.2.3'), { v: 4, n: 0x0a010203 });
});

test('CIDR containment at the edges', () => {
  const c = parseCidr('10.1.2.0/23')!;
  assert.equal(cidrContains(c, parseIp('10.1.2.0')!), true);
  assert.equal(cidrContains(c, parseIp('10.1.3.255')!), true);
  assert.equal(cidrContains(c, parseIp('10.1.4.0')!), false);
  assert.equal(cidrContains(c, parseIp('10.1.1.255')!), false);
  const v6 = parseCidr('2001:db8:8000::/33')!;
  assert.equal(cidrContains(v6, parseIp('2001:db8:8000::1')!), true);
  assert.equal(cidrContains(v6, parseIp('2001:db8:7fff::1')!), false);
  assert.equal(parseCidr('10.0.0.0/33'), null);
  assert.equal(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('8.8.8.8')!), true);
});

test('address classes', () => {
  const cases: [string, string][] = [
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.0', 'public'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.1', 'link_local'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['0.0.0.0', 'unspecified'],
    ['192.0.2.7', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.7', 'documentation'],
    ['8.8.8.8', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link_local'],
    ['ff02::fb', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001:4860:4860::8888', 'public'],
    ['::ffff:192.168.0.1', 'private'],
    ['nonsense', 'invalid'],
  ];
  for (const [ip, cls] of cases) assert.equal(classifyAddress(ip).class, cls, ip);
  assert.equal(classifyAddress('10.1.2.3').is_private, true);
  assert.equal(classifyAddress('10.1.2.3').geolocatable, false);
  assert.equal(classifyAddress('8.8.8.8').geolocatable, true);
  assert.equal(classifyAddress('224.0.0.251').is_private, false);
});
