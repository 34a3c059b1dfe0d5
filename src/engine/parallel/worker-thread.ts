/**
 * What every worker thread of pcaplens shares: where its module is (built .js, or the .ts under tsx in tests),
 * and how it ends (a failure becomes one `error` message the main thread turns back into an error).
 */
import type { MessagePort } from 'node:worker_threads';
import { isPcaplensError } from '../../shared/errors.js';

/**
 * The worker module `name` (no extension) beside the module at `base` (its import.meta.url): the .js when built;
 * under tsx (tests) the .ts, through a small bootstrap that registers tsx in the worker (hooks given by --import
 * do not reach a worker's entry).
 */
export function workerEntry(base: string, name: string): { src: string | URL; eval: boolean } {
  if (!base.endsWith('.ts')) return { src: new URL(`./${name}.js`, base), eval: false };
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, base).href;
  return {
    src: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
    eval: true,
  };
}

/** The message a worker posts when its run fails. */
export interface WorkerError {
  t: 'error';
  code: string | null;
  message: string;
}

/** Closes the worker's port when `run` is over, after posting a WorkerError if it failed. */
export function settleWorker(port: MessagePort, run: Promise<void>): void {
  run.then(
    () => port.close(),
    (e: unknown) => {
      port.postMessage({
        t: 'error',
        code: isPcaplensError(e) ? e.code : null,
        message: e instanceof Error ? e.message : String(e),
      } satisfies WorkerError);
      port.close();
    },
  );
}
