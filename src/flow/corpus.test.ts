/**
 * Decoding + conversations against tshark's oracle on the captures with tricky encapsulations: protocol
 * frame counts and every TCP/UDP conversation row (endpoints, frames and bytes each way).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, FIXTURE_DIR, FIXTURE_ORACLE_DIR } from '../../test/golden/paths.js';
import { readOracle } from '../../test/golden/oracle.js';
import { analyzeCapture, convRows, protocolDiffs } from './test-support/run-capture.js';

function locate(name: string): { cap: string; oracle: string } | null {
  for (const [dir, odir] of [
    [FIXTURE_DIR, FIXTURE_ORACLE_DIR],
    [CORPUS_DIR, join(CORPUS_DIR, 'oracle')],
  ] as const) {
    const cap = join(dir, name);
    const oracle = join(odir, `${name}.txt`);
    if (existsSync(cap) && existsSync(oracle)) return { cap, oracle };
  }
  return null;
}

/** Rows of theirs not matched by a row of ours ("?" bytes in theirs = tshark printed a scaled value). */
function unmatched(ours: string[], theirs: string[]): string[] {
  const pool = ours.slice();
  const miss: string[] = [];
  for (const t of theirs) {
    const tp = t.split(' ');
    const i = pool.findIndex((o) => o.split(' ').every((x, k) => tp[k] === '?' || tp[k] === x));
    if (i < 0) miss.push(t);
    else pool.splice(i, 1);
  }
  return miss.concat(pool.map((x) => `extra: ${x}`));
}

const EXACT = [
  'vxlan-http.pcap',
  'vlan-8021q-http-retrans.pcap',
  'ipv4-fragments-vlan.pcap',
  'ipv6-fragments-mdns.pcap',
  'dns-edns-ecs-ipv4-fragments.pcap',
  'pppoe-over-qinq-tls.pcap',
  'icmp-traceroute.pcapng',
  'sll-dhcp-mdns-http.pcap',
  'radiotap-80211-http.pcap',
  'null-loopback-http-download.pcap',
  'rawip-dlt101-mixed.pcap',
  'ppp-quic-retry.pcap',
  'chdlc-http.pcap',
  'nflog-http.pcap',
  'mixed-many-protocols.pcap',
  'ipv6-hbh-jumbogram-bigtcp.pcap',
  'ipv6-routing-header.pcap',
  'pcapng-le-comments-two-linktypes.pcapng',
  'fuzzed-be-wireshark-2006.pcap',
  'icmpv6-mixed.pcap',
  'sll2-tls13-sni.pcap',
  'rawip4-linktype228-mqtt.pcap',
  'rawip6-linktype229-mldv2.pcap',
  '80211-wpa-psk-linksys.cap',
  'pcap-be-usec-netlink.pcap',
];

for (const name of EXACT) {
  const where = locate(name);
  test(
    `oracle: ${name} protocol counts and TCP/UDP conversations`,
    { skip: where === null && 'capture not found' },
    async () => {
      const res = await analyzeCapture(where!.cap);
      const o = readOracle(where!.oracle);
      assert.equal(res.packets, o.packets);
      assert.equal(res.bytes, o.bytesOnWire);
      assert.deepEqual(protocolDiffs(res, o), []);
      for (const proto of ['tcp', 'udp'] as const) {
        const { ours, theirs } = convRows(res, o, proto);
        assert.deepEqual(unmatched(ours, theirs), [], `${proto} conversations`);
      }
    },
  );
}

test('oracle: snmpwalk.pcap differs on purpose', { skip: locate('snmpwalk.pcap') === null }, async () => {
  // tshark's SNMP dissector registers its own conversation for the agent's replies, which moves the first
  // request into a separate udp.stream (1 frame) from the rest of the walk (399 frames). One UDP port pair
  // is one conversation here: the two tshark rows added together.
  const w = locate('snmpwalk.pcap')!;
  const res = await analyzeCapture(w.cap);
  const udp = res.flows.filter((f) => f.proto === 'udp');
  assert.equal(udp.length, 1);
  const o = readOracle(w.oracle);
  const frames = o.convUdp.reduce((n, c) => n + c.framesAB + c.framesBA, 0);
  assert.equal(udp[0]!.packets_fwd + udp[0]!.packets_rev, frames);
});

