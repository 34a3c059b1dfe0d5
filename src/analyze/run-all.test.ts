import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles } from '../engine/analyze-files.js';
import { bundledTorRelays } from '../enrich/tor-relays-data.js';
import { parsePlainTorList } from '../enrich/tor-relays.js';
import { runAnalyses } from './run-all.js';
import { flow, synOnly, ts } from './test-support.js';

const CORPUS = '/work/shared/corpus/';

function mixedInput() {
  const flows = [
    ...Array.from({ length: 20 }, (_, i) =>
      synOnly({ id: 100 + i, src_ip: '10.0.0.5', dst_ip: '10.0.0.9', dst_port: 20 + i, at: 50 + i }),
    ),
    ...Array.from({ length: 8 }, (_, i) =>
      flow({ id: 200 + i, src_ip: '10.0.0.6', dst_ip: '203.0.113.80', dst_port: 8443, at: i * 30 }),
    ),
    flow({ id: 300, dst_ip: '198.51.100.20', dst_port: 9001, at: 10 }),
    flow({ id: 301, dst_port: 23, dst_ip: '10.0.0.3', at: 5 }),
  ];
  const credentials = [
    {
      flow_id: 301,
      ts: ts(5),
      client_ip: '192.168.1.10',
      server_ip: '10.0.0.3',
      server_port: 23,
      proto: 'telnet',
      method: 'login',
      username: 'root',
      password: 'toor',
    },
  ];
  return { flows, credentials, tor: parsePlainTorList('198.51.100.20\n', 'list', '2024-02-27') };
}

test('runAnalyses: every analysis contributes, ids follow severity then time, and runs are identical', () => {
  const input = mixedInput();
  const a = runAnalyses(input);
  assert.deepEqual(
    a.map((x) => [x.id, x.kind, x.severity]),
    [
      [1, 'cleartext_credentials', 'high'],
      [2, 'insecure_protocol', 'medium'],
      [3, 'tor_relay', 'medium'],
      [4, 'port_scan', 'medium'],
      [5, 'beaconing', 'low'],
    ],
  );
  const again = runAnalyses({ ...input, flows: [...input.flows].reverse() });
  assert.deepEqual(again, a);
  for (const x of a) {
    assert.ok(x.explanation.endsWith('.'), x.explanation);
    assert.ok(x.rule.length > 10);
    assert.ok(x.flow_ids.length > 0 && x.flow_count >= x.flow_ids.length);
    assert.ok(x.first_ts <= x.last_ts);
  }
  assert.deepEqual(
    runAnalyses(input, {}, { only: ['port_scan'] }).map((x) => x.kind),
    ['port_scan'],
  );
  assert.equal(runAnalyses(input, { portScan: { minPorts: 21 } }, { only: ['port_scan'] }).length, 0);
});

test('no scan, sweep or beaconing alert on ordinary browsing captures (flows from the engine)', async () => {
  const tor = bundledTorRelays();
  for (const f of [
    'http-browsing-bro-org.pcap',
    'pcapxray-sample-mixed.pcap',
    'mixed-many-protocols.pcap',
    'android-phone-mixed.pcap',
  ]) {
    const r = await analyzeFiles([CORPUS + f]);
    assert.ok(r.flows.length > 10, `${f}: ${r.flows.length} flows`);
    const alerts = runAnalyses({ flows: r.flows, tor });
    const noisy = alerts.filter((a) =>
      ['port_scan', 'host_sweep', 'beaconing', 'tor_relay'].includes(a.kind),
    );
    assert.deepEqual(
      noisy.map((a) => a.explanation),
      [],
      f,
    );
  }
});

test('clear-text protocol captures raise the matching insecure_protocol alert from flows alone', async () => {
  const cases: [string, string][] = [
    ['ftp-login-ipv4.pcap', 'FTP'],
    ['telnet-login-cooked.pcap', 'Telnet'],
    ['pop3-auth-plain.pcap', 'POP3'],
    ['imap-login.pcap', 'IMAP'],
    ['smtp-auth-login.pcap', 'SMTP'],
    ['snmpwalk.pcap', 'SNMP'],
  ];
  for (const [file, proto] of cases) {
    const r = await analyzeFiles([CORPUS + file]);
    const alerts = runAnalyses({ flows: r.flows }, {}, { only: ['insecure'] });
    assert.ok(
      alerts.some((a) => a.kind === 'insecure_protocol' && a.evidence['protocol'] === proto),
      `${file}: ${alerts.map((a) => a.explanation).join(' | ')}`,
    );
  }
});
