import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Progress } from '../engine/progress.js';
import { PcaplensError } from '../shared/errors.js';
import type { CaptureRow } from '../shared/store-rows.js';
import type { Store } from '../store/store.js';
import { sweepStaleCopies } from '../store/capture-files.js';
import { QueryCache } from '../store/query-cache.js';
import { ApiDoc } from './api-doc.js';
import { authStoreOf, type AuthStore } from '../store/auth-store.js';
import type { AuthContext } from './auth/context.js';
import { registerAnonymousMe, registerAuth, type AuthOptions } from './auth/plugin.js';
import { FactsCache } from './aggregate/capture-facts.js';
import type { ServerContext } from './context.js';
import { toErrorReply } from './http-error.js';
import { IngestQueue } from './jobs.js';
import { Warmer } from './cache/warm.js';
import { responseCacheOf } from './cache/answer.js';
import { captureListOf, type CaptureListCache } from './cache/capture-list.js';
import type { ResponseCache } from './cache/response-cache.js';
import { captureRoutes } from './routes/captures.js';
import { downloadRoutes } from './routes/downloads.js';
import { drillRoutes } from './routes/drill.js';
import { eventRoutes } from './routes/events.js';
import { tableRoutes } from './routes/tables.js';
import { viewRoutes } from './routes/views.js';
import { SECURITY_HEADERS, hostAllowed, originAllowed } from './security.js';
import { DEFAULT_MIN_UPLOAD_RATE, sweepStaleUploads, type MinUploadRate } from './upload.js';

/**
 * The web app: JSON API under /api (OpenAPI at /api/openapi.json), SSE ingest progress, and the built UI.
 * The store is opened by the caller (serve command, tests) and stays theirs to close.
 */
export type IngestFn = (
  store: Store,
  dataDir: string,
  paths: string[],
  opts: { name?: string; onProgress?: (p: Progress) => void; signal?: AbortSignal },
) => Promise<CaptureRow>;

export interface AppOptions {
  store: Store;
  dataDir: string;
  /** stores one capture made of the given files (engine/ingest.ts ingestFiles) */
  ingest: IngestFn;
  /** per uploaded file; default 4 GiB */
  maxUploadBytes?: number;
  /** files per upload request; default 32 */
  maxUploadFiles?: number;
  /** upload requests received at once (more: 429 E_LIMIT); default 8 */
  maxConcurrentUploads?: number;
  /** ingest jobs waiting or running (an upload beyond: 429 E_LIMIT); default 64 */
  maxQueuedJobs?: number;
  /** an upload slower than this is cut (408 E_LIMIT); default 16 KiB per 30 s, null for none */
  minUploadRate?: MinUploadRate | null;
  /** a connection idle (nothing read or written) this long is closed; default 120 s */
  connectionTimeoutMs?: number;
  /** remember the answers about stored captures' rows (QueryCache); default true */
  queryCache?: boolean;
  /** the built UI (index.html and assets); default dist/ui when it exists, null for API only */
  uiDir?: string | null;
  /**
   * Host names accepted besides loopback names (DNS-rebinding guard); null accepts any Host (set when
   * binding a non-loopback address on purpose).
   */
  allowedHosts?: string[] | null;
  logger?: boolean;
  version?: string;
  /**
   * Team mode: every /api route needs a login or an API token; captures belong to their uploader
   * (server/auth/plugin.ts). Needs a store with the auth tables (DuckDB, PostgreSQL). null/undefined: none.
   */
  auth?: AuthOptions | null;
  /** where team mode keeps users and ownership when the capture store has no tables for them (ClickHouse) */
  authStore?: AuthStore;
  /** trust X-Forwarded-For/-Proto from a reverse proxy (client address for the login limit, HTTPS for cookies) */
  trustProxy?: boolean;
  /**
   * after an ingest, answer the workspace's first questions in the background (cache/warm.ts); default true
   * in single-user mode (team mode: not yet, the questions would need a user)
   */
  warm?: boolean;
}

