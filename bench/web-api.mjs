#!/usr/bin/env node
/**
 * Web API benchmark (not a test): uploads a large capture to the web app on 127.0.0.1 the way the page does
 * (multipart POST, then progress over SSE), times upload start -> first view (the summary answered), then
 * times every view's API call, each repeated, under the default filter and under a narrow one (the busiest
 * host, within a time window), and prints p50/p95 per call.
 *
 *   node --import tsx bench/web-api.mjs [capture] [--reps 15] [--store duckdb|postgres://...]
 *   node --import tsx bench/web-api.mjs --data DIR --id N   (a capture already stored in DIR: no upload)
 *
 * Each call's first run (`first`: nothing remembered yet) is reported apart from the repeated runs.
 *
 * capture defaults to /tmp/big200.pcap, then bench/data/half.pcap. Target: p95 < 150 ms for every call.
 */
import { existsSync, openAsBlob, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestFiles } from '../src/engine/ingest.ts';
import { buildApp } from '../src/server/app.ts';
import { openStore } from '../src/store/open.ts';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reps: { type: 'string', default: '15' },
    store: { type: 'string' },
    data: { type: 'string' },
    id: { type: 'string' },
  },
});
const REPS = Number(opt.reps);
const file =
  positionals[0] ??
  ['/tmp/big200.pcap', new URL('data/half.pcap', import.meta.url).pathname].find(existsSync);
if (!file) throw new Error('no capture: give one, or make /tmp/big200.pcap or bench/data/half.pcap');

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};

async function waitJob(base, jobId) {
  const res = await fetch(`${base}/api/captures/${jobId}/events`);
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event === 'done') return JSON.parse(data);
      if (event === 'failed' || event === 'cancelled') throw new Error(`${event}: ${data}`);
    }
  }
  throw new Error('event stream ended');
}

/** Uploads the capture the way the page does, waits for its ingest, times the first view; returns its id. */
async function uploadAndWait(base) {
  const size = statSync(file).size;
  console.log(`capture ${file} (${(size / 1e6).toFixed(0)} MB),  ${REPS} runs per call`);
  const t0 = performance.now();
  const form = new FormData();
  form.append('file', await openAsBlob(file), basename(file));
  const up = await fetch(`${base}/api/captures`, { method: 'POST', body: form });
  if (up.status !== 202) throw new Error(`upload: ${up.status} ${await up.text()}`);
  const uploadMs = performance.now() - t0;
  const job = (await up.json()).jobs[0];
  const done = await waitJob(base, job.id);
  const ingestMs = performance.now() - t0;
  const id = done.capture?.id ?? done.job?.capture_id;
  const first = await fetch(`${base}/api/captures/${id}/summary`);
  await first.json();
  const firstViewMs = performance.now() - t0;
  console.log(
    `upload ${(uploadMs / 1000).toFixed(1)} s, ingest done ${(ingestMs / 1000).toFixed(1)} s, ` +
      `first view ${(firstViewMs / 1000).toFixed(1)} s after upload start ` +
      `(${(await (await fetch(`${base}/api/captures/${id}`)).json()).packets} packets, ${(((size / 1e6) * 1000) / ingestMs).toFixed(1)} MB/s end to end)`,
  );

  return id;
}

async function main() {
  const dir = opt.data ?? (await mkdtemp(join(tmpdir(), 'pcaplens-bench-api-')));
  const store = await openStore(opt.store, dir);
  const { app } = await buildApp({ store, dataDir: dir, ingest: ingestFiles, uiDir: null });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const id = opt.id ? Number(opt.id) : await uploadAndWait(base);
    const capture = await (await fetch(`${base}/api/captures/${id}`)).json();
    if (opt.id)
      console.log(`stored capture ${id} in ${dir}: ${capture.packets} packets, ${REPS} runs per call`);

    const top = await (await fetch(`${base}/api/captures/${id}/top?n=1`)).json();
    const host = top[0].ip;
    const flow = (await (await fetch(`${base}/api/captures/${id}/flows?sort=-bytes&limit=1`)).json()).rows[0];
    const narrow = new URLSearchParams({
      filter: `ip.addr == ${host}`,
      from: '+60s',
      to: '+600s',
    }).toString();
    const calls = [
      'summary',
      'histogram',
      'graph?layer=3&limit=3000',
      'graph?layer=3&limit=3000&group=subnet',
      'graph?layer=4&limit=3000',
      'top?n=10',
      'conversations',
      'treemap',
      'chord',
      'geo',
      'parallel',
      'flows?limit=100',
      'flows?limit=100&sort=-bytes',
      'hosts?limit=100&sort=-bytes_sent',
      'packets?limit=100',
      'dns?limit=100',
      'http?limit=100',
      'tls?limit=100',
      'files?limit=100',
      'alerts?limit=100',
    ];
    const drill = [`packets/${Math.min(capture.packets, 1000)}`, `flows/${flow.id}/stream?max_bytes=65536`];
    const rows = [];
    let worst = 0;
    for (const [scope, extra] of [
      ['default', ''],
      ['narrow', narrow],
    ]) {
      for (const c of scope === 'default' ? [...calls, ...drill] : calls) {
        const url = `${base}/api/captures/${id}/${c}${extra ? (c.includes('?') ? '&' : '?') + extra : ''}`;
        const times = [];
        let status = 0;
        let first = 0;
        for (let i = 0; i < REPS + 1; i++) {
          const s = performance.now();
          const r = await fetch(url);
          await r.arrayBuffer();
          status = r.status;
          if (i > 0) times.push(performance.now() - s);
          else first = performance.now() - s; // nothing remembered yet
        }
        const p95 = pct(times, 0.95);
        worst = Math.max(worst, p95);
        rows.push({ scope, call: c, status, first, p50: pct(times, 0.5), p95 });
      }
    }
    console.log('| filter | call | status | first ms | p50 ms | p95 ms |');
    console.log('|---|---|---:|---:|---:|---:|');
    for (const r of rows)
      console.log(
        `| ${r.scope} | \`${r.call}\` | ${r.status} | ${r.first.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} |`,
      );
    const slow = rows.filter((r) => r.p95 >= 150);
    console.log(
      slow.length
        ? `target p95 < 150 ms: NOT met by ${slow.length} calls (worst ${worst.toFixed(0)} ms)`
        : `target p95 < 150 ms: met (worst ${worst.toFixed(0)} ms)`,
    );
    console.log(`narrow filter: ${narrow}`);
  } finally {
    await app.close();
    await store.close();
    if (!opt.data) await rm(dir, { recursive: true, force: true });
  }
}

await main();
