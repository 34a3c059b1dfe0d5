import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ingestFiles } from '../engine/ingest.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { subnetOf } from '../views/graph-group.js';
import { buildApp } from './app.js';

/** The graph's marks and groups and the map's arcs, checked against the stored hosts, alerts and flows. */
const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;
const MIXED = join(CORPUS, 'pcapxray-sample-mixed.pcap');
/** an FTP login: the analyses flag its cleartext credentials and protocol */
const FTP = join(CORPUS, 'ftp-login-ipv4.pcap');

let dir: string;
let store: Store;
let app: FastifyInstance;
let mixed: number;
let ftp: number;

interface Node {
  id: string;
  addr: string;
  bytes: number;
  alerts?: number;
  tags?: string[];
  asn?: number;
  group?: { by: string; key: string; members: number };
}
interface Edge {
  source: string;
  target: string;
  bytes: number;
  classes: string[];
}
const graph = async (id: number, q = '') =>
  (await app.inject({ method: 'GET', url: `/api/captures/${id}/graph?limit=5000${q}` })).json() as {
    nodes: Node[];
    edges: Edge[];
  };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-graphviews-'));
  store = await openStore(undefined, dir);
  ({ app } = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: null }));
  mixed = (await ingestFiles(store, dir, [MIXED])).id;
  ftp = (await ingestFiles(store, dir, [FTP])).id;
});

after(async () => {
  await app.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test('graph nodes carry the stored host tags, AS and alert counts; alerted pairs are marked', async () => {
  const g = await graph(ftp);
  const alerts = await store.page('alerts', { captureId: ftp, limit: 1000 });
  assert.ok(alerts.total > 0);
  const hosts = (await store.page('hosts', { captureId: ftp, limit: 1000 })).rows;
  for (const n of g.nodes) {
    const h = hosts.find((x) => x.ip === n.addr);
    assert.deepEqual(n.tags ?? [], h?.tags ?? []);
    assert.equal(n.asn ?? null, h?.asn ?? null);
    const named = alerts.rows.filter((a) => [a.client_ip, a.server_ip, ...(a.hosts ?? [])].includes(n.addr));
    assert.equal(n.alerts ?? 0, named.length, n.addr);
    assert.ok(named.length > 0);
  }
  // the one pair logs in over FTP in clear text, which the alerts name
  assert.ok(g.edges.length > 0);
  for (const e of g.edges) assert.deepEqual(e.classes.sort(), ['alert', 'insecure']);
  // TLS-only traffic is not cleartext
  const tls = await graph(mixed, `&filter=${encodeURIComponent('app == "tls"')}`);
  assert.ok(tls.edges.length > 0);
  assert.ok(tls.edges.every((e) => !e.classes.includes('insecure')));
});

test('collapse by /24: one node per subnet, bytes kept; an expanded subnet shows its members', async () => {
  const flat = await graph(mixed);
  const g = await graph(mixed, '&group=subnet');
  const subnets = new Set(flat.nodes.map((n) => subnetOf(n.addr)));
  assert.equal(g.nodes.length, subnets.size);
  assert.ok(g.nodes.length < flat.nodes.length);
  for (const n of g.nodes) {
    const members = flat.nodes.filter((f) => `group:subnet:${subnetOf(f.addr)}` === n.id);
    assert.equal(n.group?.members, members.length, n.id);
  }
  const sum = (es: Edge[]) => es.reduce((s, e) => s + e.bytes, 0);
  assert.equal(sum(g.edges), sum(flat.edges));
  const big = g.nodes.find((n) => (n.group?.members ?? 0) > 1)!;
  const expanded = await graph(mixed, `&group=subnet&expand=${encodeURIComponent(big.id)}`);
  assert.equal(expanded.nodes.length, g.nodes.length - 1 + big.group!.members);
  assert.ok(!expanded.nodes.some((n) => n.id === big.id));
  const asn = await graph(mixed, '&group=asn');
  assert.ok(asn.nodes.some((n) => n.group?.by === 'asn' && /^AS\d+/.test(n.group.key)));
  assert.ok(asn.nodes.length < g.nodes.length);
});

test('map: located hosts, and arcs whose bytes are the flows between them or from the unlocated side', async () => {
  const r = (await app.inject({ method: 'GET', url: `/api/captures/${mixed}/geo` })).json() as {
    points: { ip: string }[];
    arcs: { src: string | null; dst: string | null; bytes: number }[];
  };
  assert.ok(r.points.length > 20);
  assert.ok(r.arcs.length > 0);
  const located = new Set(r.points.map((p) => p.ip));
  const flows = (await store.page('flows', { captureId: mixed, limit: 10000 })).rows;
  for (const a of r.arcs) {
    assert.ok(a.src !== null && located.has(a.src));
    const want = flows
      .filter((f) => {
        const s = located.has(f.src_ip) ? f.src_ip : null;
        const d = located.has(f.dst_ip) ? f.dst_ip : null;
        return (s === a.src && d === a.dst) || (s === a.dst && d === a.src);
      })
      .reduce((s, f) => s + f.bytes_fwd + f.bytes_rev, 0);
    assert.equal(a.bytes, want, `${a.src} - ${a.dst}`);
  }
});
