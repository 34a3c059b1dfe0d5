import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG } from '../config.js';
import { flow, ts } from '../test-support.js';
import type { CredentialInput, HttpInput, TlsInput } from '../../enrich/name-inputs.js';
import { parsePlainTorList } from '../../enrich/tor-relays.js';
import { parseBlocklist } from '../blocklist-list.js';
import { detectInsecureProtocols } from './insecure-protocols.js';
import { detectTor } from './tor.js';
import { detectUnresolvedDestinations } from './unresolved-destination.js';
import { detectCleartextExecutables } from './cleartext-downloads.js';
import { detectBlocklist } from './blocklist.js';

const cfg = DEFAULT_CONFIG;
const cred = (o: Partial<CredentialInput>): CredentialInput => ({
  flow_id: 1,
  ts: ts(0),
  client_ip: '10.0.0.2',
  server_ip: '10.0.0.3',
  server_port: 21,
  proto: 'ftp',
  method: 'user/pass',
  username: 'alice',
  password: 'secret',
  ...o,
});
const http = (o: Partial<HttpInput>): HttpInput => ({
  flow_id: 1,
  ts: ts(0),
  client_ip: '10.0.0.2',
  server_ip: '203.0.113.5',
  server_port: 80,
  method: 'GET',
  host: 'files.example',
  uri: '/',
  user_agent: null,
  status: 200,
  request_content_type: null,
  response_content_type: 'text/html',
  auth_user: null,
  ...o,
});
const tls = (o: Partial<TlsInput>): TlsInput => ({
  flow_id: 1,
  ts: ts(0),
  client_ip: '10.0.0.2',
  server_ip: '203.0.113.9',
  server_port: 443,
  client_version: 'TLS 1.3',
  version: 'TLS 1.3',
  server_name: 'www.example.com',
  cert_subject: null,
  cert_issuer: null,
  cert_san: [],
  ...o,
});

test('clear-text credentials: plain yes, hashed no, SNMP community yes', () => {
  const a = detectInsecureProtocols(
    {
      flows: [],
      credentials: [
        cred({}),
        cred({ flow_id: 2 }),
        cred({ proto: 'imap', method: 'cram-md5', password: 'hash' }),
        cred({ proto: 'snmp', method: 'community', username: null, password: 'public', server_port: 161 }),
      ],
    },
    cfg,
  ).filter((x) => x.kind === 'cleartext_credentials');
  assert.equal(a.length, 2);
  const ftp = a.find((x) => x.evidence['proto'] === 'ftp')!;
  assert.equal(ftp.flow_count, 2);
  assert.equal(ftp.severity, 'high');
  assert.match(ftp.explanation, /password of user "alice"/);
  assert.match(a.find((x) => x.evidence['proto'] === 'snmp')!.explanation, /SNMP community string/);
});

