#!/usr/bin/env node
/**
 * Load test of the web server (not part of npm test): `pcaplens serve` on 127.0.0.1 with a ~1 M-packet
 * capture stored, N API clients browsing the views' calls (captures list, summary, flows page sorted and
 * filtered, hosts, graph, histogram, top talkers, conversations, DNS/HTTP/TLS pages) while U uploads are
 * received and ingested. Bounded in time and in requests. Prints requests served, latency percentiles
 * overall and per call, errors, and the server's RSS (peak = VmHWM), and writes the figures as JSON.
 *
 *   npm run load -- [--clients 50] [--uploads 4] [--duration 60] [--max-requests 200000]
 *                   [--capture bench/data/half.pcap] [--data bench/out/load-data] [--dist]
 *                   [--upload-source CORPUS/pcapxray-sample-mixed.pcap]
 *   npm run load -- --cpu-prof DIR      (the server writes a V8 CPU profile into DIR when it stops)
 *   npm run load -- --upload-rss FILE   (only: the server's RSS while FILE is uploaded, then its job cancelled)
 *
 * The capture is imported once into the data directory (`pcaplens import`, before the server starts) and
 * reused by later runs. The uploads are distinct ~23 MB captures made from a corpus capture (copies shifted
 * in time), so none is recognised as already stored. The server runs from src through tsx, or from dist
 * with --dist (after npm run build). Targets: 0 errors, p95 < 300 ms.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openAsBlob, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = new URL('..', import.meta.url).pathname;
const { values: opt } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    uploads: { type: 'string', default: '4' },
    duration: { type: 'string', default: '60' },
    'max-requests': { type: 'string', default: '200000' },
    capture: { type: 'string', default: join(ROOT, 'bench/data/half.pcap') },
    data: { type: 'string', default: join(ROOT, 'bench/out/load-data') },
    dist: { type: 'boolean', default: false },
    'upload-rss': { type: 'string' },
    'cpu-prof': { type: 'string' },
    'upload-source': { type: 'string', default: join(ROOT, '../shared/corpus/pcapxray-sample-mixed.pcap') },
  },
});
const CLIENTS = Number(opt.clients);
const UPLOADS = Number(opt.uploads);
const DURATION_MS = Number(opt.duration) * 1000;
const MAX_REQUESTS = Number(opt['max-requests']);
const DATA = opt.data;
const UPLOAD_SOURCE = opt['upload-source'];

/** The CLI as a child: dist (built) or src through tsx. */
function cli(args, stdio, nodeArgs = []) {
  const argv = opt.dist
    ? [...nodeArgs, join(ROOT, 'bin/pcaplens.js'), ...args]
    : [...nodeArgs, '--import', 'tsx', join(ROOT, 'test/crash/cli-child.ts'), ...args];
  return spawn(process.execPath, argv, { cwd: ROOT, stdio });
}

function rssOf(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds per thread name of a process (utime + stime of each /proc/PID/task entry). */
function threadCpu(pid) {
  const out = {};
  let tasks = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const name = t === String(pid) ? 'main (JS)' : /\((.*)\)/.exec(stat)[1].replace(/[\d-]+$/, '');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[name] = +((out[name] ?? 0) + (Number(f[11]) + Number(f[12])) / 100).toFixed(2);
    } catch {
      // the thread ended
    }
  }
  return out;
}

const pct = (sorted, p) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
const mb = (b) => (b / 1024 / 1024).toFixed(0);

/** Imports the capture once; returns its id (kept in DATA/load-capture.json). */
async function ensureCapture() {
  const marker = join(DATA, 'load-capture.json');
  if (existsSync(marker)) return JSON.parse(readFileSync(marker, 'utf8')).id;
  mkdirSync(DATA, { recursive: true });
  console.error(`load: importing ${opt.capture} into ${DATA} (once)`);
  const t0 = Date.now();
  const p = cli(['import', '--data', DATA, opt.capture], ['ignore', 'pipe', 'inherit']);
  let out = '';
  p.stdout.on('data', (d) => (out += d));
  const code = await new Promise((r) => p.on('exit', r));
  if (code !== 0) throw new Error(`import failed (${code})`);
  const id = Number(out.trim().split('\n').pop());
  writeFileSync(marker, JSON.stringify({ id, capture: opt.capture, import_s: (Date.now() - t0) / 1000 }));
  return id;
}

