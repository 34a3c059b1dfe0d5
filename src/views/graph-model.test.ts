import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from './graph-model.js';
import { topNodes } from './top.js';
import { flowRow, hostRow } from './test-rows.js';
import { subnetOf, expandIpv6 } from './graph-group.js';
import type { FlowTags } from './traffic-class.js';

const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '192.168.1.9';

test('layer 3: one edge per address pair, directions added up the right way', () => {
  const flows = [
    flowRow({ src_ip: A, dst_ip: B, packets_fwd: 3, bytes_fwd: 300, packets_rev: 2, bytes_rev: 1000 }),
    flowRow({
      src_ip: B,
      dst_ip: A,
      src_port: 5000,
      dst_port: 53,
      proto: 'udp',
      app: 'dns',
      packets_fwd: 1,
      bytes_fwd: 70,
      packets_rev: 1,
      bytes_rev: 90,
    }),
    flowRow({ src_ip: A, dst_ip: C }),
  ];
  const m = buildGraph(flows, [hostRow(C, ['printer.local'])]);
  assert.equal(m.nodes.length, 3);
  assert.equal(m.edges.length, 2);
  const ab = m.edges.find((e) => e.a === A && e.b === B)!;
  assert.deepEqual(
    [ab.packets_ab, ab.bytes_ab, ab.packets_ba, ab.bytes_ba, ab.flows_ab, ab.flows_ba],
    [3 + 1, 300 + 90, 2 + 1, 1000 + 70, 1, 1],
  );
  assert.deepEqual(ab.protocols.sort(), ['tcp', 'udp']);
  assert.deepEqual(ab.apps, ['dns']);
  const a = m.nodes.find((n) => n.id === A)!;
  assert.equal(a.bytes_out, 300 + 90 + 100);
  assert.equal(a.bytes_in, 1000 + 70 + 200);
  assert.equal(a.peers, 2);
  assert.equal(a.peers_out, 2);
  assert.equal(a.peers_in, 1);
  assert.deepEqual(m.nodes.find((n) => n.id === C)!.names, ['printer.local']);
});

test('layer 4: socket pairs by default, client IP to server socket in service mode', () => {
  const flows = [
    flowRow({ src_ip: A, dst_ip: B, src_port: 40001, dst_port: 443 }),
    flowRow({ src_ip: A, dst_ip: B, src_port: 40002, dst_port: 443 }),
    flowRow({ src_ip: A, dst_ip: B, src_port: 40002, dst_port: 443, proto: 'udp' }),
    flowRow({ src_ip: A, dst_ip: B, proto: 'icmp', src_port: null, dst_port: null }),
    flowRow({ src_ip: '2001:db8::1', dst_ip: '2001:db8::2', src_port: 1, dst_port: 2 }),
  ];
  const socket = buildGraph(flows, [], { layer: 4 });
  assert.equal(socket.edges.length, 4);
  assert.equal(socket.flows_skipped, 1);
  assert.match(socket.notes[0]!, /1 flow\(s\) have no TCP\/UDP\/SCTP ports/);
  assert.ok(socket.nodes.some((n) => n.label === '[2001:db8::2]:2/tcp'));
  const service = buildGraph(flows, [], { layer: 4, l4Mode: 'service' });
  // A -> B:443/tcp (two flows), A -> B:443/udp, 2001:db8::1 -> [2001:db8::2]:2/tcp
  assert.equal(service.edges.length, 3);
  const top = topNodes(service, 'in', 'peers', 10);
  assert.equal(top[0]!.node, '10.0.0.2:443/tcp');
});

test('layer 2: MAC pairs; flows without both MACs are skipped and counted', () => {
  const m1 = '00:11:22:33:44:55';
  const m2 = 'aa:bb:cc:dd:ee:ff';
  const flows = [
    flowRow({ src_ip: A, dst_ip: B, src_mac: m1, dst_mac: m2 }),
    flowRow({ src_ip: B, dst_ip: A, src_mac: m2, dst_mac: m1 }),
    flowRow({ src_ip: A, dst_ip: C }),
  ];
  const m = buildGraph(flows, [hostRow(A, [], [m1])], { layer: 2 });
  assert.equal(m.edges.length, 1);
  assert.equal(m.flows_skipped, 1);
  assert.deepEqual(m.nodes.find((n) => n.id === m1)!.names, [A]);
});

