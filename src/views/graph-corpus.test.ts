/**
 * Graph edges on real captures against tshark. An edge is an unordered pair of nodes:
 * - layer 3: {IP A, IP B} over every IP conversation (tunnelled inner IPs included), which is exactly one
 *   row of tshark's `-z conv,ipv4` / `-z conv,ipv6` (tshark keys those tables by the address pair);
 * - layer 4 (socket mode): {A:port, B:port} per transport protocol, which is one distinct (A, B) pair of
 *   `-z conv,tcp` / `-z conv,udp` rows (tshark gives a reused 4-tuple one row per TCP stream, we one edge);
 * - layer 2: {MAC A, MAC B} of the flows, against `tshark -z conv,eth` run here (the oracle has no
 *   Ethernet table), on Ethernet captures only: 802.11 addresses are in our MAC graph but not in tshark's
 *   eth table, and a flow keeps the MACs of its first packet, so a capture where one conversation is seen
 *   with several MAC pairs (pcapng-126-interfaces-ldap) or has non-IP frames we do not make flows of
 *   (PPPoE discovery in pppoe-over-qinq-tls, damaged frames in fuzzed-be-wireshark-2006) differs.
 * Not compared: ipv6-routing-header.pcap. Flow rows carry the routing header's final destination (as
 * tshark's TCP/UDP conversations do, so layer 4 would match) while tshark's IPv6 conversation table keys on
 * the header's destination field; a graph built from flow rows cannot see the latter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles } from '../engine/analyze-files.js';
import { readOracle } from '../../test/golden/oracle.js';
import { CORPUS_DIR } from '../../test/golden/paths.js';
import { buildGraph } from './graph-model.js';

const FILES = [
  'seed-pcapviz-project-test1.pcap',
  'seed-pcapviz-project-test2.pcap',
  'seed-pcapviz-project-test3.pcap',
  'pcapxray-sample-mixed.pcap',
  'android-phone-mixed.pcap',
  'dns-many-types.pcap',
  'dns-edns-ecs-ipv4-fragments.pcap',
  'vxlan-http.pcap',
  'ipv4-fragments-vlan.pcap',
  'icmp-traceroute.pcapng',
  'rawip-dlt101-mixed.pcap',
  'sll-dhcp-mdns-http.pcap',
  'kerberos-kinit.pcap',
  'pcapng-le-comments-two-linktypes.pcapng',
];

const pair = (a: string, b: string): string => (a < b ? `${a} ${b}` : `${b} ${a}`);
const sorted = (s: Set<string>): string[] => [...s].sort();
const haveCorpus = existsSync(join(CORPUS_DIR, 'oracle'));

let tsharkOk = false;
try {
  execFileSync('tshark', ['-v'], { stdio: 'ignore' });
  tsharkOk = true;
} catch {
  tsharkOk = false;
}

for (const file of FILES) {
  test(
    `graph edges match tshark conversations: ${file}`,
    { skip: haveCorpus ? false : 'corpus not present' },
    async () => {
      const path = join(CORPUS_DIR, file);
      const oracle = readOracle(join(CORPUS_DIR, 'oracle', file + '.txt'));
      const { flows, hosts } = await analyzeFiles([path]);

      const l3 = buildGraph(flows, hosts, { layer: 3 });
      const ours3 = new Set(l3.edges.map((e) => pair(e.a, e.b)));
      const theirs3 = new Set([...oracle.convIpv4, ...oracle.convIpv6].map((c) => pair(c.a, c.b)));
      assert.deepEqual(sorted(ours3), sorted(theirs3), 'layer 3 edges');
      assert.equal(l3.edges.length, theirs3.size);

      // SCTP has ports too but no oracle table: compare TCP and UDP.
      const l4 = buildGraph(
        flows.filter((f) => f.proto === 'tcp' || f.proto === 'udp'),
        hosts,
        { layer: 4 },
      );
      const endpoint = (ip: string, port: number | null): string => `${ip} ${port}`;
      const ours4 = new Set(
        l4.edges.map((e) => {
          const [proto, ...a] = e.a.split(' ');
          return `${proto} ${pair(a.join(' '), e.b.slice(proto!.length + 1))}`;
        }),
      );
      const theirs4 = new Set([
        ...oracle.convTcp.map((c) => `tcp ${pair(endpoint(c.a, c.aPort), endpoint(c.b, c.bPort))}`),
        ...oracle.convUdp.map((c) => `udp ${pair(endpoint(c.a, c.aPort), endpoint(c.b, c.bPort))}`),
      ]);
      assert.deepEqual(sorted(ours4), sorted(theirs4), 'layer 4 edges');

      if (!tsharkOk) return;
      let out = '';
      try {
        out = execFileSync('tshark', ['-n', '-q', '-r', path, '-z', 'conv,eth'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
      } catch (e) {
        out = (e as { stdout?: string }).stdout ?? '';
      }
      const theirs2 = new Set<string>();
      for (const line of out.split('\n')) {
        const m = /^([0-9a-f:]{17})\s+<->\s+([0-9a-f:]{17})\s/.exec(line);
        if (m) theirs2.add(pair(m[1]!, m[2]!));
      }
      const ours2 = new Set(buildGraph(flows, hosts, { layer: 2 }).edges.map((e) => pair(e.a, e.b)));
      assert.deepEqual(sorted(ours2), sorted(theirs2), 'layer 2 edges');
    },
  );
}
