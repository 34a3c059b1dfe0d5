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

export async function api<T>(path: string, params?: Params, init?: RequestInit): Promise<T> {
  const res = await fetch(`/api${path}${qs(params)}`, { headers: { accept: 'application/json' }, ...init });
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
