/** The browser's only way to the data: JSON over /api. Errors carry the server's stable code. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly pos?: number,
  ) {
    super(message);
  }
}

export type Params = Record<string, string | number | boolean | null | undefined>;

export function qs(params: Params = {}): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/**
 * Team mode (serve --auth): the session's CSRF token, sent as x-csrf-token on every state-changing call
 * (the session cookie itself is HttpOnly: script never sees it). null in single-user mode.
 */
let csrf: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrf = token;
}

export function csrfToken(): string | null {
  return csrf;
}

/** Dispatched on window when the server answers 401: team mode wants a login (App shows the login page). */
export const LOGIN_REQUIRED = 'pcaplens:login-required';

export async function api<T>(path: string, params?: Params, init?: RequestInit): Promise<T> {
  const method = (init?.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrf && method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = csrf;
  if (init?.body !== undefined && typeof init.body === 'string') headers['content-type'] = 'application/json';
  const res = await fetch(`/api${path}${qs(params)}`, {
    ...init,
    headers: { ...headers, ...(init?.headers as Record<string, string> | undefined) },
  });
  if (res.status === 401 && path !== '/auth/login') window.dispatchEvent(new Event(LOGIN_REQUIRED));
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as
    (T & { error?: { code: string; message: string; pos?: number } }) | null;
  if (!res.ok || !body) {
    const e = body?.error;
    throw new ApiError(e?.code ?? 'E_IO', e?.message ?? `HTTP ${res.status}`, res.status, e?.pos);
  }
  return body;
}

/** The filter and time range every view shares. */
export interface Scope {
  filter: string;
  from: string;
  to: string;
}

export function scopeParams(s: Scope): Params {
  return { filter: s.filter || undefined, from: s.from || undefined, to: s.to || undefined };
}

/** Team mode: who is logged in. */
export interface AuthUser {
  id: number;
  name: string;
  role: 'admin' | 'analyst';
}

export async function login(name: string, password: string): Promise<AuthUser> {
  const r = await api<{ user: AuthUser; csrf_token: string }>('/auth/login', undefined, {
    method: 'POST',
    body: JSON.stringify({ name, password }),
  });
  setCsrfToken(r.csrf_token);
  return r.user;
}

export async function logout(): Promise<void> {
  await api('/auth/logout', undefined, { method: 'POST' });
  setCsrfToken(null);
}
