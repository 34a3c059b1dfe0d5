import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIPv4 } from 'node:net';
import { communityId, communityIdWords } from './community-id.js';
import { ipv4Text } from '../shared/addr.js';
import { macNumberToString } from './addr-words.js';

// Vectors from the Community ID specification's reference test-suite (seed 0).
function ip(s: string): Uint8Array {
  if (isIPv4(s)) return new Uint8Array(s.split('.').map(Number));
  const parts = s.split('::');
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts[1] ? parts[1].split(':') : [];
  const words = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    const v = parseInt(w, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 255;
  });
  return out;
}

test('community id: TCP, UDP, SCTP both directions', () => {
  assert.equal(
    communityId(6, ip('128.232.110.120'), ip('66.35.250.204'), 34855, 80),
    '1:LQU9qZlK+B5F3KDmev6m5PMibrg=',
  );
  assert.equal(
    communityId(6, ip('66.35.250.204'), ip('128.232.110.120'), 80, 34855),
    '1:LQU9qZlK+B5F3KDmev6m5PMibrg=',
  );
  assert.equal(communityId(6, ip('10.0.0.1'), ip('10.0.0.2'), 10, 11569), '1:SXBGMX1lBOwhhoDrZynfROxnhnM=');
  assert.equal(
    communityId(17, ip('8.8.8.8'), ip('192.168.1.52'), 53, 54585),
    '1:d/FP5EW3wiY1vCndhwleRRKHowQ=',
  );
  assert.equal(
    communityId(132, ip('192.168.170.56'), ip('192.168.170.8'), 80, 7),
    '1:jQgCxbku+pNGw8WPbEc/TS/uTpQ=',
  );
});

test('community id: ICMP pairs types, one-way types keep their code', () => {
  assert.equal(communityId(1, ip('192.168.0.89'), ip('192.168.0.1'), 8, 0), '1:X0snYXpgwiv9TZtqg64sgzUn6Dk=');
  assert.equal(communityId(1, ip('192.168.0.1'), ip('192.168.0.89'), 0, 8), '1:X0snYXpgwiv9TZtqg64sgzUn6Dk=');
  assert.equal(
    communityId(1, ip('192.168.0.1'), ip('192.168.0.89'), 0, 20),
    '1:X0snYXpgwiv9TZtqg64sgzUn6Dk=',
  );
  assert.equal(
    communityId(1, ip('192.168.0.89'), ip('192.168.0.1'), 20, 1),
    '1:tz/fHIDUHs19NkixVVoOZywde+I=',
  );
});

test('community id: ICMPv6 and plain IP', () => {
  const a = ip('fe80::200:86ff:fe05:80da');
  const b = ip('fe80::260:97ff:fe07:69ea');
  assert.equal(communityId(58, a, b, 135, 0), '1:dGHyGvjMfljg6Bppwm3bg0LO8TY=');
  assert.equal(communityId(58, b, a, 136, 0), '1:dGHyGvjMfljg6Bppwm3bg0LO8TY=');
  assert.equal(
    communityId(58, ip('3ffe:507:0:1:200:86ff:fe05:80da'), ip('3ffe:507:0:1:260:97ff:fe07:69ea'), 3, 0),
    '1:/OGBt9BN1ofenrmSPWYicpij2Vc=',
  );
  assert.equal(
    communityId(46, ip('10.1.24.4'), ip('10.1.12.1'), null, null),
    '1:/nQI4Rh/TtY3mf0R2gJFBkVlgS4=',
  );
});

test('community id from address words equals the byte form (IPv4, IPv6, ICMP, no ports)', () => {
  const w4 = (s: string) => {
    const b = ip(s);
    return Uint32Array.of(0, 0, 0, ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0);
  };
  const w6 = (s: string) => {
    const b = ip(s);
    const w = new Uint32Array(4);
    for (let i = 0; i < 4; i++)
      w[i] = ((b[4 * i]! << 24) | (b[4 * i + 1]! << 16) | (b[4 * i + 2]! << 8) | b[4 * i + 3]!) >>> 0;
    return w;
  };
  const cases: [number, string, string, number | null, number | null][] = [
    [6, '128.232.110.120', '66.35.250.204', 34855, 80],
    [17, '192.168.1.52', '8.8.8.8', 54585, 53],
    [1, '192.168.0.89', '192.168.0.1', 8, 0],
    [47, '10.0.0.1', '10.0.0.2', null, null],
  ];
  for (const [proto, s, d, sp, dp] of cases) {
    assert.equal(communityIdWords(proto, 4, w4(s), w4(d), sp, dp), communityId(proto, ip(s), ip(d), sp, dp));
  }
  const s6 = 'fe80::200:86ff:fe05:80da';
  const d6 = 'fe80::260:97ff:fe07:69ea';
  assert.equal(communityIdWords(58, 6, w6(s6), w6(d6), 135, 0), communityId(58, ip(s6), ip(d6), 135, 0));
  assert.equal(communityIdWords(17, 6, w6(s6), w6(d6), 5353, 53), communityId(17, ip(s6), ip(d6), 5353, 53));
});

test('address text helpers: MAC and IPv4 text, cached or not', () => {
  for (let i = 0; i < 3; i++) {
    assert.equal(macNumberToString(0x001122aabbcc), '00:11:22:aa:bb:cc');
    assert.equal(macNumberToString(0xffffffffffff), 'ff:ff:ff:ff:ff:ff');
    assert.equal(macNumberToString(0), '00:00:00:00:00:00');
    assert.equal(ipv4Text(0xc0a80001), '192.168.0.1');
    assert.equal(ipv4Text(0), '0.0.0.0');
    assert.equal(ipv4Text(0xffffffff), '255.255.255.255');
  }
});
