import { DEFAULT_QUEUE, runWorker } from '../../engine/distributed/queue.js';
import { PcaplensError } from '../../shared/errors.js';
import { isClickHouseSpec } from '../../store/clickhouse/spec.js';
import { writeOut, type CliIo } from '../io.js';
import { parseCommand } from '../store-args.js';
import type { Command } from './command.js';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'take ingest jobs from a Redis queue into a ClickHouse cluster (distributed import)',
  help: `Usage: pcaplens worker --queue redis://HOST:6379 --store clickhouse://HOST:8123/DB?cluster=NAME&shards=... [options]

Runs until stopped (Ctrl-C): takes the jobs that 'pcaplens import --queue' splits a capture into (one per
range of conversations), reads the capture from the path the import gave (every worker must see the same
files at the same path), and stages its rows in the ClickHouse store; the last job of a capture moves them
into place and makes the capture visible. Start one or more workers per machine.

Options:
      --queue URL        Redis holding the queue (redis://127.0.0.1:6379)
      --store URL        the ClickHouse store (clickhouse://host:8123/db?cluster=NAME&shards=h1:8123,h2:8123)
      --queue-name NAME  BullMQ queue name (default ${DEFAULT_QUEUE})
      --concurrency N    jobs at once in this process (default 1; a job uses one core)
  -h, --help             this help
`,
  async run(argv: string[], io: CliIo): Promise<number> {
    const { values: v, positionals } = parseCommand(argv, 'worker', {
      queue: { type: 'string' },
      store: { type: 'string' },
      'queue-name': { type: 'string' },
      concurrency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (v.help) {
      await writeOut(io.stdout, this.help);
      return 0;
    }
    if (positionals.length)
      throw new PcaplensError('E_USAGE', `worker: unexpected argument '${positionals[0]}'`);
    if (!v.queue) throw new PcaplensError('E_USAGE', 'worker: --queue redis://HOST:PORT is required');
    if (!isClickHouseSpec(v.store))
      throw new PcaplensError('E_USAGE', 'worker: --store must be a clickhouse:// URL');
    const concurrency = v.concurrency === undefined ? 1 : Number(v.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
      throw new PcaplensError('E_USAGE', 'worker: --concurrency must be 1..64');
    const log = (line: string) => io.stderr.write(`pcaplens worker: ${line}\n`);
    const w = await runWorker({
      queue: v.queue,
      store: v.store,
      concurrency,
      log,
      ...(v['queue-name'] ? { queueName: v['queue-name'] } : {}),
    });
    log(`waiting for jobs on ${v['queue-name'] ?? DEFAULT_QUEUE}`);
    await new Promise<void>((resolve) => {
      if (io.signal?.aborted) resolve();
      io.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    await w.close();
    return 0;
  },
};
