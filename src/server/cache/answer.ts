import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CaptureRow } from '../../shared/store-rows.js';
import type { ServerContext } from '../context.js';
import { captureOf } from '../scope.js';
import { ResponseCache, answerKey, type CachedAnswer } from './response-cache.js';

/**
 * The response cache of a server (one per context, made when the first route registers, so
 * PCAPLENS_RESPONSE_CACHE_MB at buildApp time sizes it; 0 turns remembering off): routes about a stored
 * capture answer through `cachedAnswer`, and a deleted capture's answers go when the routes forget its facts.
 */
const caches = new WeakMap<ServerContext, ResponseCache>();

export function responseCacheOf(ctx: ServerContext): ResponseCache {
  let c = caches.get(ctx);
  if (!c) {
    const made = new ResponseCache();
    ctx.facts.onForget((id) => made.forget(id));
    caches.set(ctx, made);
    c = made;
  }
  return c;
}

/** Writes a remembered answer: its bytes as they are, with its ETag; 304 when the client has it. */
export function sendAnswer(req: FastifyRequest, reply: FastifyReply, a: CachedAnswer): FastifyReply {
  reply.header('etag', a.etag);
  reply.header('cache-control', 'private, no-cache');
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === a.etag || t.trim() === `W/${a.etag}`)) {
    return reply.code(304).send();
  }
  reply.header('content-type', 'application/json; charset=utf-8');
  return reply.send(a.body);
}

/**
 * Answers GET /api/captures/:id/<route> from the response cache, computing it with `compute` on a miss.
 * The capture is looked up first (404 for an unknown or deleted one), so a remembered answer never outlives
 * its capture's visibility.
 */
export async function cachedAnswer(
  ctx: ServerContext,
  route: string,
  req: FastifyRequest,
  reply: FastifyReply,
  compute: (capture: CaptureRow) => Promise<unknown>,
): Promise<FastifyReply> {
  const capture = await captureOf(ctx.store, (req.params as { id: string }).id);
  const cache = responseCacheOf(ctx);
  const key = answerKey(route, capture, (req.query ?? {}) as Record<string, unknown>);
  const answer = await cache.get(key, capture.id, () => compute(capture));
  return sendAnswer(req, reply, answer);
}
