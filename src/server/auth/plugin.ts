import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PcaplensError } from '../../shared/errors.js';
import type { AuthStore } from '../../store/auth-store.js';
import type { ApiDoc } from '../api-doc.js';
import { withStatus } from '../http-error.js';
import { originAllowed } from '../security.js';
import { cookieValue, SESSION_COOKIE, sessionCookie } from './cookies.js';
import {
  canManage,
  canRead,
  canSeeJob,
  requestUser,
  setRequestUser,
  type AuthContext,
  type AuthUser,
} from './context.js';
import { dummyHash, randomSecret, safeEqual, sha256Hex, verifyPassword } from './password.js';
import { LoginLimiter } from './rate-limit.js';
import { DEFAULT_SESSION_POLICY, firstExpiry, pastCap, slideTo, type SessionPolicy } from './sessions.js';

/**
 * Team mode (`serve --auth`): every /api route except login and health needs a session cookie or an API
 * token (`Authorization: Bearer plk_...`). A state-changing request authenticated by the cookie must also
 * carry the session's CSRF token in `x-csrf-token` and, when the browser names one, a same-origin Origin or
 * Referer. Bearer requests are exempt: a browser never attaches that header on its own, so another site
 * cannot forge one. Routes under /api/captures/:id check the capture's ownership and shares; a capture the
 * user may not read answers 404 exactly as a missing one does, so ids do not leak.
 * The UI shell (HTML, scripts, styles; no data) loads without login and shows the login page.
 */
export interface AuthOptions {
  /** Secure cookies: true, false, or 'auto' (when the request came over HTTPS, as trustProxy sees it) */
  secureCookies?: boolean | 'auto';
  /** idle window of a session, extended while it is used (default 7 days; see sessions.ts) */
  sessionTtlMs?: number;
  /** absolute cap of a session from login (default 30 days) */
  sessionMaxMs?: number;
  /** the clock (epoch ms); tests inject one */
  now?: () => number;
  limiter?: LoginLimiter;
  /**
   * The server's own GET requests (the cache warmer's app.inject, marked with a secret of the process): they
   * read for nobody in particular and fill the response cache; a user's request for the answer still passes
   * every check above before it is served from that cache.
   */
  internal?: (req: FastifyRequest) => boolean;
}

export const DEFAULT_SESSION_TTL_MS = DEFAULT_SESSION_POLICY.idleMs;
export const DEFAULT_SESSION_MAX_MS = DEFAULT_SESSION_POLICY.maxMs;

