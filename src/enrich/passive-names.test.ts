import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPassiveNames, ptrNameToIp } from './passive-names.js';
import type { DnsInput, HttpInput } from './name-inputs.js';
import { ReverseDns } from './reverse-dns.js';

const base = {
  flow_id: 1,
  ts: '2024-01-01T00:00:00.000000Z',
  client_ip: '10.0.0.2',
  server_ip: '10.0.0.1',
  rcode: 'NOERROR',
};
const dns = (o: Partial<DnsInput>): DnsInput => ({
  ...base,
  proto: 'dns',
  query_name: null,
  query_type: 'A',
  answers: [],
  ...o,
});

test('PTR names to addresses', () => {
  assert.equal(ptrNameToIp('4.3.2.1.in-addr.arpa'), '1.2.3.4');
  assert.equal(ptrNameToIp('4.3.2.1.in-addr.arpa.'), '1.2.3.4');
  assert.equal(
    ptrNameToIp('b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa'),
    '4321:0:1:2:3:4:567:89ab',
  );
  assert.equal(ptrNameToIp('999.3.2.1.in-addr.arpa'), null);
  assert.equal(ptrNameToIp('example.com'), null);
});

test('names from DNS, mDNS, DHCP, TLS, HTTP, pcapng; strongest source first', () => {
  const names = collectPassiveNames({
    dns: [
      dns({
        query_name: 'www.example.com',
        // owner TYPE value, as DnsRow.answers: the addresses' owner is the CNAME target
        answers: [
          'www.example.com CNAME edge.example.net',
          'edge.example.net A 93.184.216.34',
          'edge.example.net A 93.184.216.35',
        ],
      }),
      dns({
        query_name: '34.216.184.93.in-addr.arpa',
        query_type: 'PTR',
        answers: ['34.216.184.93.in-addr.arpa PTR edge-1.example.net.'],
      }),
      // an mDNS answer names its owner, whatever was asked
      dns({ proto: 'mdns', query_name: '_ipp._tcp.local', answers: ['printer.local A 192.168.1.50'] }),
      dns({ query_name: 'v6.example.com', query_type: 'AAAA', answers: ['v6.example.com AAAA 2001:db8::5'] }),
      // the old short form, a bad address, an unrelated owner (not in the asked name's chain), garbage
      dns({
        query_name: 'bad.example',
        answers: ['A 198.51.100.1', 'bad.example A not-an-ip', 'other.example A 198.51.100.2', 'garbage'],
      }),
    ],
    dhcp: [
      {
        ...base,
        msg_type: 'REQUEST',
        client_mac: '00:11:22:33:44:55',
        requested_ip: '192.168.1.20',
        assigned_ip: null,
        host_name: 'Laptop-7',
        vendor_class: 'MSFT 5.0',
        param_request_list: null,
        server_id: null,
      },
    ],
    tls: [
      {
        ...base,
        server_ip: '93.184.216.34',
        server_port: 443,
        client_version: 'TLS 1.3',
        version: 'TLS 1.3',
        server_name: 'WWW.Example.com',
        cert_subject: null,
        cert_issuer: null,
        cert_san: [],
      },
    ],
    http: [
      {
        ...base,
        server_ip: '203.0.113.8',
        server_port: 8080,
        method: 'GET',
        host: 'intranet.example:8080',
        uri: '/',
        user_agent: null,
        status: 200,
        request_content_type: null,
        response_content_type: null,
        auth_user: null,
      },
      {
        ...base,
        server_ip: '203.0.113.9',
        server_port: 80,
        method: 'GET',
        host: '203.0.113.9',
        uri: '/',
        user_agent: null,
        status: 200,
        request_content_type: null,
        response_content_type: null,
        auth_user: null,
      },
    ],
    pcapng: [{ ip: '10.9.9.9', name: 'nrb-host' }],
  });
  assert.deepEqual(names.names('93.184.216.34'), [
    { name: 'edge-1.example.net', source: 'dns' },
    { name: 'edge.example.net', source: 'dns' },
    { name: 'www.example.com', source: 'dns' },
    { name: 'www.example.com', source: 'tls' },
  ]);
  assert.equal(names.best('93.184.216.35'), 'edge.example.net');
  assert.deepEqual(names.names('198.51.100.1'), []);
  assert.deepEqual(names.names('198.51.100.2'), [{ name: 'other.example', source: 'dns' }]);
  assert.equal(names.resolved('93.184.216.34'), true);
  assert.deepEqual(names.names('192.168.1.50'), [{ name: 'printer.local', source: 'mdns' }]);
  assert.deepEqual(names.names('2001:db8::5'), [{ name: 'v6.example.com', source: 'dns' }]);
  assert.deepEqual(names.names('192.168.1.20'), [{ name: 'laptop-7', source: 'dhcp' }]);
  assert.deepEqual(names.names('203.0.113.8'), [{ name: 'intranet.example', source: 'http' }]);
  assert.equal(names.resolved('203.0.113.8'), false);
  assert.deepEqual(names.names('203.0.113.9'), [], 'an address in Host is not a name');
  assert.deepEqual(names.names('10.9.9.9'), [{ name: 'nrb-host', source: 'pcapng' }]);
  assert.deepEqual(names.names('1.1.1.1'), []);
});