async function startServer() {
  // --cpu-prof DIR: the server writes a V8 CPU profile there when it exits
  const nodeArgs = opt['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', opt['cpu-prof']] : [];
  const p = cli(['serve', '--port', '0', '--data', DATA], ['ignore', 'ignore', 'pipe'], nodeArgs);
  let err = '';
  const base = await new Promise((resolve, reject) => {
    p.stderr.on('data', (d) => {
      err += d;
      const m = /serving (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]);
    });
    p.on('exit', (c) => reject(new Error(`serve exited (${c}): ${err}`)));
  });
  return { p, base, stderr: () => err };
}

/** Distinct upload files (different copy counts give different content). */
function makeUploads(dir) {
  mkdirSync(dir, { recursive: true });
  const src = readFileSync(UPLOAD_SOURCE);
  const recs = [];
  let first = -1;
  let last = 0;
  for (let off = 24; off + 16 <= src.length;) {
    const sec = src.readUInt32LE(off);
    const len = 16 + src.readUInt32LE(off + 8);
    if (first < 0) first = sec;
    last = Math.max(last, sec);
    recs.push(src.subarray(off, off + len));
    off += len;
  }
  const span = last - first + 1;
  const files = [];
  for (let u = 0; u < UPLOADS; u++) {
    const path = join(dir, `upload-${u}.pcap`);
    const copies = 40 + u;
    if (!existsSync(path)) {
      const parts = [src.subarray(0, 24)];
      for (let c = 0; c < copies; c++)
        for (const r of recs) {
          const b = Buffer.from(r);
          b.writeUInt32LE(b.readUInt32LE(0) + c * span, 0);
          parts.push(b);
        }
      writeFileSync(path, Buffer.concat(parts));
    }
    files.push({ path, packets: recs.length * copies });
  }
  return files;
}

/** One upload the way the page sends it, then its SSE stream to the end; returns timings and outcome. */
async function uploadOne(base, file, t0) {
  const form = new FormData();
  form.append('file', await openAsBlob(file.path), file.path.split('/').pop());
  const started = performance.now();
  const r = await fetch(`${base}/api/captures`, { method: 'POST', body: form });
  const accepted = performance.now();
  if (r.status !== 202) return { file: file.path, status: r.status, error: await r.text() };
  const job = (await r.json()).jobs[0];
  const res = await fetch(`${base}/api/captures/${job.id}/events`);
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body) {
    buf += decoder.decode(chunk, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      if (event && event !== 'progress') {
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}');
        return {
          file: file.path.split('/').pop(),
          status: 202,
          outcome: event,
          packets: data.capture?.packets ?? null,
          expected_packets: file.packets,
          upload_ms: Math.round(accepted - started),
          done_at_s: Number(((performance.now() - t0) / 1000).toFixed(1)),
          error: data.error ?? null,
        };
      }
    }
  }
  return { file: file.path, status: 202, outcome: 'stream ended' };
}

