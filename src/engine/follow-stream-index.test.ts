import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_DIR } from '../../test/golden/paths.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { followStream, followStreamByIndex, followStreamByScan } from './follow-stream.js';
import { ingestFiles } from './ingest.js';

/**
 * Follow stream of a stored capture reads only the flow's frames, by their offsets in the packet index; its
 * answer must equal the scan's (the capture read from the start through the import's pipeline, the previous
 * implementation) for every flow, direction and byte limit, on several corpus captures.
 */
const CORPUS = new URL('../../../shared/corpus/', import.meta.url).pathname;
const CAPTURES = [
  join(FIXTURE_DIR, 'tcp-retransmissions-http.pcap'),
  join(FIXTURE_DIR, 'null-loopback-http-download.pcap'),
  ...[
    'http-browsing-bro-org.pcap',
    'pcapxray-sample-mixed.pcap',
    'dns-many-types.pcap',
    'imap-login.pcap',
    'smb2-file-transfer.pcap',
    'pcapng-le-comments-two-linktypes.pcapng',
    'dns-edns-ecs-ipv4-fragments.pcap',
    'pppoe-over-qinq-tls.pcap',
  ]
    .map((f) => join(CORPUS, f))
    .filter((p) => existsSync(p)),
];
/** flows checked per capture at most (heaviest first) */
const FLOWS = 25;

let dir: string;
let store: Store;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pcaplens-follow-index-'));
  store = await openStore(undefined, dir);
});

after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test('by the packet index: the same chunks as the scan, for every flow, direction and limit', async () => {
  let byIndex = 0;
  let checked = 0;
  for (const path of CAPTURES) {
    const capture = await ingestFiles(store, dir, [path]);
    const source = { store, dataDir: dir, captureId: capture.id };
    const flows = await store.page('flows', {
      captureId: capture.id,
      sort: [{ column: 'bytes', desc: true }],
      limit: FLOWS,
    });
    for (const f of flows.rows) {
      const variants = [{}, { direction: 'rev' as const }, { maxBytes: 700 }, { maxBytes: 0 }];
      for (const opts of variants) {
        const scan = await followStreamByScan({ paths: [path] }, f.id, opts);
        const indexed = await followStreamByIndex(source, f.id, opts);
        if (indexed) {
          byIndex++;
          assert.deepEqual(indexed, scan, `${path} flow ${f.id} ${JSON.stringify(opts)}`);
        }
        // whichever way it took, the public answer is the scan's
        assert.deepEqual(await followStream(source, f.id, opts), scan, `${path} flow ${f.id}`);
        checked++;
      }
    }
  }
  console.log(`follow stream: ${byIndex} of ${checked} answers by the packet index`);
  assert.ok(checked > 100, `checked ${checked}`);
  // classic pcap files of untunnelled flows take the index path
  assert.ok(byIndex > checked / 2, `${byIndex} of ${checked} by the index`);
});

test('by the packet index: an unknown flow is E_NOT_FOUND, a tunnelled one falls back to the scan', async () => {
  const path = join(FIXTURE_DIR, 'tcp-retransmissions-http.pcap');
  const capture = await ingestFiles(store, dir, [path]);
  const source = { store, dataDir: dir, captureId: capture.id };
  await assert.rejects(followStream(source, 99999), { code: 'E_NOT_FOUND' });
  const inner = existsSync(join(CORPUS, 'pppoe-over-qinq-tls.pcap'))
    ? await ingestFiles(store, dir, [join(CORPUS, 'pppoe-over-qinq-tls.pcap')])
    : null;
  if (!inner) return;
  const all = await store.page('flows', { captureId: inner.id, limit: 10000 });
  const t = all.rows.find((f) => (f.tunnel_depth ?? 0) > 0);
  if (!t) return;
  const s2 = { store, dataDir: dir, captureId: inner.id };
  assert.equal(await followStreamByIndex(s2, t.id), null);
});
