/** Artifacts of an HTTP transaction: credentials in Authorization, the name of a transferred file. */
import { base64Decode } from '../../../shared/bytes-text.js';
import { header, type HttpHead } from './head.js';

export interface BasicCredentials {
  user: string;
  password: string;
}

/** Authorization: Basic base64(user:password) (RFC 7617); also Proxy-Authorization. Null when absent or bad. */
export function basicAuth(h: HttpHead): BasicCredentials | null {
  const v = header(h, 'authorization') ?? header(h, 'proxy-authorization');
  if (!v) return null;
  const m = /^basic\s+([A-Za-z0-9+/=_-]{1,4096})\s*$/i.exec(v);
  if (!m) return null;
  const raw = base64Decode(m[1]!, 3072);
  if (!raw) return null;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(raw);
  const c = text.indexOf(':');
  if (c < 0) return null;
  return { user: text.slice(0, c), password: text.slice(c + 1) };
}

/** Other Authorization schemes worth listing (NTLM, Digest, Bearer...): scheme and Digest user name, if any. */
export function authScheme(h: HttpHead): { scheme: string; user: string | null } | null {
  const v = header(h, 'authorization');
  if (!v) return null;
  const scheme = /^(\S+)/.exec(v)?.[1] ?? '';
  const user = /username="([^"]{0,256})"/i.exec(v)?.[1] ?? null;
  return { scheme, user };
}

/**
 * File name of a body: Content-Disposition filename (RFC 6266, filename* preferred), else the last path segment
 * of the request URI (percent-decoded), else null.
 */
export function fileName(
  request: HttpHead | null,
  response: HttpHead | null,
  fromResponse: boolean,
): string | null {
  const h = fromResponse ? response : request;
  const cd = h ? header(h, 'content-disposition') : null;
  if (cd) {
    const star = /filename\*\s*=\s*[^']*'[^']*'([^;\s]+)/i.exec(cd);
    if (star) return safeDecode(star[1]!);
    const q = /filename\s*=\s*"([^"]*)"/i.exec(cd) ?? /filename\s*=\s*([^;\s]+)/i.exec(cd);
    if (q && q[1]) return q[1];
  }
  if (!request) return null;
  let path = request.uri;
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(path);
  if (abs) path = abs[1] ?? '/';
  path = path.split('?')[0]!.split('#')[0]!;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last ? safeDecode(last) : null;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