/** The calls a user's browsing makes, varied per step. */
function browseCalls(id, facts, step) {
  const filters = ['', 'tcp', 'udp', 'tcp.port == 443', 'app == "dns"', `ip.addr == ${facts.host}`];
  const f = filters[step % filters.length];
  const q = (params) => {
    const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined));
    return s.size ? `?${s}` : '';
  };
  const sorts = ['-bytes', 'first_ts', '-packets', 'src_ip'];
  return [
    ['captures', '/api/captures'],
    ['summary', `/api/captures/${id}/summary${q({ filter: f })}`],
    [
      'flows',
      `/api/captures/${id}/flows${q({ filter: f, sort: sorts[step % 4], limit: 100, offset: (step % 5) * 100 })}`,
    ],
    ['hosts', `/api/captures/${id}/hosts${q({ sort: '-bytes_sent', limit: 100 })}`],
    ['graph', `/api/captures/${id}/graph${q({ filter: f, limit: 2000 })}`],
    ['histogram', `/api/captures/${id}/histogram${q({ filter: f, bins: 200 })}`],
    ['top', `/api/captures/${id}/top${q({ filter: f, n: 10 })}`],
    ['conversations', `/api/captures/${id}/conversations${q({ filter: f, limit: 100 })}`],
    ['dns', `/api/captures/${id}/dns${q({ limit: 100, offset: (step % 3) * 100 })}`],
    ['http', `/api/captures/${id}/http${q({ limit: 100 })}`],
    ['tls', `/api/captures/${id}/tls${q({ limit: 100 })}`],
  ];
}

/** The server's RSS while one large file streams in (bounded memory: the upload goes to disk). */
async function uploadRss(file) {
  mkdirSync(DATA, { recursive: true });
  const server = await startServer();
  const pid = server.p.pid;
  try {
    const idle = rssOf(pid, 'VmRSS');
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid, 'VmRSS') ?? 0)), 100);
    const form = new FormData();
    form.append('file', await openAsBlob(file), file.split('/').pop());
    const t0 = performance.now();
    const r = await fetch(`${server.base}/api/captures`, { method: 'POST', body: form });
    const ms = performance.now() - t0;
    clearInterval(sampler);
    const body = await r.json();
    for (const j of body.jobs ?? []) await fetch(`${server.base}/api/captures/${j.id}`, { method: 'DELETE' });
    const size = (await openAsBlob(file)).size;
    console.log(
      JSON.stringify({
        file,
        size_mb: +mb(size),
        status: r.status,
        upload_s: +(ms / 1000).toFixed(1),
        rss_idle_mb: +mb(idle),
        rss_peak_during_upload_mb: +mb(peak),
      }),
    );
  } finally {
    server.p.kill('SIGINT');
    await new Promise((r) => (server.p.exitCode !== null ? r() : server.p.on('exit', r)));
  }
}

