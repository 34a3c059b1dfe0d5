import { isPcaplensError, type ErrorCode } from '../shared/errors.js';

/** HTTP status for each stable error code; the body always carries the code (`{ error: { code, message } }`). */
const STATUS: Record<ErrorCode, number> = {
  E_USAGE: 400,
  E_NOT_FOUND: 404,
  E_NOT_CAPTURE: 415,
  E_TRUNCATED: 422,
  E_BAD_RECORD: 422,
  E_LINKTYPE: 422,
  E_FILTER: 400,
  E_STORE: 500,
  E_EXISTS: 409,
  E_LIMIT: 413,
  E_IO: 500,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; pos?: number; suggestions?: string[] };
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

/**
 * Gives an error an HTTP status other than its code's own (E_LIMIT as 429 Too Many Requests for a busy
 * server, 408 for a client too slow), the body still carrying the stable code.
 */
export function withStatus<E extends Error>(e: E, status: number): E {
  return Object.assign(e, { httpStatus: status });
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: unknown;
}

/** Maps anything thrown in a handler to a status and a body with a stable code. */
export function toErrorReply(e: unknown): { status: number; body: ErrorBody } {
  if (isPcaplensError(e)) {
    const body: ErrorBody = { error: { code: e.code, message: e.message } };
    const f = e as unknown as { pos?: unknown; suggestions?: unknown };
    if (typeof f.pos === 'number') body.error.pos = f.pos;
    if (Array.isArray(f.suggestions) && f.suggestions.length)
      body.error.suggestions = f.suggestions as string[];
    const own = (e as { httpStatus?: unknown }).httpStatus;
    return { status: typeof own === 'number' ? own : statusOf(e.code), body };
  }
  const fe = (e ?? {}) as FastifyLikeError;
  if (
    fe.code === 'FST_REQ_FILE_TOO_LARGE' ||
    fe.code === 'FST_FILES_LIMIT' ||
    fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
  ) {
    return { status: 413, body: { error: { code: 'E_LIMIT', message: fe.message ?? 'upload too large' } } };
  }
  if (fe.validation || (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)) {
    const status = fe.statusCode === 404 ? 404 : fe.statusCode === 415 ? 415 : 400;
    const code: ErrorCode = status === 404 ? 'E_NOT_FOUND' : 'E_USAGE';
    return { status, body: { error: { code, message: fe.message ?? 'bad request' } } };
  }
  return { status: 500, body: { error: { code: 'E_IO', message: 'internal error' } } };
}
