import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertRow } from '../shared/alert-rows.js';
import type { HostRow } from '../shared/rows.js';
import { flow } from '../analyze/test-support.js';
import type { DnsInput } from '../enrich/name-inputs.js';
import { bundledGeoSources } from '../enrich/geoip-files.js';
import { GeoLookup } from '../enrich/geoip.js';
import { bundledMacVendors } from '../enrich/mac-vendor-data.js';
import { bundledTorRelays } from '../enrich/tor-relays-data.js';
import { parsePlainTorList } from '../enrich/tor-relays.js';
import { analyzeFiles } from './analyze-files.js';
import { detectAlerts, enrichHosts, passiveNamesOf } from './enrich-run.js';
import { fromStoredAlert, toStoredAlert } from './stored-alert.js';

const FIXTURES = new URL('../../test/fixtures/', import.meta.url).pathname;
const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;

/** Country look-ups only: the bundled ASN tables take seconds to parse and no assertion here needs them. */
let countryGeo: GeoLookup | null = null;
function countryOnly(): GeoLookup {
  countryGeo ??= new GeoLookup(bundledGeoSources().sources.filter((s) => !s.info.provides.includes('asn')));
  return countryGeo;
}

async function run(path: string) {
  return analyzeFiles([path]);
}

function host(ip: string, o: Partial<HostRow> = {}): HostRow {
  return {
    ip,
    kind: ip.includes(':') && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(ip) ? 'ipv6' : 'ipv4',
    macs: [],
    names: [],
    packets_sent: 1,
    bytes_sent: 60,
    packets_recv: 1,
    bytes_recv: 60,
    peers: 1,
    server_ports: [],
    first_ts: '2024-01-01T00:00:00.000000Z',
    last_ts: '2024-01-01T00:00:01.000000Z',
    ...o,
  };
}

test('DNS rows are read as the app layer writes them ("owner TYPE value"): CNAME chain, PTR owner, mDNS owner', () => {
  const row = (o: Partial<DnsInput>): DnsInput => ({
    flow_id: 1,
    ts: '2024-01-01T00:00:00.000000Z',
    client_ip: '10.0.0.2',
    server_ip: '10.0.0.1',
    proto: 'dns',
    query_name: null,
    query_type: 'A',
    rcode: 'NOERROR',
    answers: [],
    ...o,
  });
  const names = passiveNamesOf({
    dns: [
      row({
        query_name: 'fonts.gstatic.com',
        answers: [
          'fonts.gstatic.com CNAME gstaticadssl.l.google.com',
          'gstaticadssl.l.google.com A 172.217.12.131',
        ],
      }),
      // an mDNS browse answers other names than the one asked: only owners count
      row({
        proto: 'mdns',
        query_name: '_ipp._tcp.local',
        answers: ['johanna-qemu.local A 10.0.2.7', '2.0.0.10.in-addr.arpa PTR yaels-iphone.local'],
      }),
    ],
  });
  assert.deepEqual(names.names('172.217.12.131'), [
    { name: 'fonts.gstatic.com', source: 'dns' },
    { name: 'gstaticadssl.l.google.com', source: 'dns' },
  ]);
  assert.deepEqual(names.names('10.0.2.7'), [{ name: 'johanna-qemu.local', source: 'mdns' }]);
  assert.deepEqual(names.names('10.0.0.2'), [{ name: 'yaels-iphone.local', source: 'mdns' }]);
  assert.equal(names.resolved('172.217.12.131'), true);
});

test('fixture: MAC vendors for LAN hosts (tcp-retransmissions-http: Cisco and Advantech OUIs)', async () => {
  const r = await run(join(FIXTURES, 'tcp-retransmissions-http.pcap'));
  const hosts = enrichHosts(r.hosts, { ...r, vendors: bundledMacVendors(), geo: null });
  const by = new Map(hosts.map((h) => [h.ip, h]));
  // 00:19:56 and 00:0b:ab are registered MA-L blocks (IEEE OUI registry)
  assert.equal(by.get('172.17.96.77')?.vendor, 'Cisco Systems, Inc');
  assert.equal(by.get('172.17.96.143')?.vendor, 'Advantech Technology (CHINA) Co., Ltd.');
  for (const h of hosts) {
    assert.equal(h.is_private, true);
    assert.equal(h.address_class, 'private');
    assert.equal(h.country, null, 'private addresses are never geolocated');
  }
});

