/**
 * What the crash tests share: the real `pcaplens serve` as a child process (through tsx, no build needed),
 * uploads over HTTP, ingest progress read from the SSE stream, and a snapshot of what the API says about a
 * stored capture (its row and the row count of every table), to compare before a crash and after restart.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TABLE_NAMES } from '../../src/shared/filter/index.js';
import { multipart } from '../../src/server/test-support.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures');
const CHILD = join(ROOT, 'test/crash/cli-child.ts');

export interface Server {
  proc: ChildProcess;
  /** http://127.0.0.1:PORT */
  base: string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `pcaplens serve --port 0 --data DIR` and resolves with its address once it listens. */
export async function startServer(dataDir: string): Promise<Server> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, 'serve', '--port', '0', '--data', dataDir, '--no-geo'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const base = await new Promise<string>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    void exit.then(({ code, signal }) => reject(new Error(`serve exited (${code ?? signal}): ${err}`)));
  });
  return { proc, base, stderr: () => err, exit };
}

/** Ctrl-C, as a user stops the server; resolves with its exit code. */
export async function stopServer(s: Server): Promise<number | null> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return s.proc.exitCode;
  s.proc.kill('SIGINT');
  return (await s.exit).code;
}

export interface JobView {
  id: string;
  state: string;
  capture_id: number | null;
  error: { code: string; message: string } | null;
}

export async function upload(base: string, files: { name: string; data: Uint8Array }[]): Promise<Response> {
  const { body, contentType } = multipart(files);
  return fetch(`${base}/api/captures`, {
    method: 'POST',
    body,
    headers: { 'content-type': contentType },
  });
}

/** Uploads and returns the queued jobs (asserting 202). */
export async function uploadJobs(
  base: string,
  files: { name: string; data: Uint8Array }[],
): Promise<JobView[]> {
  const r = await upload(base, files);
  const text = await r.text();
  assert.equal(r.status, 202, text);
  return (JSON.parse(text) as { jobs: JobView[] }).jobs;
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/**
 * Reads a job's SSE stream until its final event (returned), or until `stop` says so for a progress event
 * (that event is returned; the stream is dropped).
 */
export async function followJob(
  base: string,
  jobId: string,
  stop: (e: SseEvent) => boolean = () => false,
): Promise<SseEvent> {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/captures/${jobId}/events`, { signal: ac.signal });
  assert.equal(res.status, 200);
  const decoder = new TextDecoder();
  let buf = '';
  let last: SseEvent | null = null;
  try {
    for await (const chunk of res.body!) {
      buf += decoder.decode(chunk as Uint8Array, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!event || !data) continue;
        last = { event, data: JSON.parse(data) as Record<string, unknown> };
        if (event !== 'progress' || stop(last)) return last;
      }
    }
  } finally {
    ac.abort();
  }
  throw new Error(`event stream of ${jobId} ended after ${JSON.stringify(last)}`);
}

export async function getJson<T = Record<string, unknown>>(base: string, path: string): Promise<T> {
  const r = await fetch(`${base}${path}`);
  const text = await r.text();
  assert.equal(r.status, 200, `${path}: ${text}`);
  return JSON.parse(text) as T;
}

/** A stored capture as the API shows it: its row and how many rows each table holds for it. */
export async function snapshot(base: string, id: number): Promise<Record<string, unknown>> {
  const row = await getJson(base, `/api/captures/${id}`);
  const totals: Record<string, number> = {};
  for (const t of TABLE_NAMES)
    totals[t] = (await getJson<{ total: number }>(base, `/api/captures/${id}/${t}?limit=0`)).total;
  return { row, totals };
}

/**
 * A larger capture for killing an ingest half-way: `copies` back-to-back copies of a corpus capture's
 * records, each copy shifted past the previous one in time (classic little-endian pcap only).
 */
export function repeatCapture(src: string, out: string, copies: number): { packets: number; size: number } {
  const b = readFileSync(src);
  assert.equal(b.readUInt32LE(0), 0xa1b2c3d4, 'little-endian microsecond pcap expected');
  const records: Buffer[] = [];
  let first = -1;
  let last = 0;
  for (let off = 24; off + 16 <= b.length;) {
    const sec = b.readUInt32LE(off);
    const len = 16 + b.readUInt32LE(off + 8);
    if (first < 0) first = sec;
    last = Math.max(last, sec);
    records.push(b.subarray(off, off + len));
    off += len;
  }
  const span = last - first + 1;
  const parts: Buffer[] = [b.subarray(0, 24)];
  for (let c = 0; c < copies; c++) {
    for (const r of records) {
      const copy = Buffer.from(r);
      copy.writeUInt32LE(copy.readUInt32LE(0) + c * span, 0);
      parts.push(copy);
    }
  }
  const data = Buffer.concat(parts);
  writeFileSync(out, data);
  return { packets: records.length * copies, size: data.length };
}
