import { createHash } from 'node:crypto';

/**
 * Whole API answers about a stored capture, kept serialised: a stored capture never changes (its rows are
 * written in the one transaction that creates it), so the same question (view, capture, query string) gets
 * the same bytes until the capture is deleted. A remembered answer costs the JS thread a map look-up and a
 * write of the kept Buffer: no store call, no building, no JSON.stringify. Identical questions asked at once
 * share one computation. Bounded by bytes, least recently used first out.
 */
export interface CachedAnswer {
  body: Buffer;
  /** strong validator: a hash of the body */
  etag: string;
}

interface Entry {
  captureId: number;
  answer: CachedAnswer;
}

export interface ResponseCacheOptions {
  /** bytes of remembered bodies at most; default 96 MiB (PCAPLENS_RESPONSE_CACHE_MB overrides) */
  maxBytes?: number;
  /** a single answer larger than this is served but not remembered; default maxBytes / 8 */
  maxEntryBytes?: number;
}

function defaultMaxBytes(): number {
  const mb = Number(process.env.PCAPLENS_RESPONSE_CACHE_MB);
  return (Number.isFinite(mb) && mb >= 0 ? mb : 96) * 1024 * 1024;
}

export function serialise(value: unknown): CachedAnswer {
  const body = Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  return { body, etag };
}

/**
 * The key of a question: the route, the capture's identity (id and creation time: an id re-used by another
 * database is another capture) and the query parameters as validated (defaults applied, coerced), sorted.
 */
export function answerKey(
  route: string,
  capture: { id: number; created_at: string },
  query: Record<string, unknown>,
): string {
  const q = Object.keys(query)
    .filter((k) => query[k] !== undefined && query[k] !== '')
    .sort()
    .map((k) => [k, query[k]]);
  return `${route}\u0000${capture.id}\u0000${capture.created_at}\u0000${JSON.stringify(q)}`;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, { captureId: number; p: Promise<CachedAnswer> }>();
  /** bumped by forget(): an answer computed across a delete is not remembered */
  private readonly generation = new Map<number, number>();
  private bytesHeld = 0;
  readonly maxBytes: number;
  readonly maxEntryBytes: number;
  hits = 0;
  misses = 0;
  /** identical questions that waited for a computation already running */
  joined = 0;

  constructor(opts: ResponseCacheOptions = {}) {
    this.maxBytes = opts.maxBytes ?? defaultMaxBytes();
    this.maxEntryBytes = opts.maxEntryBytes ?? Math.floor(this.maxBytes / 8);
  }

  get bytes(): number {
    return this.bytesHeld;
  }
  get size(): number {
    return this.entries.size;
  }

  /** The remembered answer, or null (no computation started). */
  peek(key: string): CachedAnswer | null {
    const e = this.entries.get(key);
    if (!e) return null;
    // most recently used last, so the oldest goes first
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.answer;
  }

  /** The answer to a question: remembered, joined with one being computed, or computed now by `compute`. */
  async get(key: string, captureId: number, compute: () => Promise<unknown>): Promise<CachedAnswer> {
    const hit = this.peek(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    const running = this.pending.get(key);
    if (running) {
      this.joined++;
      return running.p;
    }
    this.misses++;
    const gen = this.generation.get(captureId) ?? 0;
    const p = (async () => serialise(await compute()))();
    this.pending.set(key, { captureId, p });
    try {
      const answer = await p;
      if ((this.generation.get(captureId) ?? 0) === gen) this.put(key, captureId, answer);
      return answer;
    } finally {
      this.pending.delete(key);
    }
  }

  private put(key: string, captureId: number, answer: CachedAnswer): void {
    const size = answer.body.length + key.length * 2 + 64;
    if (size > this.maxEntryBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytesHeld -= old.answer.body.length;
    }
    this.entries.set(key, { captureId, answer });
    this.bytesHeld += answer.body.length;
    for (const [k, e] of this.entries) {
      if (this.bytesHeld <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytesHeld -= e.answer.body.length;
    }
  }

  /** Drops every answer about a capture (deleted), and keeps answers being computed now from being kept. */
  forget(captureId: number): void {
    this.generation.set(captureId, (this.generation.get(captureId) ?? 0) + 1);
    for (const [k, e] of this.entries) {
      if (e.captureId !== captureId) continue;
      this.entries.delete(k);
      this.bytesHeld -= e.answer.body.length;
    }
    for (const [k, r] of this.pending) if (r.captureId === captureId) this.pending.delete(k);
  }

  clear(): void {
    this.entries.clear();
    this.pending.clear();
    this.bytesHeld = 0;
  }
}
