import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open.js';
import { ingestFiles } from './ingest.js';
import { packetDetail, type FieldNode, type PacketDetail } from './packet-detail.js';

const fixtures = new URL('../../test/fixtures/', import.meta.url).pathname;
const fx = (name: string) => join(fixtures, name);

function tshark(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

// tshark's protocol names -> ours (frame.protocols); names not listed are not described by us
const PROTO: Record<string, string> = {
  eth: 'eth',
  vlan: 'vlan',
  sll: 'sll',
  null: 'null',
  pppoes: 'pppoe',
  ppp: 'ppp',
  arp: 'arp',
  ip: 'ipv4',
  ipv6: 'ipv6',
  icmp: 'icmp',
  icmpv6: 'icmpv6',
  tcp: 'tcp',
  udp: 'udp',
  vxlan: 'vxlan',
  dns: 'dns',
  mdns: 'dns',
  gre: 'gre',
};

test('the described layers of every frame follow tshark frame.protocols', async () => {
  const files = [
    'tcp-retransmissions-http.pcap',
    'vxlan-http.pcap',
    'dns-edns-ecs-ipv4-fragments.pcap',
    'ipv6-fragments-mdns.pcap',
    'icmpv6-mixed.pcap',
    'arp-requests.pcap',
    'sll2-tls13-sni.pcap',
    'null-loopback-http-download.pcap',
    'ipv4-fragments-vlan.pcap',
    'rawip-dlt101-mixed.pcap',
    'ppp-quic-retry.pcap',
    'ipv6-routing-header.pcap',
  ];
  for (const f of files) {
    const lines = tshark(['-r', fx(f), '-T', 'fields', '-e', 'frame.protocols'])
      .split('\n')
      .filter(Boolean);
    let fragments = 0;
    // up to 24 frames per file, spread over it (each detail reads the file up to its frame)
    const step = Math.max(1, Math.floor(lines.length / 24));
    for (let i = 0; i < lines.length; i += /fragments/.test(f) ? 1 : step) {
      const d = await packetDetail({ paths: [fx(f)] }, i + 1);
      const ours = d.layers
        .map((l) => (l.protocol === 'sll2' ? 'sll' : l.protocol))
        .filter((p) => p !== 'data');
      // tshark shows a reassembled datagram on its last fragment; detail decodes the one frame
      if (d.layers.some((l) => /fragment at/.test(l.name))) {
        fragments++;
        continue;
      }
      const theirs = lines[i]!.split(':')
        .map((p) => PROTO[p])
        .filter((p) => p !== undefined);
      assert.deepEqual(ours, theirs, `${f} frame ${i + 1}: ${lines[i]}`);
      for (const l of d.layers) {
        assert.ok(l.offset >= 0 && l.offset + l.length <= d.caplen, `${f} ${i + 1} ${l.name}`);
        for (const fl of l.fields) assert.ok(fl.offset >= 0 && fl.offset + fl.length <= d.caplen);
      }
    }
    if (/fragments/.test(f)) assert.ok(fragments > 0, f);
  }
});

/** our field id -> tshark's, per IP version */
const FIELD: Record<string, [string, string]> = {
  'eth.src': ['eth.src', 'eth.src'],
  'eth.dst': ['eth.dst', 'eth.dst'],
  'ip.src': ['ip.src', 'ipv6.src'],
  'ip.dst': ['ip.dst', 'ipv6.dst'],
  'ip.ttl': ['ip.ttl', 'ipv6.hlim'],
  'tcp.srcport': ['tcp.srcport', 'tcp.srcport'],
  'tcp.dstport': ['tcp.dstport', 'tcp.dstport'],
  'udp.srcport': ['udp.srcport', 'udp.srcport'],
  'udp.dstport': ['udp.dstport', 'udp.dstport'],
  'tcp.window_size': ['tcp.window_size_value', 'tcp.window_size_value'],
};

function firstFields(d: PacketDetail): Map<string, FieldNode> {
  const m = new Map<string, FieldNode>();
  const walk = (fs: FieldNode[]) => {
    for (const f of fs) {
      if (f.id && !m.has(f.id)) m.set(f.id, f);
      if (f.children) walk(f.children);
    }
  };
  for (const l of d.layers) walk(l.fields);
  return m;
}

test('field values and byte ranges agree with tshark PDML', async () => {
  const frames: [string, number][] = [
    ['tcp-retransmissions-http.pcap', 4],
    ['vxlan-http.pcap', 3],
    ['icmpv6-mixed.pcap', 2],
    ['sll2-tls13-sni.pcap', 1],
    ['dns-edns-ecs-ipv4-fragments.pcap', 1],
    ['pppoe-over-qinq-tls.pcap', 5],
  ];
  for (const [f, n] of frames) {
    const pdml = tshark(['-r', fx(f), '-T', 'pdml', '-Y', `frame.number == ${n}`]);
    const theirs = new Map<string, { show: string; pos: number; size: number }>();
    for (const m of pdml.matchAll(/<field name="([^"]+)"[^>]*?size="(\d+)" pos="(\d+)" show="([^"]*)"/g)) {
      if (!theirs.has(m[1]!)) theirs.set(m[1]!, { show: m[4]!, pos: Number(m[3]), size: Number(m[2]) });
    }
    const d = await packetDetail({ paths: [fx(f)] }, n);
    const ours = firstFields(d);
    const v6 = d.layers.find((l) => l.protocol === 'ipv4' || l.protocol === 'ipv6')?.protocol === 'ipv6';
    let compared = 0;
    for (const [id, names] of Object.entries(FIELD)) {
      const o = ours.get(id);
      const t = theirs.get(names[v6 ? 1 : 0]);
      if (!o || !t) {
        assert.equal(!o, !t, `${f} ${n}: ${id} present in one decode only`);
        continue;
      }
      assert.equal(o.value, t.show, `${f} ${n} ${id}`);
      assert.deepEqual([o.offset, o.length], [t.pos, t.size], `${f} ${n} ${id} range`);
      compared++;
    }
    assert.ok(compared >= 5, `${f}: ${compared} fields compared`);
    assert.equal(String(d.len), theirs.get('frame.len')?.show);
    assert.equal(d.bytes.length, d.caplen * 2);
  }
  const dns = await packetDetail({ paths: [fx('dns-edns-ecs-ipv4-fragments.pcap')] }, 2);
  assert.equal(firstFields(dns).get('dns.query_name')?.name, 'ns1.weberdns.de');
});

test('a stored capture gives the same detail by offset, also across two link types', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-detail-'));
  const store = await openStore(undefined, dir);
  try {
    for (const [f, frames] of [
      ['tcp-retransmissions-http.pcap', [1, 50, 108]],
      ['pcapng-le-comments-two-linktypes.pcapng', [1, 2, 100, 159]],
    ] as const) {
      const row = await ingestFiles(store, dir, [fx(f)]);
      for (const n of frames) {
        const direct = await packetDetail({ paths: [fx(f)] }, n);
        const stored = await packetDetail({ store, dataDir: dir, captureId: row.id }, n);
        assert.ok(stored.flow_id === null || stored.flow_id > 0);
        assert.deepEqual(
          { ...stored, flow_id: null, comment: null },
          { ...direct, flow_id: null, comment: null },
          `${f} ${n}`,
        );
      }
      await assert.rejects(packetDetail({ store, dataDir: dir, captureId: row.id }, row.packets + 1), {
        code: 'E_NOT_FOUND',
      });
    }
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
