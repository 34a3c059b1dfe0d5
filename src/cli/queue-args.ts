/**
 * --queue, --jobs and --queue-name of the commands that hand ingest to `pcaplens worker` processes (import,
 * serve): checked once, the same way for both.
 */
import type { QueueImportOptions } from '../engine/distributed/queue.js';
import { PcaplensError } from '../shared/errors.js';

export interface QueueValues {
  queue?: string;
  jobs?: string;
  'queue-name'?: string;
  store?: string;
}

/** The queue settings of the command line, or null without --queue. */
export function queueSettings(
  v: QueueValues,
  verb: string,
): Pick<QueueImportOptions, 'queue' | 'store' | 'jobs' | 'queueName'> | null {
  if (v.queue && !/^clickhouse:\/\//i.test(v.store ?? ''))
    throw new PcaplensError('E_USAGE', `${verb}: --queue needs --store clickhouse://...`);
  if (v.jobs !== undefined && !(v.queue && /^\d{1,3}$/.test(v.jobs) && Number(v.jobs) >= 1))
    throw new PcaplensError('E_USAGE', `${verb}: --jobs takes 1..256 and goes with --queue`);
  if (!v.queue) return null;
  return {
    queue: v.queue,
    store: v.store ?? '',
    jobs: v.jobs === undefined ? undefined : Number(v.jobs),
    queueName: v['queue-name'],
  };
}
