/**
 * The SHA-256 of a kept capture copy on a thread of its own (hash-file-worker.ts): a large import names its
 * copy while the copy is already being decoded, instead of reading the whole file once more before it starts
 * (~1 s per GiB on the critical path). The hash uses a core only where the decoding and writing threads leave
 * it idle.
 */
import { Worker } from 'node:worker_threads';
import { PcaplensError, type ErrorCode } from '../../shared/errors.js';
import { workerEntry, type WorkerError } from './worker-thread.js';

type HashMessage = { t: 'done'; sha256: string; size: number } | WorkerError;

export function hashFileOffThread(path: string): Promise<{ sha256: string; size: number }> {
  const entry = workerEntry(import.meta.url, 'hash-file-worker');
  const worker = new Worker(entry.src, { workerData: { path }, eval: entry.eval });
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: HashMessage) => {
      settled = true;
      if (m.t === 'done') resolve({ sha256: m.sha256, size: m.size });
      else reject(m.code ? new PcaplensError(m.code as ErrorCode, m.message) : new Error(m.message));
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`hashing worker exited with ${code}`));
    });
  });
}
