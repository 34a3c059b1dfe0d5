import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open.js';
import { analyzeFiles } from './analyze-files.js';
import { ingestFiles } from './ingest.js';
import { APP_TABLES } from './app-tables.js';

const fixtures = new URL('../../test/fixtures/', import.meta.url).pathname;
const vxlan = join(fixtures, 'vxlan-http.pcap');
const retrans = join(fixtures, 'tcp-retransmissions-http.pcap');

async function withStore(fn: (store: Awaited<ReturnType<typeof openStore>>, dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-ingest-'));
  const store = await openStore(undefined, dir);
  try {
    await fn(store, dir);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('a stored capture gives the same flows, hosts and packet index as a direct run', async () => {
  await withStore(async (store, dir) => {
    const direct = await analyzeFiles([retrans]);
    const row = await ingestFiles(store, dir, [retrans]);
    assert.equal(row.packets, 108); // tshark: 108 frames
    assert.equal(row.format, 'pcap');
    assert.deepEqual(row.link_types, [1]);
    assert.equal(row.status, 'complete');
    const flows = await store.page('flows', { captureId: row.id, limit: 1000, sort: [{ column: 'id' }] });
    assert.equal(flows.total, direct.flows.length);
    assert.deepEqual(
      flows.rows.map((f) => [
        f.id,
        f.src_ip,
        f.src_port,
        f.dst_ip,
        f.dst_port,
        f.packets_fwd,
        f.bytes_fwd,
        f.packets_rev,
        f.bytes_rev,
      ]),
      direct.flows.map((f) => [
        f.id,
        f.src_ip,
        f.src_port,
        f.dst_ip,
        f.dst_port,
        f.packets_fwd,
        f.bytes_fwd,
        f.packets_rev,
        f.bytes_rev,
      ]),
    );
    assert.equal(await store.countRows('hosts', { captureId: row.id }), direct.hosts.length);
    const packets = await store.page('packets', { captureId: row.id, limit: 1000, sort: [{ column: 'n' }] });
    assert.equal(packets.total, 108);
    assert.deepEqual(
      packets.rows.slice(0, 3).map((p) => p.n),
      [1, 2, 3],
    );
    // the first record's bytes start right after the 24-byte file header and its 16-byte record header
    assert.equal(packets.rows[0]!.file_offset, 40);
    assert.ok(packets.rows.every((p) => p.flow_id !== null && p.protocol === 'tcp'));
  });
});

test('tunnelled packets are indexed under their innermost conversation', async () => {
  await withStore(async (store, dir) => {
    const row = await ingestFiles(store, dir, [vxlan]);
    const flows = await store.page('flows', { captureId: row.id, limit: 100 });
    const inner = flows.rows.find((f) => f.proto === 'tcp');
    assert.ok(inner, 'the inner TCP conversation is stored');
    const packets = await store.page('packets', { captureId: row.id, limit: 100 });
    assert.equal(packets.total, 12);
    assert.ok(packets.rows.every((p) => p.flow_id === inner.id));
  });
});

test('re-importing the same content returns the stored capture; non-captures are refused and nothing is lost', async () => {
  await withStore(async (store, dir) => {
    const first = await ingestFiles(store, dir, [vxlan]);
    const again = await ingestFiles(store, dir, [vxlan]);
    assert.equal(again.id, first.id);
    assert.equal(again.existing, true);
    const junk = join(dir, 'not-a-capture.pcap');
    await writeFile(junk, 'hello, this is text and not a capture at all\n');
    await assert.rejects(ingestFiles(store, dir, [junk]), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'E_NOT_CAPTURE');
      assert.match(e.message, /not-a-capture\.pcap/);
      return true;
    });
    const list = await store.listCaptures();
    assert.deepEqual(
      list.map((c) => c.id),
      [first.id],
    );
    assert.equal(await store.countRows('packets', { captureId: first.id }), 12);
  });
});

test('an aborted import leaves no capture behind', async () => {
  await withStore(async (store, dir) => {
    const before = await ingestFiles(store, dir, [vxlan]);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await assert.rejects(ingestFiles(store, dir, [retrans], { signal: ac.signal }));
    const late = new AbortController();
    const run = ingestFiles(store, dir, [retrans], {
      signal: late.signal,
      batchRows: 1,
      onProgress: () => late.abort(new Error('stop mid-way')),
    });
    await assert.rejects(run);
    const list = await store.listCaptures();
    assert.deepEqual(
      list.map((c) => c.id),
      [before.id],
    );
  });
});

test('a stored capture gives the same application rows as a direct run, every table', async () => {
  const caps = [
    'dhcp-dora.pcap',
    'tcp-retransmissions-http.pcap',
    'sll2-tls13-sni.pcap',
    'ipv6-fragments-mdns.pcap',
  ];
  await withStore(async (store, dir) => {
    const seen = new Set<string>();
    for (const name of caps) {
      const path = join(fixtures, name);
      const direct = await analyzeFiles([path]);
      // batchRows 1: every row goes through its own write
      const row = await ingestFiles(store, dir, [path], { batchRows: 1 });
      for (const t of APP_TABLES) {
        const page = await store.page(t, { captureId: row.id, limit: 10_000 });
        assert.deepEqual(page.rows, direct[t], `${name} ${t}`);
        if (direct[t].length) seen.add(t);
      }
      const flows = await store.page('flows', { captureId: row.id, limit: 10_000, sort: [{ column: 'id' }] });
      assert.deepEqual(
        flows.rows.map((f) => [f.id, f.app, f.app_source]),
        direct.flows.map((f) => [f.id, f.app, f.app_source]),
      );
    }
    assert.deepEqual([...seen].sort(), ['dhcp', 'dns', 'files', 'http', 'tls']);
  });
});
