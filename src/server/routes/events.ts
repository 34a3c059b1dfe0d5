import type { FastifyInstance } from 'fastify';
import { PcaplensError } from '../../shared/errors.js';
import type { ServerContext } from '../context.js';
import type { JobEvent, JobView } from '../jobs.js';
import { captureIdOf } from '../scope.js';
import { SECURITY_HEADERS } from '../security.js';

/**
 * Server-sent events for one ingest: `progress` (bytes, packets, flows, elapsed, ETA), then one of `done`
 * (with the stored capture), `failed` (with the error code) or `cancelled`, after which the stream ends.
 * Subscribing to a stored capture's numeric id answers `done` at once.
 */
const HEARTBEAT_MS = 15_000;

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function progressData(job: JobView) {
  const p = job.progress;
  return {
    id: job.id,
    name: job.name,
    state: job.state,
    bytes: p?.bytesRead ?? 0,
    bytes_total: p?.bytesTotal ?? job.size,
    packets: p?.packets ?? 0,
    flows: p?.flows ?? 0,
    elapsed_ms: p ? Math.round(p.elapsedMs) : 0,
    eta_ms: p?.etaMs === null || p?.etaMs === undefined ? null : Math.round(p.etaMs),
    capture_id: job.capture_id,
    error: job.error,
  };
}

export function eventRoutes(app: FastifyInstance, ctx: ServerContext): void {
  ctx.doc.add(
    app,
    {
      method: 'GET',
      url: '/api/captures/:id/events',
      tag: 'captures',
      summary:
        'Ingest progress as server-sent events: progress {bytes, bytes_total, packets, flows, elapsed_ms, eta_ms}, then done {capture}, failed {error} or cancelled',
      params: { id: { type: 'string', pattern: '^(j?\\d{1,15})$' } },
      produces: 'text/event-stream',
      responses: { '200': ['event stream', { type: 'string' }], '404': ['E_NOT_FOUND'] },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      let initial: string[];
      let job: JobView | null = null;
      if (id.startsWith('j')) {
        job = ctx.queue.get(id);
        if (!job) throw new PcaplensError('E_NOT_FOUND', `no job ${id}`);
        initial = [frame('progress', progressData(job))];
        if (job.state === 'done')
          initial.push(frame('done', { ...progressData(job), capture: ctx.queue.capture(id) }));
        else if (job.state === 'failed') initial.push(frame('failed', progressData(job)));
        else if (job.state === 'cancelled') initial.push(frame('cancelled', progressData(job)));
      } else {
        const capture = await ctx.store.getCapture(captureIdOf(id));
        if (!capture) throw new PcaplensError('E_NOT_FOUND', `no capture ${id}`);
        initial = [frame('done', { id, state: 'done', capture_id: capture.id, capture })];
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      for (const f of initial) res.write(f);
      const ended = !job || job.state === 'done' || job.state === 'failed' || job.state === 'cancelled';
      if (ended) {
        res.end();
        return;
      }
      const beat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      let unsubscribe: (() => void) | null = null;
      const stop = () => {
        clearInterval(beat);
        unsubscribe?.();
        if (!res.writableEnded) res.end();
      };
      unsubscribe = ctx.queue.subscribe(id, (e: JobEvent) => {
        if (e.type === 'progress') res.write(frame('progress', progressData(e.job)));
        else {
          const data =
            e.type === 'done' ? { ...progressData(e.job), capture: e.capture } : progressData(e.job);
          res.write(frame(e.type, data));
          stop();
        }
      });
      req.raw.on('close', stop);
    },
  );
}