const PUBLIC = new Set(['POST /api/auth/login', 'GET /api/health']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const unauthorized = (msg = 'login required') => withStatus(new PcaplensError('E_USAGE', msg), 401);
const forbidden = (msg: string) => withStatus(new PcaplensError('E_USAGE', msg), 403);

function userView(u: { id: number; name: string; role: string }) {
  return { id: u.id, name: u.name, role: u.role };
}

async function authenticate(
  store: AuthStore,
  req: FastifyRequest,
  policy: SessionPolicy,
  now: number,
): Promise<AuthUser | null> {
  const h = req.headers.authorization;
  if (h !== undefined) {
    const m = /^Bearer\s+(\S{1,200})$/i.exec(h);
    if (!m) throw unauthorized('malformed Authorization header (Bearer TOKEN)');
    const t = await store.tokenBySha256(sha256Hex(m[1]!));
    if (!t) throw unauthorized('unknown or revoked API token');
    const u = await store.userById(t.user_id);
    if (!u) throw unauthorized('unknown or revoked API token');
    return { id: u.id, name: u.name, role: u.role, via: 'token' };
  }
  const sid = cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (!sid || sid.length > 200) return null;
  const digest = sha256Hex(sid);
  const s = await store.session(digest, now);
  if (!s) return null;
  if (pastCap(s, now, policy)) {
    await store.deleteSession(digest);
    return null;
  }
  const next = slideTo(s, now, policy);
  if (next !== null) await store.extendSession(digest, next);
  const u = await store.userById(s.user_id);
  if (!u) return null;
  return { id: u.id, name: u.name, role: u.role, via: 'session', csrf: s.csrf, sessionSha256: digest };
}

/** Origin, else Referer, must name this host when the browser sent either. */
function sameOrigin(req: FastifyRequest): boolean {
  const { origin, referer, host } = req.headers;
  if (origin !== undefined) return origin !== 'null' && originAllowed(origin, host);
  if (referer !== undefined) return originAllowed(referer, host);
  return true;
}

function isSecure(req: FastifyRequest, opt: AuthOptions['secureCookies']): boolean {
  return opt === 'auto' || opt === undefined ? req.protocol === 'https' : opt;
}

export function registerAuth(app: FastifyInstance, doc: ApiDoc, a: AuthContext, opts: AuthOptions): void {
  doc.auth = true;
  const policy: SessionPolicy = {
    idleMs: opts.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    maxMs: opts.sessionMaxMs ?? DEFAULT_SESSION_MAX_MS,
  };
  const clock = opts.now ?? Date.now;
  const limiter = opts.limiter ?? new LoginLimiter();

  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0]!;
    if (!path.startsWith('/api/') && path !== '/api') return; // the UI shell
    const route = req.routeOptions.url ?? '';
    if (PUBLIC.has(`${req.method} ${route}`)) return;
    if (SAFE_METHODS.has(req.method) && opts.internal?.(req)) return;
    const u = await authenticate(a.store, req, policy, clock());
    if (!u) throw unauthorized();
    if (u.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !u.csrf || !safeEqual(sent, u.csrf))
        throw forbidden('missing or wrong CSRF token (x-csrf-token)');
      if (!sameOrigin(req)) throw forbidden('cross-origin request refused');
    }
    setRequestUser(req, u);
    if (route.startsWith('/api/captures/:id')) {
      const id = (req.params as { id?: string }).id ?? '';
      const manage = route.includes('/shares') || req.method === 'DELETE' || route.endsWith('/cancel');
      if (id.startsWith('j')) {
        if (!canSeeJob(a, u, id)) throw new PcaplensError('E_NOT_FOUND', `no job ${id}`);
      } else if (/^\d{1,15}$/.test(id)) {
        const n = Number(id);
        if (!(await canRead(a, u, n))) throw new PcaplensError('E_NOT_FOUND', `no capture ${id}`);
        if (manage && !(await canManage(a, u, n)))
          throw forbidden(`only the owner of capture ${id} or an admin may do that`);
      }
    }
  });

  const sweep = () => void a.store.deleteExpiredSessions(clock()).catch(() => {});
  sweep();
  const timer = setInterval(sweep, 3600_000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  const USER = {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      role: { type: 'string', enum: ['admin', 'analyst'] },
    },
  };

  doc.add(
    app,
    {
      method: 'POST',
      url: '/api/auth/login',
      tag: 'auth',
      summary:
        'Log in (team mode): sets the HttpOnly session cookie and returns the CSRF token to send as x-csrf-token on state-changing requests',
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['name', 'password'],
              properties: {
                name: { type: 'string', minLength: 1, maxLength: 128 },
                password: { type: 'string', minLength: 1, maxLength: 1024 },
              },
            },
          },
        },
      },
      responses: {
        '200': ['logged in', { type: 'object', properties: { user: USER, csrf_token: { type: 'string' } } }],
        '401': ['wrong name or password'],
        '429': ['E_LIMIT: too many failed attempts, wait (Retry-After)'],
      },
    },
    async (req: FastifyRequest, reply: FastifyReply) => {
      const body = (req.body ?? {}) as { name?: unknown; password?: unknown };
      if (typeof body.name !== 'string' || typeof body.password !== 'string')
        throw new PcaplensError('E_USAGE', 'name and password required');
      const { name, password } = body;
      const wait = limiter.wait(req.ip, name);
      if (wait > 0) {
        reply.header('retry-after', String(Math.ceil(wait / 1000)));
        throw withStatus(new PcaplensError('E_LIMIT', 'too many failed logins; try again later'), 429);
      }
      const u = await a.store.userByName(name);
      // the same work whether the user exists or not: timing does not tell which names exist
      const ok = await verifyPassword(password, u?.password_hash ?? (await dummyHash()));
      if (!u || !ok) {
        limiter.failed(req.ip, name);
        throw unauthorized('wrong name or password');
      }
      limiter.succeeded(req.ip, name);
      const sid = randomSecret();
      const csrf = randomSecret();
      const now = clock();
      await a.store.createSession({
        id_sha256: sha256Hex(sid),
        user_id: u.id,
        csrf,
        created_at: now,
        expires_at: firstExpiry(now, policy),
      });
      // the browser keeps the cookie up to the absolute cap; the server ends it earlier when it lies idle
      reply.header('set-cookie', sessionCookie(sid, policy.maxMs / 1000, isSecure(req, opts.secureCookies)));
      return { user: userView(u), csrf_token: csrf };
    },
  );

  doc.add(
    app,
    {
      method: 'POST',
      url: '/api/auth/logout',
      tag: 'auth',
      summary: 'Log out: ends the session (server-side) and clears the cookie',
      responses: { '204': ['logged out'] },
    },
    async (req, reply) => {
      const u = requestUser(req);
      if (u?.sessionSha256) await a.store.deleteSession(u.sessionSha256);
      reply.header('set-cookie', sessionCookie('', 0, isSecure(req, opts.secureCookies)));
      return reply.code(204).send();
    },
  );

  doc.add(
    app,
    {
      method: 'GET',
      url: '/api/auth/me',
      tag: 'auth',
      summary: 'The logged-in user, how they authenticated, and (session) the CSRF token',
      responses: {
        '200': [
          'the user',
          {
            type: 'object',
            properties: {
              user: USER,
              via: { type: 'string', enum: ['session', 'token'] },
              csrf_token: { type: ['string', 'null'] },
            },
          },
        ],
        '401': ['not logged in'],
      },
    },
    async (req) => {
      const u = requestUser(req)!;
      return { user: userView(u), via: u.via, csrf_token: u.csrf ?? null };
    },
  );

  const ID = { id: { type: 'string', pattern: '^\\d{1,15}$' } };
  const captureIdOf = (req: FastifyRequest) => Number((req.params as { id: string }).id);
  const userNamed = async (name: string) => {
    const u = await a.store.userByName(name);
    if (!u) throw new PcaplensError('E_NOT_FOUND', `no user ${JSON.stringify(name)}`);
    return u;
  };

  doc.add(
    app,
    {
      method: 'GET',
      url: '/api/captures/:id/shares',
      tag: 'auth',
      summary:
        'Who owns the capture, whether every user may read it, and whom it is shared with (owner or admin)',
      params: ID,
      responses: {
        '200': [
          'access',
          {
            type: 'object',
            properties: {
              owner: { type: ['string', 'null'] },
              public: { type: 'boolean' },
              shared_with: { type: 'array', items: { type: 'string' } },
            },
          },
        ],
        '404': ['E_NOT_FOUND'],
      },
    },
    async (req) => {
      const acc = await a.store.captureAccess(captureIdOf(req));
      const names = async (ids: number[]) =>
        (await Promise.all(ids.map((i) => a.store.userById(i)))).flatMap((u) => (u ? [u.name] : []));
      return {
        owner: acc.owner_id === null ? null : ((await names([acc.owner_id]))[0] ?? null),
        public: acc.public,
        shared_with: await names(acc.shared_with),
      };
    },
  );

  doc.add(
    app,
    {
      method: 'POST',
      url: '/api/captures/:id/shares',
      tag: 'auth',
      summary:
        'Share the capture with a user ({ "user": NAME }) or make it readable by every user ({ "public": true|false }); owner or admin',
      params: ID,
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { user: { type: 'string', maxLength: 128 }, public: { type: 'boolean' } },
            },
          },
        },
      },
      responses: { '204': ['shared'], '403': ['not the owner'], '404': ['E_NOT_FOUND: capture or user'] },
    },
    async (req, reply) => {
      const id = captureIdOf(req);
      const body = (req.body ?? {}) as { user?: unknown; public?: unknown };
      if (
        (body.user === undefined && body.public === undefined) ||
        (body.user !== undefined && typeof body.user !== 'string') ||
        (body.public !== undefined && typeof body.public !== 'boolean')
      )
        throw new PcaplensError('E_USAGE', 'give "user" (a name) or "public" (true or false)');
      if (body.user !== undefined) await a.store.shareCapture(id, (await userNamed(body.user)).id);
      if (body.public !== undefined) await a.store.setCapturePublic(id, body.public);
      return reply.code(204).send();
    },
  );

  doc.add(
    app,
    {
      method: 'DELETE',
      url: '/api/captures/:id/shares/:user',
      tag: 'auth',
      summary: 'Stop sharing the capture with a user (owner or admin)',
      params: { ...ID, user: { type: 'string', maxLength: 128 } },
      responses: { '204': ['unshared'], '404': ['E_NOT_FOUND: capture, user or share'] },
    },
    async (req, reply) => {
      const u = await userNamed((req.params as { user: string }).user);
      if (!(await a.store.unshareCapture(captureIdOf(req), u.id)))
        throw new PcaplensError('E_NOT_FOUND', `capture not shared with ${JSON.stringify(u.name)}`);
      return reply.code(204).send();
    },
  );
}

/**
 * Single-user mode answers "who am I" with nobody, so the page can ask without a failed request: team mode
 * answers with the user (registerAuth), and the UI tells the two apart by `auth`.
 */
export function registerAnonymousMe(app: FastifyInstance, doc: ApiDoc): void {
  doc.add(
    app,
    {
      method: 'GET',
      url: '/api/auth/me',
      tag: 'auth',
      summary: 'Without --auth: no user (single-user mode); with --auth: the logged-in user',
      responses: {
        '200': [
          'nobody: the server runs without logins',
          {
            type: 'object',
            properties: { user: { type: 'null' }, via: { type: 'null' }, csrf_token: { type: 'null' } },
          },
        ],
      },
    },
    async () => ({ user: null, via: null, csrf_token: null }),
  );
}
