import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../engine/ingest.js';
import { openStore } from '../store/open.js';
import { buildApp } from './app.js';
import { multipart } from './test-support.js';

const FIXTURE = new URL('../../test/fixtures/tcp-retransmissions-http.pcap', import.meta.url);

/** Reads server-sent events until one of the final events; returns them in order. */
async function readEvents(url: string): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(String(res.headers.get('content-type')), /text\/event-stream/);
  const events: { event: string; data: Record<string, unknown> }[] = [];
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body!) {
    buf += decoder.decode(chunk as Uint8Array, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  return events;
}

test('a real server on 127.0.0.1: upload with fetch, progress over SSE, then the tables', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pcaplens-listen-'));
  const store = await openStore(undefined, dir);
  const { app } = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: null });
  try {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { body, contentType } = multipart([{ name: 'retrans.pcap', data: await readFile(FIXTURE) }]);
    const up = await fetch(`${address}/api/captures`, {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
    assert.equal(up.status, 202);
    const job = ((await up.json()) as { jobs: { id: string }[] }).jobs[0]!;
    const events = await readEvents(`${address}/api/captures/${job.id}/events`);
    const last = events.at(-1)!;
    assert.equal(last.event, 'done', JSON.stringify(events));
    const capture = last.data.capture as { id: number; packets: number };
    assert.equal(capture.packets, 108); // capinfos -c
    assert.ok(events.every((e) => e.event === 'progress' || e === last));
    const flows = (await (await fetch(`${address}/api/captures/${capture.id}/flows?limit=1000`)).json()) as {
      total: number;
    };
    assert.equal(flows.total, await store.countRows('flows', { captureId: capture.id }));
    assert.ok(flows.total > 0);
  } finally {
    await app.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