test('reverse DNS: cached, bounded concurrency, timeouts and errors answered, never the network', async () => {
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const fake = async (ip: string): Promise<string[]> => {
    calls++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
    if (ip === '192.0.2.66') throw new Error('ENOTFOUND');
    if (ip === '192.0.2.77') return new Promise<string[]>(() => {}); // never answers
    return [`Host-${ip.replaceAll('.', '-')}.Example.`];
  };
  const r = new ReverseDns(fake, { concurrency: 2, timeoutMs: 20 });
  const ips = ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.66', '192.0.2.77', '192.0.2.1'];
  const res = await r.lookupAll(ips);
  assert.deepEqual(
    res.map((x) => x.status),
    ['ok', 'ok', 'ok', 'error', 'timeout', 'ok'],
  );
  assert.deepEqual(res[0]!.names, ['host-192-0-2-1.example.']);
  assert.equal(calls, 5, 'the repeated address came from the cache');
  assert.ok(maxInFlight <= 2, `max in flight ${maxInFlight}`);
  await r.lookup('192.0.2.2');
  assert.equal(calls, 5);
});

test('DNS CNAME chains: followed in any order, loops end, a long hostile chain stays linear', () => {
  const chain = Array.from({ length: 255 }, (_, i) => `c${i}.example CNAME c${i + 1}.example`).reverse();
  const names = collectPassiveNames({
    dns: [
      dns({ query_name: 'c0.example', answers: [...chain, 'c255.example A 192.0.2.9'] }),
      dns({
        query_name: 'loop.example',
        answers: [
          'loop.example CNAME back.example',
          'back.example CNAME loop.example',
          'back.example A 192.0.2.10',
        ],
      }),
    ],
  });
  assert.deepEqual(
    names.names('192.0.2.9').map((n) => n.name),
    ['c0.example', 'c255.example'],
  );
  assert.deepEqual(
    names.names('192.0.2.10').map((n) => n.name),
    ['back.example', 'loop.example'],
  );
});

test('repeated DNS rows: the same names as read once; rows differing only in the name asked or the protocol count', () => {
  const answers = ['a.example CNAME b.example', 'b.example A 192.0.2.10'];
  const once = collectPassiveNames({
    dns: [
      dns({ query_name: 'a.example', answers }),
      dns({ proto: 'mdns', answers: ['printer.local A 192.0.2.20'] }),
    ],
  });
  const many = collectPassiveNames({
    dns: Array.from({ length: 50 }, (_, i) =>
      i % 2
        ? dns({ query_name: 'a.example', answers: [...answers] })
        : dns({ proto: 'mdns', answers: ['printer.local A 192.0.2.20'] }),
    ),
  });
  assert.deepEqual(many.addresses(), once.addresses());
  for (const ip of once.addresses()) assert.deepEqual(many.names(ip), once.names(ip));
  // the same answers without the name asked, then with it: the second row still adds the asked name
  const asked = collectPassiveNames({ dns: [dns({ answers }), dns({ query_name: 'a.example', answers })] });
  assert.deepEqual(
    asked.names('192.0.2.10').map((n) => n.name),
    ['a.example', 'b.example'],
  );
  // the same answer over DNS and mDNS: one name, two sources
  const both = collectPassiveNames({
    dns: [
      dns({ answers: ['b.example A 192.0.2.10'] }),
      dns({ proto: 'mdns', answers: ['b.example A 192.0.2.10'] }),
    ],
  });
  assert.deepEqual(
    both.names('192.0.2.10').map((n) => n.source),
    ['dns', 'mdns'],
  );
  // names kept as they are and names cleaned: upper case, a trailing dot, a Host port, an address
  const http = (host: string): HttpInput => ({
    flow_id: 2,
    ts: base.ts,
    client_ip: '10.0.0.2',
    server_ip: '192.0.2.30',
    server_port: 80,
    method: 'GET',
    host,
    uri: '/',
    user_agent: null,
    status: 200,
    request_content_type: null,
    response_content_type: null,
    auth_user: null,
  });
  const cleaned = collectPassiveNames({
    http: ['WWW.Example.ORG.', 'api.example.org:8080', '192.0.2.30', 'plain-name.example.org'].map(http),
  });
  assert.deepEqual(
    cleaned.names('192.0.2.30').map((n) => n.name),
    ['api.example.org', 'plain-name.example.org', 'www.example.org'],
  );
});
