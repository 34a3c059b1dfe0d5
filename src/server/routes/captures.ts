import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { PcaplensError } from '../../shared/errors.js';
import type { ServerContext } from '../context.js';
import { withStatus } from '../http-error.js';
import { receiveUpload } from '../upload.js';
import { captureIdOf } from '../scope.js';
import { requestUser } from '../auth/context.js';
import { captureListOf } from '../cache/capture-list.js';

/** Upload, list, show, delete and cancel captures; ingest jobs are "j<n>" ids, stored captures are numbers. */
const ID = { id: { type: 'string', pattern: '^(j?\\d{1,15})$', description: 'capture id, or job id j<n>' } };

const CAPTURE_SCHEMA = {
  type: 'object',
  description: 'a stored capture (CaptureRow)',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    sha256: { type: 'string' },
    size: { type: 'integer' },
    format: { type: 'string' },
    link_types: { type: 'array', items: { type: 'integer' } },
    packets: { type: 'integer' },
    bytes: { type: 'integer' },
    first_ts: { type: ['string', 'null'] },
    last_ts: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['complete', 'partial'] },
    errors: { type: 'array' },
    created_at: { type: 'string' },
  },
};
const JOB_SCHEMA = {
  type: 'object',
  description: 'an ingest job',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    files: { type: 'array', items: { type: 'string' } },
    size: { type: 'integer' },
    state: { type: 'string', enum: ['queued', 'running', 'done', 'failed', 'cancelled'] },
    progress: { type: ['object', 'null'] },
    capture_id: { type: ['integer', 'null'] },
    error: { type: ['object', 'null'] },
  },
};

