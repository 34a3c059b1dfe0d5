/**
 * Test helper (distributed.test.ts): a worker that takes one range job, stages part of its rows, says
 * "staged" and then hangs, as a worker does that dies mid-job. The test SIGKILLs it.
 */
import { Worker, type Job } from 'bullmq';
import { ClickHouseStore } from '../../store/clickhouse/clickhouse-store.js';
import { StageWriter } from '../../store/clickhouse/stage-writer.js';
import type { RangeJobData } from './jobs.js';
import { redisConnection } from './queue.js';
import { analyzeRange } from './range-analyze.js';

const store = await ClickHouseStore.open(process.env.CH_URL!);
const worker = new Worker(
  process.env.QUEUE!,
  async (job: Job) => {
    if (job.name !== 'range') return new Promise(() => {});
    const d = job.data as RangeJobData;
    const w = new StageWriter(store.ctx, d.captureId, d.job, 'stuck-attempt');
    await analyzeRange(
      d.paths,
      {
        packets: (rows) => w.write('packets', rows as never),
        flows: (rows) => w.write('flows', rows as never),
        app: (table, rows, keys) => w.writeApp(table, rows, keys),
        hosts: async () => {
          await w.close();
          process.stdout.write('staged\n');
          await new Promise(() => {});
        },
      },
      { job: d.job, jobs: d.jobs },
    );
  },
  {
    connection: redisConnection(process.env.REDIS_URL!),
    concurrency: 1,
    lockDuration: 2000,
    stalledInterval: 1000,
  },
);
await worker.waitUntilReady();