test('grouping beyond the node limit keeps the busiest nodes, marks groups and conserves traffic', () => {
  const flows = [];
  for (let i = 1; i <= 12; i++) {
    flows.push(flowRow({ src_ip: A, dst_ip: `172.16.${i % 2}.${i}`, bytes_fwd: i * 1000, bytes_rev: 0 }));
  }
  const full = buildGraph(flows, []);
  const m = buildGraph(flows, [], { maxNodes: 5 });
  assert.ok(m.nodes.length <= 5, `${m.nodes.length} nodes`);
  assert.ok(m.grouping);
  assert.equal(m.grouping.nodes_before, 13);
  const groups = m.nodes.filter((n) => n.kind === 'group');
  assert.deepEqual(groups.map((g) => g.label).sort(), ['172.16.0.0/24', '172.16.1.0/24']);
  assert.equal(groups.reduce((s, g) => s + g.grouped!.members, 0) + m.nodes.length - groups.length, 13);
  const sum = (x: typeof m): number => x.edges.reduce((s, e) => s + e.bytes_ab + e.bytes_ba, 0);
  assert.equal(sum(m), sum(full));
  assert.ok(m.notes.some((n) => n.startsWith('grouped:')));
  // the busiest hosts stay individual
  assert.ok(m.nodes.some((n) => n.id === '172.16.0.12'));
  // a limit below the number of groups folds the rest into "other"
  const tiny = buildGraph(flows, [], { maxNodes: 2 });
  assert.equal(tiny.nodes.length, 2);
  assert.ok(tiny.nodes.some((n) => n.label === 'other'));
});

test('grouping by ASN uses the enrichment look-up, falling back to the subnet', () => {
  const flows = [1, 2, 3, 4].map((i) => flowRow({ src_ip: A, dst_ip: `8.8.${i}.8`, bytes_fwd: i }));
  const m = buildGraph(flows, [], {
    maxNodes: 2,
    groupBy: 'asn',
    info: (ip) => (ip.startsWith('8.8.') ? { asn: 15169, as_org: 'GOOGLE' } : null),
  });
  assert.deepEqual(m.nodes.map((n) => n.label).sort(), ['10.0.0.1', 'AS15169 GOOGLE']);
});

test('--only keeps flows with the asked traffic classes', () => {
  const f1 = flowRow({ src_ip: A, dst_ip: B });
  const f2 = flowRow({ src_ip: A, dst_ip: C });
  const tags: FlowTags = new Map([[f2.id, ['tor']]]);
  const m = buildGraph([f1, f2], [], { tags, only: ['tor'] });
  assert.equal(m.edges.length, 1);
  assert.deepEqual(m.edges[0]!.classes, ['tor']);
  assert.deepEqual(m.nodes.find((n) => n.id === C)!.classes, ['tor']);
  assert.match(m.notes.join('\n'), /1 flow\(s\) left out by --only tor/);
});

test('subnets for grouping', () => {
  assert.equal(subnetOf('10.1.2.3'), '10.1.2.0/24');
  assert.equal(subnetOf('2001:db8:0:1::5'), '2001:db8:0:1::/64');
  assert.equal(subnetOf('fe80::1'), 'fe80:0:0:0::/64');
  assert.deepEqual(expandIpv6('::ffff:1.2.3.4'), [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
  assert.equal(expandIpv6('1::2::3'), null);
});

test('top talkers: out by bytes, in by peers', () => {
  const flows = [
    flowRow({ src_ip: A, dst_ip: B, bytes_fwd: 5000 }),
    flowRow({ src_ip: C, dst_ip: B, bytes_fwd: 10 }),
    flowRow({ src_ip: C, dst_ip: A, bytes_fwd: 10 }),
  ];
  const m = buildGraph(flows, []);
  assert.deepEqual(
    topNodes(m, 'out', 'bytes', 1).map((r) => [r.node, r.value]),
    [[A, 5000 + 200]],
  );
  const inPeers = topNodes(m, 'in', 'peers', 10);
  assert.deepEqual(
    inPeers.map((r) => [r.node, r.value]),
    [
      [B, 2],
      [A, 1],
    ],
  );
  assert.deepEqual(
    topNodes(m, 'out', 'peers', 10).map((r) => r.node),
    [C, A],
  );
});