export function captureRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { doc, store, queue } = ctx;
  const list = captureListOf(ctx);

  doc.add(
    app,
    {
      method: 'POST',
      url: '/api/captures',
      tag: 'captures',
      summary:
        'Upload captures (multipart, one or more files, pcap/pcapng or gzip of either). Each file becomes one capture, or all one capture when the form field merge=true. Ingest runs in the background.',
      requestBody: {
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                file: { type: 'array', items: { type: 'string', format: 'binary' } },
                name: { type: 'string' },
                merge: { type: 'string', enum: ['true', 'false'] },
              },
            },
          },
        },
      },
      responses: {
        '202': [
          'queued jobs',
          { type: 'object', properties: { jobs: { type: 'array', items: JOB_SCHEMA } } },
        ],
        '400': ['no file, or bad form'],
        '408': ['E_LIMIT: the client sent too slowly'],
        '413': ['E_LIMIT: a file exceeds the upload limit, or too many files'],
        '429': ['E_LIMIT: too many uploads at once or captures waiting for ingest (Retry-After)'],
        '415': ['E_NOT_CAPTURE: a file is not a capture'],
      },
    },
    async (req, reply) => {
      const busy =
        ctx.uploadsInFlight >= ctx.maxConcurrentUploads
          ? `${ctx.uploadsInFlight} uploads are being received (at most ${ctx.maxConcurrentUploads} at once)`
          : queue.active() >= ctx.maxQueuedJobs
            ? `${queue.active()} captures wait for ingest (at most ${ctx.maxQueuedJobs})`
            : null;
      if (busy) {
        reply.header('retry-after', '10');
        throw withStatus(new PcaplensError('E_LIMIT', `server busy: ${busy}; try again later`), 429);
      }
      ctx.uploadsInFlight++;
      let up;
      try {
        up = await receiveUpload(req, ctx.uploadsDir, ctx.maxUploadFiles, ctx.minUploadRate);
      } finally {
        ctx.uploadsInFlight--;
      }
      const removeDir = () => rm(up.dir, { recursive: true, force: true });
      const merge = up.fields.merge === 'true' || up.fields.merge === '1';
      const groups = merge ? [up.files] : up.files.map((f) => [f]);
      let pending = groups.length;
      // the upload directory goes once every job made from it has ended (ingest keeps its own copy)
      const cleanup = async () => {
        if (--pending === 0) await removeDir();
      };
      const user = ctx.auth ? requestUser(req) : null;
      const jobs = groups.map((g) => {
        const name = (groups.length === 1 && up.fields.name?.trim()) || g.map((f) => f.name).join(' + ');
        const paths = g.map((f) => f.path);
        // team mode: remembered before the job can run, so the stored capture is claimed by its uploader
        if (ctx.auth && user) ctx.auth.uploaders.set(paths, user.id);
        const job = queue.add(
          name,
          paths,
          g.reduce((s, f) => s + f.size, 0),
          cleanup,
        );
        if (ctx.auth && user) ctx.auth.jobOwners.set(job.id, user.id);
        return job;
      });
      return reply.code(202).send({ jobs });
    },
  );

  doc.add(
    app,
    {
      method: 'GET',
      url: '/api/captures',
      tag: 'captures',
      summary: 'Stored captures (newest first) and the ingest jobs of this server run',
      responses: {
        '200': [
          'captures and jobs',
          {
            type: 'object',
            properties: {
              captures: { type: 'array', items: CAPTURE_SCHEMA },
              jobs: { type: 'array', items: JOB_SCHEMA },
            },
          },
        ],
      },
    },
    async (req) => {
      // kept between requests, forgotten when an ingest ends or a capture is deleted; the access filter below
      // runs on every request
      const captures = await list.list();
      const jobs = queue.list();
      const user = ctx.auth ? requestUser(req) : null;
      if (!ctx.auth || !user || user.role === 'admin') return { captures, jobs };
      // team mode: only what this user may read (owned, shared with them, public) and their own uploads
      const readable = await ctx.auth.store.readableCaptureIds(user.id);
      return {
        captures: captures.filter((c) => readable.has(c.id)),
        jobs: jobs.filter((j) => ctx.auth!.jobOwners.get(j.id) === user.id),
      };
    },
  );

  doc.add(
    app,
    {
      method: 'GET',
      url: '/api/captures/:id',
      tag: 'captures',
      summary: 'One stored capture, or one ingest job (id j<n>)',
      params: ID,
      responses: {
        '200': ['the capture, or { job, capture }', CAPTURE_SCHEMA],
        '404': ['E_NOT_FOUND'],
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      if (id.startsWith('j')) {
        const job = queue.get(id);
        if (!job) throw new PcaplensError('E_NOT_FOUND', `no job ${id}`);
        return { job, capture: job.capture_id === null ? null : await store.getCapture(job.capture_id) };
      }
      const c = await store.getCapture(captureIdOf(id));
      if (!c) throw new PcaplensError('E_NOT_FOUND', `no capture ${id}`);
      return c;
    },
  );

  doc.add(
    app,
    {
      method: 'DELETE',
      url: '/api/captures/:id',
      tag: 'captures',
      summary: 'Delete a stored capture and all its rows, or cancel an ingest job (id j<n>)',
      params: ID,
      responses: {
        '204': ['deleted or cancelled'],
        '404': ['E_NOT_FOUND'],
        '409': ['E_EXISTS: the job has ended'],
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      if (id.startsWith('j')) {
        cancelJob(ctx, id);
        return reply.code(204).send();
      }
      if (!(await store.deleteCapture(captureIdOf(id))))
        throw new PcaplensError('E_NOT_FOUND', `no capture ${id}`);
      ctx.facts.forget(captureIdOf(id));
      list.invalidate();
      // a SQL store forgets owner and shares with the capture; a side auth database (ClickHouse) is told here
      await ctx.auth?.store.forgetCapture(captureIdOf(id));
      return reply.code(204).send();
    },
  );

  doc.add(
    app,
    {
      method: 'POST',
      url: '/api/captures/:id/cancel',
      tag: 'captures',
      summary: 'Cancel a queued or running ingest job',
      params: ID,
      responses: { '204': ['cancelled'], '404': ['E_NOT_FOUND'], '409': ['E_EXISTS: the job has ended'] },
    },
    async (req, reply) => {
      cancelJob(ctx, (req.params as { id: string }).id);
      return reply.code(204).send();
    },
  );
}

function cancelJob(ctx: ServerContext, id: string): void {
  const job = ctx.queue.get(id);
  if (!job) throw new PcaplensError('E_NOT_FOUND', `no job ${id}`);
  if (!ctx.queue.cancel(id))
    throw new PcaplensError('E_EXISTS', `job ${id} has already ended (${job.state})`);
}