test('clear-text credentials: an anonymous FTP login (ftp-login-ipv4.pcap: USER anonymous, PASS test) is low, not high', () => {
  const a = detectInsecureProtocols(
    {
      flows: [],
      credentials: [
        cred({ username: 'anonymous', password: 'test' }),
        cred({ flow_id: 2, username: 'FTP', password: 'me@example.org' }),
        cred({ flow_id: 3, proto: 'pop3', username: 'anonymous', password: 'secret' }),
      ],
    },
    cfg,
  ).filter((x) => x.kind === 'cleartext_credentials');
  assert.deepEqual(
    a.map((x) => [x.evidence['proto'], x.evidence['username'], x.severity, x.evidence['anonymous']]),
    [
      ['ftp', 'FTP', 'low', true],
      ['ftp', 'anonymous', 'low', true],
      ['pop3', 'anonymous', 'high', false],
    ],
  );
  assert.match(
    a[1]!.explanation,
    /an anonymous login \(user "anonymous", whose password is by convention an e-mail address/,
  );
});

test('protocols by port: telnet/ftp/tftp flagged when answered; mail only without TLS', () => {
  const flows = [
    flow({ id: 11, dst_port: 23, dst_ip: '10.0.0.3' }),
    flow({ id: 12, dst_port: 23, dst_ip: '10.0.0.4', packets_rev: 0 }),
    flow({ id: 13, proto: 'udp', dst_port: 69, dst_ip: '10.0.0.3', tcp_flags: null, tcp_state: null }),
    flow({ id: 14, dst_port: 143, dst_ip: '10.0.0.3' }),
    flow({ id: 15, dst_port: 143, dst_ip: '10.0.0.5' }),
    flow({ id: 16, dst_port: 110, dst_ip: '10.0.0.6' }),
  ];
  const a = detectInsecureProtocols(
    { flows, tls: [tls({ flow_id: 15 })], starttlsFlowIds: new Set([16]) },
    cfg,
  ).filter((x) => x.kind === 'insecure_protocol');
  assert.deepEqual(a.map((x) => `${x.evidence['protocol']} ${x.hosts[1]}`).sort(), [
    'IMAP 10.0.0.3',
    'TFTP 10.0.0.3',
    'Telnet 10.0.0.3',
  ]);
});

test('HTTP Basic auth and form posts; old TLS versions', () => {
  const a = detectInsecureProtocols(
    {
      flows: [],
      http: [
        http({ auth_user: 'bob' }),
        http({
          flow_id: 2,
          method: 'POST',
          uri: '/wp-login.php',
          request_content_type: 'application/x-www-form-urlencoded',
        }),
        http({
          flow_id: 3,
          method: 'POST',
          uri: '/api',
          request_content_type: 'application/json',
          host: 'api.example',
        }),
      ],
      tls: [
        tls({ version: 'TLS 1.0', flow_id: 5 }),
        tls({ version: 'TLS 1.2', flow_id: 6 }),
        tls({ version: 'SSL 3.0', flow_id: 7, server_ip: '203.0.113.10' }),
      ],
    },
    cfg,
  );
  const basic = a.find((x) => x.evidence['protocol'] === 'HTTP Basic auth')!;
  assert.deepEqual(basic.evidence['users'], ['bob']);
  const form = a.find((x) => x.evidence['protocol'] === 'HTTP form post')!;
  assert.equal(form.severity, 'medium');
  assert.equal(form.evidence['login_like_uri'], true);
  assert.equal(
    a.filter((x) => x.evidence['protocol'] === 'HTTP form post').length,
    1,
    'JSON posts are no forms',
  );
  const weak = a.filter((x) => x.kind === 'weak_tls');
  assert.deepEqual(weak.map((x) => `${x.evidence['version']} ${x.severity}`).sort(), [
    'SSL 3.0 high',
    'TLS 1.0 medium',
  ]);
});

test('Tor: list match says list and date; heuristic says heuristic; DNS-resolved look-alikes are not Tor', () => {
  const list = parsePlainTorList('198.51.100.20:9001\n', 'test-list', '2024-02-27');
  const flows = [
    flow({ id: 1, dst_ip: '198.51.100.20', dst_port: 9001 }),
    flow({ id: 2, dst_ip: '203.0.113.50', dst_port: 443 }),
  ];
  const t = [
    tls({
      flow_id: 2,
      server_ip: '203.0.113.50',
      server_name: 'www.q4xvzk7mjd2pw.com',
      cert_subject: 'CN=www.lbcmnfhtwqxk.net',
      cert_issuer: 'CN=www.x7zqvbn3kd.com',
    }),
  ];
  const a = detectTor({ flows, tls: t, tor: list }, cfg);
  const byList = a.find((x) => x.kind === 'tor_relay')!;
  assert.equal(byList.heuristic, false);
  assert.equal(byList.evidence['list_date'], '2024-02-27');
  assert.equal(byList.evidence['port_matched'], true);
  assert.match(byList.explanation, /test-list" of 2024-02-27/);
  const heur = a.find((x) => x.kind === 'tor_like_tls')!;
  assert.equal(heur.heuristic, true);
  assert.equal(heur.score, 0.85);
  // the same SNI after a DNS query for it: a real site
  const dns = [
    {
      flow_id: 9,
      ts: ts(0),
      client_ip: '10.0.0.2',
      server_ip: '10.0.0.1',
      proto: 'dns',
      query_name: 'www.q4xvzk7mjd2pw.com',
      query_type: 'A',
      rcode: 'NOERROR',
      answers: [],
    },
  ];
  assert.equal(detectTor({ flows, tls: t, dns }, cfg).filter((x) => x.kind === 'tor_like_tls').length, 0);
  // SNI alone on 443 with DNS captured but never asked for it: 0.45 + 0.15 = 0.6, at the threshold
  const sniOnly = [tls({ flow_id: 2, server_ip: '203.0.113.50', server_name: 'www.q4xvzk7mjd2pw.com' })];
  const other = [{ ...dns[0]!, query_name: 'example.org' }];
  assert.equal(
    detectTor({ flows, tls: sniOnly, dns: other }, cfg).filter((x) => x.kind === 'tor_like_tls').length,
    1,
  );
  assert.equal(detectTor({ flows, tls: sniOnly }, cfg).filter((x) => x.kind === 'tor_like_tls').length, 0);
  assert.equal(detectTor({ flows, tls: [tls({ flow_id: 2 })] }, cfg).length, 0);
});

test('unresolved destinations are scored: unknown port + no name alerts, resolved or well-known does not', () => {
  const flows = [
    flow({ id: 1, dst_ip: '198.51.100.200', dst_port: 4444 }), // documentation range: not public, ignored
    flow({ id: 2, dst_ip: '45.33.32.156', dst_port: 4444 }),
    flow({ id: 3, dst_ip: '93.184.216.34', dst_port: 4444 }),
    flow({ id: 4, dst_ip: '8.8.4.4', dst_port: 443, app: 'tls' }),
  ];
  const dns = [
    {
      flow_id: 9,
      ts: ts(0),
      client_ip: '192.168.1.10',
      server_ip: '192.168.1.1',
      proto: 'dns',
      query_name: 'example.com',
      query_type: 'A',
      rcode: 'NOERROR',
      answers: ['example.com A 93.184.216.34'],
    },
  ];
  const a = detectUnresolvedDestinations({ flows, dns }, cfg);
  assert.equal(a.length, 1);
  assert.deepEqual(a[0]!.hosts, ['192.168.1.10', '45.33.32.156']);
  assert.equal(a[0]!.score, 0.9);
  assert.equal(a[0]!.heuristic, true);
});

test('unresolved destinations: the server is who answers, not who was seen first; connections open before the capture are skipped', () => {
  const dnsRow = {
    flow_id: 9,
    ts: ts(0),
    client_ip: '74.125.73.83',
    server_ip: '192.168.90.10',
    proto: 'dns',
    query_name: 'example.com',
    query_type: 'A',
    rcode: 'NOERROR',
    answers: ['example.com A 93.184.216.34'],
  };
  // dns-edns-ecs-ipv4-fragments.pcap: a LAN DNS server's answers to a public resolver, queries not captured
  const answers = flow({
    id: 1,
    proto: 'udp',
    src_ip: '192.168.90.10',
    src_port: 53,
    dst_ip: '74.125.73.83',
    dst_port: 45796,
    app: 'dns',
    packets_rev: 0,
  });
  // the same shape towards a public server on an unknown port, from its well-known port: its answers too
  const https = flow({
    id: 2,
    src_ip: '45.33.32.156',
    src_port: 443,
    dst_ip: '192.168.1.10',
    dst_port: 51000,
  });
  // first packet from the high port: the client's, alerts as before
  const out = flow({
    id: 3,
    src_ip: '192.168.1.10',
    src_port: 51001,
    dst_ip: '45.33.32.156',
    dst_port: 4444,
  });
  // a TCP connection whose SYN was not captured (Yahoo Messenger keep-alive in smtp-auth-login.pcap)
  const open = flow({
    id: 4,
    src_ip: '192.168.133.100',
    src_port: 49285,
    dst_ip: '66.196.121.26',
    dst_port: 5050,
    tcp_flags: 'AP',
    tcp_state: 'midstream',
  });
  const a = detectUnresolvedDestinations({ flows: [answers, https, out, open], dns: [dnsRow] }, cfg);
  assert.deepEqual(
    a.map((x) => x.hosts),
    [['192.168.1.10', '45.33.32.156']],
  );
  assert.equal(a[0]!.evidence['port'], 4444);
  assert.equal(a[0]!.evidence['server_sent_first'], false);
  // a public host asking the LAN's DNS server from a high port: the server is the LAN host, nothing to say
  const late = flow({
    id: 5,
    proto: 'udp',
    src_ip: '45.33.32.157',
    src_port: 4444,
    dst_ip: '192.168.1.10',
    dst_port: 53,
  });
  const b = detectUnresolvedDestinations({ flows: [late], dns: [dnsRow] }, cfg);
  assert.deepEqual(
    b.map((x) => x.hosts),
    [],
  );
});

test('executables over plain HTTP, from files rows and http rows', () => {
  const a = detectCleartextExecutables(
    {
      flows: [],
      files: [
        {
          flow_id: 1,
          ts: ts(0),
          client_ip: '10.0.0.2',
          server_ip: '203.0.113.5',
          proto: 'http',
          name: 'setup.exe',
          content_type: 'application/x-msdownload',
          size: 1000,
          sha256: null,
          direction: 'download',
        },
      ],
      http: [
        http({ flow_id: 1, uri: '/setup.exe' }),
        http({ flow_id: 2, uri: '/install.ps1?x=1', response_content_type: 'text/plain' }),
        http({ flow_id: 3, uri: '/index.html' }),
        http({ flow_id: 4, uri: '/missing.exe', status: 404 }),
      ],
    },
    cfg,
  );
  assert.deepEqual(
    a.map((x) => x.evidence['name']),
    ['setup.exe', 'install.ps1'],
  );
  assert.equal(a[0]!.score, 1);
});

test('blocklist: address, CIDR, domain and subdomain; comments and hosts-file lines', () => {
  const bl = parseBlocklist(
    '# list\n203.0.113.5\n198.51.100.0/24  # net\n0.0.0.0 evil.example\n*.bad.example\nnot a thing here\n',
    'my-list',
  );
  assert.equal(bl.entries, 4);
  assert.equal(bl.skipped, 1);
  const flows = [
    flow({ id: 1, dst_ip: '203.0.113.5' }),
    flow({ id: 2, dst_ip: '198.51.100.77' }),
    flow({ id: 3, dst_ip: '192.0.2.1' }),
  ];
  const dns = [
    {
      flow_id: 4,
      ts: ts(0),
      client_ip: '192.168.1.10',
      server_ip: '192.168.1.1',
      proto: 'dns',
      query_name: 'cdn.evil.example',
      query_type: 'A',
      rcode: 'NOERROR',
      answers: ['cdn.evil.example A 192.0.2.1'],
    },
  ];
  const a = detectBlocklist({ flows, dns, tls: [tls({ server_name: 'x.bad.example' })], blocklist: bl }, cfg);
  assert.deepEqual(a.map((x) => x.evidence['indicator']).sort(), [
    '198.51.100.0/24',
    '203.0.113.5',
    'bad.example',
    'evil.example',
  ]);
  assert.ok(a.every((x) => x.severity === 'high' && !x.heuristic));
  assert.equal(detectBlocklist({ flows, blocklist: null }, cfg).length, 0);
});