export const DEFAULT_MAX_UPLOAD = 4 * 1024 ** 3;

const PRIVATE = 'private, no-cache';
/** marks the warmer's own requests (not counted as users'); the value is a secret of this process */
const WARM_HEADER = 'x-pcaplens-warm';
const warmSecret = randomBytes(16).toString('hex');

/** dist/ui next to the compiled server (dist/server) or the built UI from a source checkout (src/server). */
export function defaultUiDir(): string | null {
  for (const rel of ['../ui/', '../../dist/ui/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    // a built UI has assets/; src/ui (beside src/server when run from source) holds only the sources
    if (existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets'))) return dir;
  }
  return null;
}

export interface App {
  app: FastifyInstance;
  queue: IngestQueue;
  /** the response cache warmer, null when off */
  warmer: Warmer | null;
  /** the view/table answers kept (hit counters for tests and benchmarks) */
  responses: ResponseCache;
  /** the captures list kept between requests */
  captureList: CaptureListCache;
}

export async function buildApp(opts: AppOptions): Promise<App> {
  const maxUploadBytes = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
  const maxUploadFiles = opts.maxUploadFiles ?? 32;
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    connectionTimeout: opts.connectionTimeoutMs ?? 120_000,
    routerOptions: { maxParamLength: 200 },
    trustProxy: opts.trustProxy ?? false,
  });
  let auth: AuthContext | null = null;
  if (opts.auth) {
    const authStore = opts.authStore ?? authStoreOf(opts.store);
    if (!authStore)
      throw new PcaplensError(
        'E_USAGE',
        `team mode (--auth) needs a store that keeps users: DuckDB or PostgreSQL, not ${opts.store.kind}`,
      );
    auth = { store: authStore, jobOwners: new Map(), uploaders: new WeakMap() };
  }
  // stored captures never change: the views' repeated questions are answered once (many users, one capture)
  const store = opts.queryCache === false ? opts.store : new QueryCache(opts.store);
  const queue = new IngestQueue(async (job, o) => {
    const row = await opts.ingest(opts.store, opts.dataDir, job.paths, {
      name: job.name,
      onProgress: o.onProgress,
      signal: o.signal,
    });
    // team mode: the uploader owns what they stored before anyone hears the job is done; uploading the
    // bytes of a capture someone else already stored (same SHA-256) shows they have it: it is shared
    const uploader = auth?.uploaders.get(job.paths);
    if (auth && uploader !== undefined) {
      const owner = await auth.store.claimCapture(row.id, uploader);
      if (owner !== uploader) await auth.store.shareCapture(row.id, uploader);
    }
    return row;
  });
  const ctx: ServerContext = {
    store,
    queue,
    doc: new ApiDoc(opts.version ?? '0'),
    dataDir: opts.dataDir,
    facts: new FactsCache(store),
    uploadsDir: join(opts.dataDir, 'uploads'),
    maxUploadBytes,
    maxUploadFiles,
    maxConcurrentUploads: opts.maxConcurrentUploads ?? 8,
    maxQueuedJobs: opts.maxQueuedJobs ?? 64,
    minUploadRate: opts.minUploadRate === undefined ? DEFAULT_MIN_UPLOAD_RATE : opts.minUploadRate,
    uploadsInFlight: 0,
    auth,
  };
  // what a killed server left half-written: uploads never ingested, partial copies into the data directory
  await sweepStaleUploads(ctx.uploadsDir);
  await sweepStaleCopies(opts.dataDir);
  const allowed =
    opts.allowedHosts === null ? null : new Set((opts.allowedHosts ?? []).map((h) => h.toLowerCase()));

  await app.register(fastifyMultipart, {
    limits: {
      fileSize: maxUploadBytes,
      files: maxUploadFiles,
      fields: 16,
      fieldSize: 1024,
      parts: maxUploadFiles + 16,
    },
  });

  app.addHook('onRequest', async (req) => {
    if (!hostAllowed(req.headers.host, allowed)) throw new PcaplensError('E_USAGE', 'unexpected Host header');
    if (
      req.method !== 'GET' &&
      req.method !== 'HEAD' &&
      !originAllowed(req.headers.origin, req.headers.host)
    ) {
      throw new PcaplensError('E_USAGE', 'cross-origin request refused');
    }
  });
  if (auth)
    registerAuth(app, ctx.doc, auth, {
      ...opts.auth,
      internal: (req) => req.headers[WARM_HEADER] === warmSecret,
    });
  else registerAnonymousMe(app, ctx.doc);
  app.addHook('onSend', async (req, reply, payload) => {
    // a route may set a stricter header of its own (downloads: a sandboxing CSP)
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(k)) reply.header(k, v);
    // the response cache's answers (cache/answer.ts sendAnswer: ETag + "private, no-cache") may be kept by the
    // browser and revalidated; everything else under /api is never stored
    if (
      req.url.startsWith('/api/') &&
      !(reply.hasHeader('etag') && reply.getHeader('cache-control') === PRIVATE)
    )
      reply.header('cache-control', 'no-store');
    return payload;
  });
  // users' view and table requests being answered now: the warmer waits for a quiet moment (long-lived event
  // streams and uploads do not count)
  let answering = 0;
  const counted = new WeakSet<object>();
  app.addHook('onRequest', async (req) => {
    if (req.method !== 'GET' || !req.url.startsWith('/api/') || req.url.includes('/events')) return;
    if (req.headers[WARM_HEADER] === warmSecret) return;
    counted.add(req);
    answering++;
  });
  app.addHook('onResponse', async (req) => {
    if (counted.delete(req)) answering--;
  });
  app.addHook('onRequestAbort', async (req) => {
    if (counted.delete(req)) answering--;
  });
  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toErrorReply(err);
    if (status >= 500) req.log.error(err);
    // the multipart stream may still be arriving; answer and close rather than read it all
    if (req.isMultipart?.()) reply.header('connection', 'close');
    return reply.code(status).send(body);
  });

  const uiDir = opts.uiDir === undefined ? defaultUiDir() : opts.uiDir;
  if (uiDir) await app.register(fastifyStatic, { root: uiDir, index: ['index.html'], wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (uiDir && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply
      .code(404)
      .send({ error: { code: 'E_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });

  ctx.doc.add(
    app,
    {
      method: 'GET',
      url: '/api/openapi.json',
      tag: 'meta',
      summary: 'This document',
      responses: { '200': ['OpenAPI 3.1'] },
    },
    async () => ctx.doc.document(),
  );
  ctx.doc.add(
    app,
    {
      method: 'GET',
      url: '/api/health',
      tag: 'meta',
      summary: 'Liveness and store kind',
      responses: { '200': ['ok'] },
    },
    async () => ({
      ok: true,
      store: opts.store.kind,
      version: opts.version ?? '0',
      max_upload_bytes: maxUploadBytes,
    }),
  );
  captureRoutes(app, ctx);
  eventRoutes(app, ctx);
  tableRoutes(app, ctx);
  drillRoutes(app, ctx);
  downloadRoutes(app, ctx);
  viewRoutes(app, ctx);

  const warmer =
    opts.warm === false
      ? null
      : new Warmer({
          busy: () => answering,
          ask: async (id, question) => {
            const r = await app.inject({
              method: 'GET',
              url: `/api/captures/${id}/${question}`,
              headers: { host: '127.0.0.1', [WARM_HEADER]: warmSecret },
            });
            return r.statusCode;
          },
        });
  if (warmer) {
    queue.onJobEnd((e) => {
      if (e.type === 'done') warmer.enqueue(e.capture.id);
    });
    ctx.facts.onForget((id) => warmer.cancel(id));
  }

  app.addHook('onClose', async () => {
    await warmer?.close();
    await queue.close();
  });
  return { app, queue, warmer, responses: responseCacheOf(ctx), captureList: captureListOf(ctx) };
}
