/** One ingest worker for bench/clickhouse.ts: `npx tsx bench/clickhouse-worker.ts STORE_URL QUEUE_NAME`. */
import { runWorker } from '../src/engine/distributed/queue.js';

const [store, queueName] = process.argv.slice(2);
const w = await runWorker({
  queue: process.env.REDIS ?? 'redis://127.0.0.1:6379',
  store: store!,
  queueName: queueName!,
  log: (l) => process.stderr.write(`[worker ${process.pid}] ${l}\n`),
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void w.close().then(() => process.exit(0));
});