async function main() {
  if (opt['upload-rss']) return uploadRss(opt['upload-rss']);
  const id = await ensureCapture();
  const uploads = makeUploads(join(ROOT, 'bench/out/load-uploads'));
  const server = await startServer();
  const pid = server.p.pid;
  const base = server.base;
  const load0 = loadavg();
  const rssIdle = rssOf(pid, 'VmRSS');
  console.error(`load: server ${base} (pid ${pid}), capture ${id}, RSS ${mb(rssIdle)} MB`);
  try {
    // uploads of an earlier run are deleted, or these would be recognised as stored and not ingested
    const listed = await (await fetch(`${base}/api/captures`)).json();
    for (const c of listed.captures)
      if (/^upload-\d+\.pcap$/.test(c.name))
        await fetch(`${base}/api/captures/${c.id}`, { method: 'DELETE' });
    // a busy host for the address filter, and a first summary (warms what a user's first view warms)
    const top = await (await fetch(`${base}/api/captures/${id}/top?n=1`)).json();
    const facts = { host: top.talkers?.[0]?.ip ?? top[0]?.ip ?? top.rows?.[0]?.ip ?? '10.0.0.1' };
    await fetch(`${base}/api/captures/${id}/summary`);

    const t0 = performance.now();
    const deadline = t0 + DURATION_MS;
    const samples = [];
    let peakSampled = 0;
    const sampler = setInterval(() => {
      const r = rssOf(pid, 'VmRSS');
      if (r) {
        samples.push({ t: Number(((performance.now() - t0) / 1000).toFixed(1)), rss: r });
        peakSampled = Math.max(peakSampled, r);
      }
    }, 250);

    const uploadRuns = uploads.map((u) => uploadOne(base, u, t0));
    const lat = new Map();
    /** latencies per 5 s of the run (by start time): is the tail at the start (nothing remembered), or later? */
    const windows = [];
    const errors = [];
    let requests = 0;
    const client = async (c) => {
      for (let step = c; performance.now() < deadline && requests < MAX_REQUESTS; step++) {
        for (const [name, path] of browseCalls(id, facts, step)) {
          if (performance.now() >= deadline || requests >= MAX_REQUESTS) return;
          requests++;
          const s = performance.now();
          try {
            const r = await fetch(base + path);
            await r.arrayBuffer();
            if (r.status !== 200) errors.push({ name, path, status: r.status });
          } catch (e) {
            errors.push({ name, path, error: String(e) });
          }
          const ms = performance.now() - s;
          (lat.get(name) ?? lat.set(name, []).get(name)).push(ms);
          const w = Math.floor((s - t0) / 5000);
          (windows[w] ??= []).push(ms);
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    const elapsed = (performance.now() - t0) / 1000;
    const loadEnd = loadavg();
    // the uploads finish (their ingest may outlast the browsing)
    const uploadResults = await Promise.all(uploadRuns);
    clearInterval(sampler);
    const peak = rssOf(pid, 'VmHWM');
    const cpu = threadCpu(pid);

    const all = [...lat.values()].flat().sort((a, b) => a - b);
    const perCall = Object.fromEntries(
      [...lat.entries()].map(([k, xs]) => {
        const s = [...xs].sort((a, b) => a - b);
        return [
          k,
          {
            n: s.length,
            p50: +pct(s, 0.5).toFixed(1),
            p95: +pct(s, 0.95).toFixed(1),
            p99: +pct(s, 0.99).toFixed(1),
            max: +s[s.length - 1].toFixed(1),
          },
        ];
      }),
    );
    const result = {
      date: new Date().toISOString(),
      duckdb_readers: Number(process.env.PCAPLENS_DUCKDB_READERS) || 'default',
      machine: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        mem_gb: +(totalmem() / 1024 ** 3).toFixed(1),
        node: process.version,
      },
      load_average_before: load0.map((x) => +x.toFixed(2)),
      load_average_after: loadEnd.map((x) => +x.toFixed(2)),
      clients: CLIENTS,
      uploads: UPLOADS,
      duration_s: +elapsed.toFixed(1),
      requests: all.length,
      requests_per_s: +(all.length / elapsed).toFixed(1),
      errors: errors.length,
      error_samples: errors.slice(0, 10),
      latency_ms: {
        p50: +pct(all, 0.5).toFixed(1),
        p95: +pct(all, 0.95).toFixed(1),
        p99: +pct(all, 0.99).toFixed(1),
        max: +all[all.length - 1].toFixed(1),
      },
      per_call: perCall,
      per_5s: windows.map((xs, i) => {
        const s = [...(xs ?? [])].sort((a, b) => a - b);
        return { from_s: i * 5, n: s.length, p50: +pct(s, 0.5).toFixed(1), p95: +pct(s, 0.95).toFixed(1) };
      }),
      server_rss_mb: { idle: +mb(rssIdle), peak_sampled: +mb(peakSampled), peak_vmhwm: +mb(peak ?? 0) },
      server_cpu_s_by_thread: cpu,
      rss_samples: samples.filter((_, i) => i % 8 === 0).map((s) => [s.t, +mb(s.rss)]),
      upload_results: uploadResults,
    };
    const out = join(ROOT, `bench/out/load-${result.date.slice(0, 19).replace(/:/g, '')}.json`);
    writeFileSync(out, JSON.stringify(result, null, 2));
    console.log(JSON.stringify({ ...result, rss_samples: undefined }, null, 2));
    console.error(`load: figures in ${out}`);
    process.exitCode = errors.length ? 1 : 0;
  } finally {
    server.p.kill('SIGINT');
    await new Promise((r) => (server.p.exitCode !== null ? r() : server.p.on('exit', r)));
  }
}

await main();
