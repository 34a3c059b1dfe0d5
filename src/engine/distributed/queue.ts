/**
 * Distributed ingest over BullMQ on Redis: `runWorker` takes range and finish jobs (jobs.ts) for a
 * ClickHouse store; `importViaQueue` splits a capture into one job per hash range of conversations, waits
 * for all of them while reporting the progress of every worker, and returns the capture row. A job that
 * fails after its retries fails the capture: it is reported, its staged rows are dropped, and running the
 * import again starts it afresh.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { FlowProducer, QueueEvents, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { PcaplensError } from '../../shared/errors.js';
import type { CaptureRow } from '../../shared/store-rows.js';
import { ClickHouseStore, newCaptureId } from '../../store/clickhouse/clickhouse-store.js';
import { dropCaptureRows } from '../../store/clickhouse/finalize.js';
import { openCapture } from '../../wire/open.js';
import type { Progress } from '../progress.js';
import { openFileSource } from '../sources/file-source.js';
import { runFinishJob, runRangeJob, type FinishJobData, type RangeJobData } from './jobs.js';

export const DEFAULT_QUEUE = 'pcaplens-ingest';

/** redis://host:port[/db] to BullMQ connection options. */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new PcaplensError('E_USAGE', `bad queue URL ${JSON.stringify(url)} (redis://host:port)`);
  }
  if (u.protocol !== 'redis:')
    throw new PcaplensError('E_USAGE', `queue URL must be redis://, not ${u.protocol}`);
  const db = Number(u.pathname.replace(/^\//, '') || 0);
  return {
    host: u.hostname || '127.0.0.1',
    port: Number(u.port || 6379),
    db,
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    maxRetriesPerRequest: null,
  };
}

export interface WorkerOptions {
  queue: string;
  store: string;
  queueName?: string;
  /** jobs run at once in this process (default 1: a job is CPU-bound) */
  concurrency?: number;
  /** ms without a lock renewal after which another worker takes the job over (default 30 000) */
  lockDuration?: number;
  /** ms between checks for such stalled jobs (default 30 000) */
  stalledInterval?: number;
  log?: (line: string) => void;
}

export interface RunningWorker {
  worker: Worker;
  close(): Promise<void>;
}

export async function runWorker(o: WorkerOptions): Promise<RunningWorker> {
  const store = await ClickHouseStore.open(o.store);
  await store.migrate();
  const worker = new Worker(
    o.queueName ?? DEFAULT_QUEUE,
    async (job: Job) => {
      if (job.name === 'range') {
        const d = job.data as RangeJobData;
        const t0 = Date.now();
        let last = 0;
        const t = await runRangeJob(store, d, (read, total) => {
          const now = Date.now();
          if (now - last < 200 && read < total) return;
          last = now;
          void job.updateProgress({ read, total }).catch(() => {});
        });
        o.log?.(
          `capture ${d.captureId} range ${d.job + 1}/${d.jobs}: ${t.flows} flows, ${t.hosts} hosts in ${((Date.now() - t0) / 1000).toFixed(2)} s`,
        );
        return { flows: t.flows, hosts: t.hosts };
      }
      if (job.name === 'finish') {
        const t0 = Date.now();
        const id = await runFinishJob(store, job.data as FinishJobData);
        o.log?.(`capture ${id} finished in ${((Date.now() - t0) / 1000).toFixed(2)} s`);
        return { id };
      }
      throw new PcaplensError('E_USAGE', `unknown job ${job.name}`);
    },
    {
      connection: redisConnection(o.queue),
      concurrency: o.concurrency ?? 1,
      lockDuration: o.lockDuration ?? 30_000,
      stalledInterval: o.stalledInterval ?? 30_000,
      maxStalledCount: 2,
    },
  );
  worker.on('error', (e) => o.log?.(`worker error: ${e.message}`));
  await worker.waitUntilReady();
  return {
    worker,
    close: async () => {
      await worker.close();
      await store.close();
    },
  };
}

export interface QueueImportOptions {
  queue: string;
  store: string;
  queueName?: string;
  name?: string;
  /** hash ranges (jobs) to split the capture into (default 4) */
  jobs?: number;
  /** retries of each job after its first try (default 2) */
  retries?: number;
  force?: boolean;
  /** bytes read over all jobs out of all jobs' total, and jobs done */
  onProgress?: (p: { read: number; total: number; done: number; jobs: number }) => void;
  signal?: AbortSignal;
}

/** Queue progress as the engine's Progress (for the CLI's progress bar); flows are not known until the end. */
export function queueProgress(
  emit: (p: Progress) => void,
): (p: { read: number; total: number; done: number; jobs: number }) => void {
  const start = Date.now();
  return (p) => {
    const elapsedMs = Date.now() - start;
    const frac = p.total > 0 ? p.read / p.total : 0;
    emit({
      bytesRead: p.read,
      bytesTotal: p.total,
      packets: 0,
      flows: 0,
      elapsedMs,
      etaMs: frac > 0.02 ? Math.round((elapsedMs / frac) * (1 - frac)) : null,
      done: p.done === p.jobs,
    });
  };
}

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function formatOf(path: string): Promise<string> {
  const source = await openFileSource(path);
  try {
    const reader = await openCapture(source);
    const f = reader.format + (reader.compressed || source.compressed ? '+gzip' : '');
    await reader.close();
    return f;
  } finally {
    await source.close().catch(() => undefined);
  }
}

export async function importViaQueue(
  paths: string[],
  o: QueueImportOptions,
): Promise<CaptureRow & { existing?: boolean }> {
  if (paths.length === 0) throw new PcaplensError('E_USAGE', 'no capture file given');
  const abs = paths.map((p) => resolve(p));
  const files = [];
  for (let i = 0; i < abs.length; i++) {
    const st = await stat(abs[i]!).catch(() => null);
    if (!st?.isFile()) throw new PcaplensError('E_IO', `${paths[i]}: no such file`);
    files.push({
      file_index: i,
      name: paths[i]!,
      sha256: await sha256File(abs[i]!),
      size: st.size,
      format: await formatOf(abs[i]!),
      path: abs[i]!,
    });
  }
  const sha256 =
    files.length === 1
      ? files[0]!.sha256
      : createHash('sha256')
          .update(files.map((f) => f.sha256).join('\n'))
          .digest('hex');
  const store = await ClickHouseStore.open(o.store);
  await store.ensureSchema();
  if (!o.force) {
    const existing = await store.findCaptureBySha256(sha256);
    if (existing) return { ...existing, existing: true };
  }
  const jobs = Math.max(1, Math.min(256, o.jobs ?? 4));
  const captureId = newCaptureId();
  const meta = {
    name: o.name ?? (paths.length > 1 ? `${basename(paths[0]!)}+${paths.length - 1}` : basename(paths[0]!)),
    sha256,
    size: files.reduce((s, f) => s + f.size, 0),
    format: files.map((f) => f.format).join(','),
    link_types: [] as number[],
    files,
  };
  const queueName = o.queueName ?? DEFAULT_QUEUE;
  const connection = redisConnection(o.queue);
  const events = new QueueEvents(queueName, { connection });
  const producer = new FlowProducer({ connection });
  const attempts = 1 + (o.retries ?? 2);
  const progress = new Map<string, { read: number; total: number }>();
  let done = 0;
  try {
    await events.waitUntilReady();
    const ids = new Map<string, number>();
    let finishId = '';
    let childFailure = '';
    const finished = new Promise<void>((ok, fail) => {
      events.on('progress', ({ jobId, data }) => {
        if (!ids.has(jobId) || typeof data !== 'object' || data === null) return;
        progress.set(jobId, data as { read: number; total: number });
        report();
      });
      events.on('completed', ({ jobId }) => {
        if (jobId === finishId) ok();
        else if (ids.has(jobId)) {
          done++;
          report();
        }
      });
      events.on('failed', ({ jobId, failedReason }) => {
        if (ids.has(jobId) && !childFailure)
          childFailure = `job ${(ids.get(jobId) ?? 0) + 1}/${jobs}: ${failedReason}`;
        if (jobId === finishId)
          fail(
            new PcaplensError(
              'E_STORE',
              `capture import failed (capture ${captureId}, nothing stored; run the import again to retry): ${childFailure || failedReason}`,
            ),
          );
      });
      o.signal?.addEventListener('abort', () => fail(o.signal!.reason), { once: true });
    });
    const report = () => {
      let read = 0;
      let total = 0;
      for (const p of progress.values()) {
        read += p.read;
        total += p.total;
      }
      o.onProgress?.({ read, total, done, jobs });
    };
    const tree = await producer.add({
      name: 'finish',
      queueName,
      data: { captureId, jobs, meta } satisfies FinishJobData,
      opts: { attempts, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: true },
      children: Array.from({ length: jobs }, (_, job) => ({
        name: 'range',
        queueName,
        data: { captureId, paths: abs, job, jobs } satisfies RangeJobData,
        opts: {
          attempts,
          backoff: { type: 'fixed', delay: 500 },
          failParentOnFailure: true,
          removeOnComplete: true,
        },
      })),
    });
    finishId = tree.job.id!;
    for (const c of tree.children ?? []) ids.set(c.job.id!, (c.job.data as RangeJobData).job);
    await finished;
    const row = await store.getCapture(captureId);
    if (!row) throw new PcaplensError('E_STORE', `capture ${captureId} finished but is not visible`);
    return row;
  } catch (e) {
    // nothing of a failed capture stays (best effort: a shard that is down keeps its invisible part)
    await dropCaptureRows(store.ctx, captureId).catch(() => {});
    throw e;
  } finally {
    await producer.close().catch(() => {});
    await events.close().catch(() => {});
    await store.close();
  }
}
