import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { MAX_FILES, analyzeFiles } from './analyze-files.js';
import type { Progress } from './progress.js';
import { isPcaplensError } from '../shared/errors.js';

const fx = (name: string): string => fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));

test('several files: merged, per-file counts land on the right file even after a file that failed to open', async () => {
  const a = fx('arp-requests.pcap'); // 6 packets, tshark oracle
  const b = fx('vxlan-http.pcap'); // 12 packets
  const r = await analyzeFiles([a, fx('missing.pcap'), b]);
  assert.deepEqual(
    r.summary.files.map((f) => [f.format, f.packets, f.problems.map((p) => p.code)]),
    [
      ['pcap', 6, []],
      ['unknown', 0, ['E_NOT_FOUND']],
      ['pcap', 12, []],
    ],
  );
  assert.equal(r.summary.packets, 18);
  assert.equal(r.summary.bytes, r.summary.files[0]!.bytes + r.summary.files[2]!.bytes);
  assert.equal(r.summary.flows, r.flows.length);
  assert.equal(r.summary.problems.length, 1);
  assert.ok(r.summary.first_ts! <= r.summary.last_ts!);
  assert.deepEqual(r.summary.files[0]!.link_types, [1]);
});

test('pcapng with several interfaces lists each link type once', async () => {
  const r = await analyzeFiles([fx('pcapng-le-comments-two-linktypes.pcapng')]);
  assert.deepEqual(r.summary.files[0]!.link_types, [1, 113]);
  assert.equal(r.summary.files[0]!.format, 'pcapng');
});

test('a broken file keeps its good packets and names the fault with its offset', async () => {
  const r = await analyzeFiles([fx('broken-corrupt-record-midfile-smtp.pcap')]);
  assert.equal(r.summary.packets, 18); // tshark reads the same 18 records
  const p = r.summary.problems[0]!;
  assert.equal(p.code, 'E_BAD_RECORD');
  assert.equal(p.offset, 3695);
});

test('nothing readable: the run fails with the first error', async () => {
  await assert.rejects(
    analyzeFiles([fx('missing.pcap')]),
    (e) => isPcaplensError(e) && e.code === 'E_NOT_FOUND',
  );
  await assert.rejects(
    analyzeFiles([fx('README.md')]),
    (e) => isPcaplensError(e) && e.code === 'E_NOT_CAPTURE',
  );
  await assert.rejects(analyzeFiles([]), (e) => isPcaplensError(e) && e.code === 'E_USAGE');
  const many = new Array<string>(MAX_FILES + 1).fill(fx('arp-requests.pcap'));
  await assert.rejects(analyzeFiles(many), (e) => isPcaplensError(e) && e.code === 'E_LIMIT');
});

test('an empty but valid capture is not an error', async () => {
  const r = await analyzeFiles([fx('pcap-empty-header-only.pcap')]);
  assert.equal(r.summary.packets, 0);
  assert.equal(r.summary.first_ts, null);
  assert.deepEqual(r.summary.problems, []);
});

test('onFlow streams the flows instead of returning them; the last progress event is final', async () => {
  const streamed: number[] = [];
  const events: Progress[] = [];
  const r = await analyzeFiles([fx('dns-edns-ecs-ipv4-fragments.pcap')], {
    onFlow: (f) => streamed.push(f.id),
    onProgress: (p) => events.push(p),
  });
  assert.equal(r.flows.length, 0);
  assert.equal(streamed.length, r.summary.flows);
  assert.deepEqual(
    [...streamed].sort((x, y) => x - y),
    Array.from({ length: streamed.length }, (_, i) => i + 1),
  );
  const last = events.at(-1)!;
  assert.equal(last.done, true);
  assert.equal(last.packets, r.summary.packets);
  assert.equal(last.bytesRead, last.bytesTotal);
});

test('an aborted run stops with the abort reason', async () => {
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(analyzeFiles([fx('arp-requests.pcap')], { signal: ac.signal }), {
    name: 'AbortError',
  });
});