test(
  'vxlan: outer UDP conversation at depth 0, inner TCP at depth 1',
  { skip: locate('vxlan-http.pcap') === null },
  async () => {
    const res = await analyzeCapture(locate('vxlan-http.pcap')!.cap);
    const udp = res.flows.find((f) => f.proto === 'udp')!;
    const tcp = res.flows.find((f) => f.proto === 'tcp')!;
    assert.equal(udp.tunnel_depth, 0);
    assert.equal(udp.dst_port, 4789);
    assert.equal(tcp.tunnel_depth, 1);
    assert.equal(tcp.dst_port, 80);
    assert.equal(tcp.src_ip, '172.16.11.201');
    assert.equal(tcp.tcp_state, 'closed');
    assert.match(tcp.community_id!, /^1:[A-Za-z0-9+/]{27}=$/);
    // every IPv4 address is a host, outer and inner
    assert.deepEqual(res.hosts.map((h) => h.ip).sort(), [
      '10.1.1.172',
      '10.1.200.131',
      '172.16.11.201',
      '54.86.237.188',
    ]);
    const server = res.hosts.find((h) => h.ip === '54.86.237.188')!;
    assert.deepEqual(server.server_ports, [80]);
  },
);

test(
  'vlan-8021q: one TCP conversation though seen tagged and untagged',
  { skip: locate('vlan-8021q-http-retrans.pcap') === null },
  async () => {
    const res = await analyzeCapture(locate('vlan-8021q-http-retrans.pcap')!.cap);
    const tcp = res.flows.filter((f) => f.proto === 'tcp');
    assert.equal(tcp.length, 1);
    assert.equal(tcp[0]!.packets_fwd + tcp[0]!.packets_rev, 42);
  },
);

test(
  'unsupported link type 284: counted as other, reported once',
  { skip: locate('broken-unsupported-linktype-284-dsa.pcap') === null },
  async () => {
    const res = await analyzeCapture(locate('broken-unsupported-linktype-284-dsa.pcap')!.cap);
    assert.equal(res.protocols.other, res.packets);
    assert.equal(res.flows.length, 0);
    const lt = res.problems.filter((p) => p.code === 'E_LINKTYPE');
    assert.equal(lt.length, 1);
    assert.match(lt[0]!.message, /284/);
  },
);

test(
  'flows emitted through onFlow are not kept; idle and maxFlows bound the table',
  { skip: locate('mixed-many-protocols.pcap') === null },
  async () => {
    const cap = locate('mixed-many-protocols.pcap')!.cap;
    const all = await analyzeCapture(cap);
    const emitted: typeof all.flows = [];
    const res = await analyzeCapture(cap, { maxFlows: 10, onFlow: (r) => emitted.push(r) });
    assert.equal(res.flows.length, 0);
    assert.ok(res.stats.flowsEvicted > 0);
    assert.ok(emitted.length >= all.flows.length);
    // same packet total whatever the splitting
    const sum = (rows: typeof all.flows) => rows.reduce((n, f) => n + f.packets_fwd + f.packets_rev, 0);
    assert.equal(sum(emitted), sum(all.flows));
    assert.equal(new Set(emitted.map((r) => r.id)).size, emitted.length);
    const short = await analyzeCapture(cap, { idleTimeoutSec: 1 });
    assert.ok(short.flows.length > all.flows.length);
    assert.equal(sum(short.flows), sum(all.flows));
  },
);

test(
  'reusing finished flows (no hooks) gives the same rows as fresh objects (a hook present)',
  { skip: locate('mixed-many-protocols.pcap') === null },
  async () => {
    const cap = locate('mixed-many-protocols.pcap')!.cap;
    // short timeouts: many flows end and their objects are reused mid-capture
    const opts = { idleTimeoutSec: 2, maxFlows: 20 };
    const pooled = await analyzeCapture(cap, opts);
    const fresh = await analyzeCapture(cap, { ...opts, onFlowEnd: () => undefined });
    assert.ok(pooled.flows.length > 40);
    assert.deepEqual(pooled.flows, fresh.flows);
    assert.deepEqual(pooled.hosts, fresh.hosts);
  },
);
