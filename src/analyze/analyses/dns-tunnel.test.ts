import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../config.js';
import { ts } from '../test-support.js';
import { entropy, registeredDomain, unwordlike } from '../text-stats.js';
import type { DnsInput } from '../../enrich/name-inputs.js';
import { detectDnsTunnel, looksGenerated } from './dns-tunnel.js';

const cfg = DEFAULT_CONFIG;
const q = (name: string, o: Partial<DnsInput> = {}, i = 0): DnsInput => ({
  flow_id: 100 + i,
  ts: ts(i),
  client_ip: '10.0.0.7',
  server_ip: '10.0.0.1',
  proto: 'dns',
  query_name: name,
  query_type: 'A',
  rcode: 'NOERROR',
  answers: [],
  ...o,
});
// deterministic pseudo-random hex labels (what iodine/dnscat-style tools put in names)
const hexLabel = (i: number, len: number) => {
  let s = '';
  let x = (i + 1) * 2654435761;
  while (s.length < len) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += (x >>> 8).toString(16);
  }
  return s.slice(0, len);
};

test('text statistics', () => {
  assert.equal(entropy('aaaa'), 0);
  assert.equal(entropy('abcd'), 2);
  assert.equal(registeredDomain('a.b.example.com'), 'example.com');
  assert.equal(registeredDomain('www.bbc.co.uk'), 'bbc.co.uk');
  assert.equal(registeredDomain('example.com.'), 'example.com');
  assert.equal(unwordlike('stackoverflow'), false);
  assert.equal(unwordlike('xkqjwvbnrtzp'), true);
  assert.equal(looksGenerated('stackoverflow', cfg.dga), false);
  assert.equal(looksGenerated('googleusercontent', cfg.dga), false);
  assert.equal(looksGenerated('qxv7kz2mfj9wbtl', cfg.dga), true);
});

test('tunnel threshold: 49 unique long subdomains no, 50 yes', () => {
  const rows = (n: number) =>
    Array.from({ length: n }, (_, i) => q(`${hexLabel(i, 40)}.t.tunnel.example`, {}, i));
  assert.equal(
    detectDnsTunnel({ flows: [], dns: rows(49) }, cfg).filter((a) => a.kind === 'dns_tunnel').length,
    0,
  );
  const a = detectDnsTunnel({ flows: [], dns: rows(50) }, cfg).filter((x) => x.kind === 'dns_tunnel');
  assert.equal(a.length, 1);
  assert.equal(a[0]!.evidence['domain'], 'tunnel.example');
  assert.equal(a[0]!.evidence['unique_subdomains'], 50);
  assert.ok((a[0]!.evidence['entropy_bits_per_char'] as number) > 3.5);
});

test('short subdomains (a CDN, a crawler) are not a tunnel even when many', () => {
  const rows = Array.from({ length: 200 }, (_, i) => q(`img${i}.cdn.example`, {}, i));
  assert.equal(detectDnsTunnel({ flows: [], dns: rows }, cfg).length, 0);
});

test('TXT/NULL heavy use: 49 no, 50 yes; reverse lookups and mDNS are ignored', () => {
  const txt = (n: number) =>
    Array.from({ length: n }, (_, i) => q(`c${i % 3}.txt.example`, { query_type: 'TXT' }, i));
  assert.equal(detectDnsTunnel({ flows: [], dns: txt(49) }, cfg).length, 0);
  const r = detectDnsTunnel({ flows: [], dns: txt(50) }, cfg);
  assert.equal(r.length, 1);
  assert.equal(r[0]!.evidence['txt_null_any_queries'], 50);
  const ptr = Array.from({ length: 300 }, (_, i) =>
    q(`${i % 250}.${(i * 7) % 250}.168.192.in-addr.arpa`, { query_type: 'PTR' }, i),
  );
  const mdns = Array.from({ length: 300 }, (_, i) =>
    q(`${hexLabel(i, 40)}.local.example`, { proto: 'mdns' }, i),
  );
  assert.equal(detectDnsTunnel({ flows: [], dns: [...ptr, ...mdns] }, cfg).length, 0);
});

test('DGA: 4 generated names no, 5 yes; NXDOMAIN raises the score', () => {
  const labels = [
    'qxv7kz2mfj9wbtl',
    'zrtkw8pq3vbnmx',
    'hj4lmnqwz7xcvtr',
    'plkq9zxbvwt5rmn',
    'wqz8xnvbmtkl3pr',
    'tnb6wqzxkrlmvpc',
  ];
  const rows = (n: number, rcode = 'NXDOMAIN') =>
    labels.slice(0, n).map((l, i) => q(`${l}.com`, { rcode }, i));
  assert.equal(detectDnsTunnel({ flows: [], dns: rows(4) }, cfg).length, 0);
  const a = detectDnsTunnel({ flows: [], dns: rows(5) }, cfg);
  assert.equal(a.length, 1);
  assert.equal(a[0]!.kind, 'dga');
  assert.equal(a[0]!.score, 1);
  assert.equal(a[0]!.evidence['nxdomain'], 5);
  const resolved = detectDnsTunnel({ flows: [], dns: rows(5, 'NOERROR') }, cfg);
  assert.equal(resolved[0]!.score, 0.5);
  const normal = [
    'www.google.com',
    'fonts.googleapis.com',
    'www.wikipedia.org',
    'stackoverflow.com',
    'cdn.jsdelivr.net',
    'clients4.google.com',
    'login.microsoftonline.com',
    'safebrowsing.googleapis.com',
  ];
  assert.equal(detectDnsTunnel({ flows: [], dns: normal.map((n, i) => q(n, {}, i)) }, cfg).length, 0);
});