test('fixture: public addresses get a country, and no vendor (their MAC is the router`s)', async () => {
  const r = await run(join(FIXTURES, 'vlan-8021q-http-retrans.pcap'));
  const hosts = enrichHosts(r.hosts, { ...r, vendors: bundledMacVendors(), geo: countryOnly() });
  const bro = hosts.find((h) => h.ip === '192.150.187.43');
  assert.ok(bro);
  assert.equal(bro.country, 'US'); // bro.org at ICSI Berkeley
  assert.equal(bro.address_class, 'public');
  assert.equal(bro.is_private, false);
  assert.equal(bro.vendor, null);
  assert.deepEqual(bro.names, [{ name: 'bro.org', source: 'http' }]);
  assert.ok(bro.tags?.includes('web-server'));
});

test('fixture: the bundled 2024 Tor snapshot matches a 2017 capture only weakly (low alert, "stale-" tag); a user list is taken as it is', async () => {
  const r = await run(join(FIXTURES, 'tls12-sni-sct.pcap'));
  const tor = bundledTorRelays();
  assert.ok(tor, 'data/tor is part of the repository');
  const alerts = detectAlerts(r, { tor });
  assert.deepEqual(
    alerts.map((a) => [a.kind, a.severity, a.hosts, a.evidence['stale_list']]),
    [['tor_relay', 'low', ['192.168.178.73', '97.107.139.108'], true]],
  );
  const hosts = enrichHosts(r.hosts, { ...r, tor, geo: null, alerts });
  const relay = hosts.find((h) => h.ip === '97.107.139.108');
  assert.ok(relay?.tags?.includes('stale-tor-relay'), JSON.stringify(relay?.tags));
  const mine = parsePlainTorList('97.107.139.108\n', 'relays.txt', null);
  mine.info.authoritative = true;
  assert.equal(detectAlerts(r, { tor: mine })[0]?.severity, 'medium');
  assert.ok(
    enrichHosts(r.hosts, { ...r, tor: mine, geo: null })
      .find((h) => h.ip === '97.107.139.108')
      ?.tags?.includes('tor-relay'),
  );
  assert.deepEqual(relay?.names, [{ name: 'ritter.vg', source: 'tls' }]);
  assert.equal(hosts.find((h) => h.ip === '192.168.178.73')?.tags?.includes('tor-relay'), false);
});

test('fixture: an SMTP session raises insecure_protocol for its client and server', async () => {
  const r = await run(join(FIXTURES, 'broken-corrupt-record-midfile-smtp.pcap'));
  const alerts = detectAlerts(r);
  assert.deepEqual(
    alerts.map((a) => [a.kind, a.severity, a.hosts, a.evidence['protocol'], a.evidence['port']]),
    [['insecure_protocol', 'low', ['10.7.29.101', '178.63.41.150'], 'SMTP', 25]],
  );
  // stored and read back, the alert is the same
  const back = fromStoredAlert(toStoredAlert(alerts[0]!), 1);
  assert.deepEqual(back, alerts[0]);
  assert.equal(toStoredAlert(alerts[0]!).server_port, 25);
});

