import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, resolveConfig } from '../config.js';
import { flow, rejected, synOnly } from '../test-support.js';
import { detectHostSweeps, detectPortScans, isProbe } from './scans.js';

const cfg = DEFAULT_CONFIG;
const ports = (n: number, make = synOnly, step = 1) =>
  Array.from({ length: n }, (_, i) =>
    make({ src_ip: '10.0.0.5', dst_ip: '10.0.0.9', dst_port: 1000 + i, at: i * step }),
  );

test('probe = no data and refused or unanswered', () => {
  assert.equal(isProbe(synOnly()), true);
  assert.equal(isProbe(rejected()), true);
  assert.equal(isProbe(flow()), false);
  assert.equal(
    isProbe(flow({ tcp_flags: 'SAF', packets_rev: 2 })),
    false,
    'open, closed cleanly, no data: a preconnect',
  );
  assert.equal(isProbe(flow({ proto: 'udp', packets_rev: 0 })), true);
  assert.equal(isProbe(flow({ proto: 'udp', packets_rev: 1 })), false);
});

test('TCP port scan threshold: 14 ports no, 15 yes, 16 yes', () => {
  assert.equal(detectPortScans(ports(14), cfg).length, 0);
  const at = detectPortScans(ports(15), cfg);
  assert.equal(at.length, 1);
  assert.equal(at[0]!.kind, 'port_scan');
  assert.equal(at[0]!.evidence['max_ports_in_window'], 15);
  assert.equal(at[0]!.score, 0.5);
  assert.deepEqual(at[0]!.hosts, ['10.0.0.5', '10.0.0.9']);
  assert.equal(at[0]!.flow_count, 15);
  assert.match(at[0]!.rule, />= 15/);
  const above = detectPortScans(ports(16), cfg);
  assert.equal(above.length, 1);
  assert.ok(above[0]!.score > 0.5);
});

test('refused ports count like unanswered ones; ports exchanging data do not', () => {
  assert.equal(detectPortScans(ports(15, rejected), cfg).length, 1);
  const withData = ports(15).map((f, i) => (i === 0 ? flow({ ...f, tcp_flags: 'SAPF', packets_rev: 5 }) : f));
  assert.equal(detectPortScans(withData, cfg).length, 0);
});

test('the window bounds the count: 15 ports over 15 minutes is no scan at a 300 s window', () => {
  assert.equal(detectPortScans(ports(15, synOnly, 60), cfg).length, 0);
  assert.equal(
    detectPortScans(ports(15, synOnly, 60), resolveConfig({ portScan: { windowSeconds: 3600 } })).length,
    1,
  );
});

test('UDP port scan and multicast targets', () => {
  const udp = (n: number, dst = '10.0.0.9') =>
    Array.from({ length: n }, (_, i) =>
      flow({
        proto: 'udp',
        src_ip: '10.0.0.5',
        dst_ip: dst,
        dst_port: 2000 + i,
        packets_rev: 0,
        bytes_rev: 0,
      }),
    );
  assert.equal(detectPortScans(udp(14), cfg).length, 0);
  const r = detectPortScans(udp(15), cfg);
  assert.equal(r.length, 1);
  assert.equal(r[0]!.evidence['proto'], 'udp');
  assert.equal(detectPortScans(udp(40, '239.255.255.250'), cfg).length, 0);
});

test('host sweep threshold: 24 hosts no, 25 yes, 26 yes; ICMP sweep', () => {
  const sweep = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      synOnly({ src_ip: '10.0.0.5', dst_ip: `10.0.1.${i + 1}`, dst_port: 445, at: i }),
    );
  assert.equal(detectHostSweeps(sweep(24), cfg).length, 0);
  const at = detectHostSweeps(sweep(25), cfg);
  assert.equal(at.length, 1);
  assert.equal(at[0]!.evidence['port'], 445);
  assert.equal(at[0]!.evidence['max_hosts_in_window'], 25);
  assert.equal(detectHostSweeps(sweep(26), cfg).length, 1);
  const icmp = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      flow({
        proto: 'icmp',
        src_ip: '10.0.0.5',
        dst_ip: `10.0.2.${i + 1}`,
        src_port: null,
        dst_port: null,
        tcp_flags: null,
        tcp_state: null,
        at: i,
      }),
    );
  assert.equal(detectHostSweeps(icmp(24), cfg).length, 0);
  const ic = detectHostSweeps(icmp(25), cfg);
  assert.equal(ic.length, 1);
  assert.match(ic[0]!.explanation, /ICMP echo on 25 hosts/);
});

test('busy browsing to many hosts is no sweep (connections carry data)', () => {
  const browsing = Array.from({ length: 80 }, (_, i) =>
    flow({ dst_ip: `93.184.${i}.10`, dst_port: 443, at: i * 0.5 }),
  );
  assert.equal(detectHostSweeps(browsing, cfg).length, 0);
  assert.equal(detectPortScans(browsing, cfg).length, 0);
});
