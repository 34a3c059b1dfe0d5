/** Worker thread of hashFileOffThread (hash-file.ts): the SHA-256 of one file, posted back. */
import { parentPort, workerData } from 'node:worker_threads';
import { hashFile } from '../../store/capture-files.js';
import { settleWorker } from './worker-thread.js';

const port = parentPort!;
settleWorker(
  port,
  hashFile((workerData as { path: string }).path).then((r) => port.postMessage({ t: 'done', ...r })),
);