test('hosts: pcapng and reverse-DNS names, gateway and alert tags, MAC-only hosts', () => {
  const flows = [
    flow({
      src_ip: '192.168.1.10',
      dst_ip: '93.184.216.34',
      src_mac: '00:11:22:33:44:55',
      dst_mac: '00:00:0c:aa:bb:cc',
    }),
    flow({
      src_ip: '192.168.1.10',
      dst_ip: '192.168.1.1',
      src_mac: '00:11:22:33:44:55',
      dst_mac: '00:00:0c:aa:bb:cc',
      dst_port: 53,
      proto: 'udp',
    }),
  ];
  const scan: AlertRow = {
    id: 1,
    key: 'port_scan|192.168.1.10|10.0.0.9',
    kind: 'port_scan',
    severity: 'medium',
    score: 1,
    heuristic: true,
    first_ts: flows[0]!.first_ts,
    last_ts: flows[0]!.last_ts,
    hosts: ['192.168.1.10', '10.0.0.9'],
    flow_ids: [flows[0]!.id],
    flow_count: 1,
    explanation: 'x',
    evidence: {},
    rule: 'port_scan',
  };
  const hosts = enrichHosts(
    [
      host('192.168.1.10', { macs: ['00:11:22:33:44:55'], names: [{ name: 'pc', source: 'dhcp' }] }),
      host('192.168.1.1', { macs: ['00:00:0c:aa:bb:cc'] }),
      host('93.184.216.34', { macs: ['00:00:0c:aa:bb:cc'] }),
      { ...host('00:00:0c:aa:bb:cc'), kind: 'mac' },
    ],
    {
      flows,
      pcapngNames: [{ address: '192.168.1.10', name: 'workstation.lan' }],
      reverseNames: new Map([['93.184.216.34', ['example.org']]]),
      vendors: { vendor: (mac) => (mac.startsWith('00:00:0c') ? 'Cisco' : null) },
      alerts: [scan],
    },
  );
  const [pc, gw, pub, mac] = hosts;
  assert.deepEqual(pc?.names, [
    { name: 'pc', source: 'dhcp' },
    { name: 'workstation.lan', source: 'pcapng' },
  ]);
  assert.deepEqual(pc?.tags, ['scanner']);
  assert.equal(gw?.vendor, 'Cisco');
  assert.deepEqual(gw?.tags, ['dns-server', 'gateway'], 'answers DNS; its MAC carries the off-LAN traffic');
  assert.deepEqual(pub?.names, [{ name: 'example.org', source: 'rdns' }]);
  assert.equal(pub?.vendor, null);
  assert.equal(pub?.country, null, 'no GeoIP given');
  assert.equal(mac?.vendor, 'Cisco');
  assert.equal(mac?.address_class, null);
});

test('hosts: the GeoIP getter is called only when a public address needs it', () => {
  let calls = 0;
  const geo = () => {
    calls++;
    return null;
  };
  enrichHosts([host('10.0.0.1'), host('fe80::1')], { flows: [], geo });
  assert.equal(calls, 0);
  enrichHosts([host('10.0.0.1'), host('8.8.8.8'), host('1.1.1.1')], { flows: [], geo });
  assert.equal(calls, 1);
});

// The team corpus (present in CI, absent in a fresh clone): clear-text logins with the users tshark shows.
const LOGINS: [string, string, string | null, string][] = [
  ['ftp-login-ipv4.pcap', 'ftp', 'anonymous', '141.142.220.235'],
  ['telnet-login-cooked.pcap', 'telnet', 'fake', '192.168.0.2'],
  ['pop3-auth-plain.pcap', 'pop3', 'digitalinvestigator@networksims.com', '192.168.0.4'],
  ['imap-login.pcap', 'imap', 'neulingern', '131.151.32.21'],
  ['smtp-auth-login.pcap', 'smtp', 'gurpartap@patriots.in', '10.10.1.4'],
  ['snmpwalk.pcap', 'snmp', null, '138.68.14.240'],
];

for (const [file, proto, user, client] of LOGINS) {
  const path = join(CORPUS, file);
  test(
    `corpus ${file}: clear-text credentials and an insecure-protocol alert`,
    { skip: !existsSync(path) },
    async () => {
      const alerts = detectAlerts(await run(path));
      const creds = alerts.filter((a) => a.kind === 'cleartext_credentials');
      assert.equal(creds.length, 1);
      // an anonymous FTP login gives away no secret (RFC 1635)
      assert.equal(creds[0]!.severity, user === 'anonymous' ? 'low' : 'high');
      assert.equal(creds[0]!.hosts[0], client);
      assert.equal(creds[0]!.evidence['proto'], proto);
      assert.equal(creds[0]!.evidence['username'], user);
      assert.ok(alerts.some((a) => a.kind === 'insecure_protocol' && a.hosts[0] === client));
    },
  );
}

for (const file of ['http-browsing-bro-org.pcap', 'pcapxray-sample-mixed.pcap']) {
  const path = join(CORPUS, file);
  test(
    `corpus ${file}: ordinary browsing raises no scan, sweep or beaconing`,
    { skip: !existsSync(path) },
    async () => {
      const r = await run(path);
      const kinds = new Set(detectAlerts(r).map((a) => a.kind));
      for (const k of ['port_scan', 'host_sweep', 'beaconing', 'dns_tunnel', 'dga'])
        assert.ok(!kinds.has(k), k);
      const hosts = enrichHosts(r.hosts, { ...r, vendors: bundledMacVendors(), geo: countryOnly() });
      const publicHosts = hosts.filter((h) => h.address_class === 'public');
      assert.ok(publicHosts.length > 0);
      for (const h of publicHosts) assert.match(h.country ?? '', /^[A-Z]{2}$/, h.ip);
      assert.ok(
        hosts.some((h) => h.is_private && h.vendor !== null),
        'the LAN client has a vendor',
      );
    },
  );
}

test(
  'corpus: hosts carry the TTL range tshark shows (ip.ttl of the outer header per ip.src), and routers/clients get their TTL OS hint',
  { skip: !existsSync(join(CORPUS, 'icmp-traceroute.pcapng')) },
  async () => {
    const r = await run(join(CORPUS, 'icmp-traceroute.pcapng'));
    const by = new Map(r.hosts.map((h) => [h.ip, h]));
    // tshark -T fields -E occurrence=f -e ip.src -e ip.ttl, min and max per source
    const expected: [string, number, number][] = [
      ['192.168.100.138', 1, 9], // the traceroute probes
      ['192.168.100.1', 255, 255],
      ['12.153.21.202', 253, 253],
      ['4.68.101.162', 248, 248],
      ['4.2.2.1', 56, 56],
    ];
    for (const [ip, min, max] of expected) {
      assert.deepEqual([by.get(ip)?.ttl_min, by.get(ip)?.ttl_max], [min, max], ip);
    }
    const hosts = enrichHosts(r.hosts, { ...r, geo: null });
    const os = new Map(hosts.map((h) => [h.ip, h.os_guess]));
    assert.equal(os.get('192.168.100.1'), 'network device (router, switch, printer) or Solaris');
    assert.equal(os.get('4.2.2.1'), 'Linux/Unix/macOS/Android/iOS');
    // probes with TTL 1..9 say nothing about the sender's stack
    assert.equal(os.get('192.168.100.138'), null);
  },
);

test('fixture: a LAN host with TTL 64 and no other hint is guessed Unix-like from its TTL', async () => {
  const r = await run(join(FIXTURES, 'tcp-retransmissions-http.pcap'));
  const by = new Map(r.hosts.map((h) => [h.ip, h]));
  assert.deepEqual([by.get('172.17.96.77')?.ttl_min, by.get('172.17.96.77')?.ttl_max], [62, 62]);
  const hosts = enrichHosts(r.hosts, { ...r, geo: null });
  const server = hosts.find((h) => h.ip === '172.17.96.77');
  assert.equal(server?.os_guess, 'Linux/Unix/macOS/Android/iOS');
});

test('hosts: a row of the engine`s shape and a row without the TTL columns give the keys and values of a spread', () => {
  const ctx = { flows: [flow({ src_ip: '10.0.0.2', dst_ip: '10.0.0.1' })] };
  const rows = [host('10.0.0.2', { ttl_min: 60, ttl_max: 64 }), host('10.0.0.1')];
  const out = enrichHosts(rows, ctx);
  for (const [i, h] of rows.entries()) {
    const got = out[i]!;
    // what the one-literal path must equal: the row spread, then the enrichment columns in their order
    const want = {
      ...h,
      names: got.names,
      vendor: got.vendor,
      country: got.country,
      city: got.city,
      lat: got.lat,
      lon: got.lon,
      asn: got.asn,
      as_org: got.as_org,
      is_private: got.is_private,
      tags: got.tags,
      address_class: got.address_class,
      os_guess: got.os_guess,
    };
    assert.deepEqual(Object.keys(got), Object.keys(want));
    assert.deepEqual(got, want);
  }
  assert.equal(out[0]!.address_class, 'private');
  assert.equal(out[0]!.ttl_max, 64);
  assert.equal(out[0]!.os_guess, 'Linux/Unix/macOS/Android/iOS');
  assert.ok(!('ttl_max' in out[1]!));
});
