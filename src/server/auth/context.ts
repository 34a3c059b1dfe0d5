import type { FastifyRequest } from 'fastify';
import type { AuthStore, Role } from '../../store/auth-store.js';

/** Who made a request in team mode, and how. */
export interface AuthUser {
  id: number;
  name: string;
  role: Role;
  via: 'session' | 'token';
  /** the session's CSRF token (via session only) */
  csrf?: string;
  /** SHA-256 of the session id (via session only) */
  sessionSha256?: string;
}

/** Team mode state the routes share (ServerContext.auth; null without --auth). */
export interface AuthContext {
  store: AuthStore;
  /** ingest job id -> uploader's user id (jobs live in memory, as their owners do) */
  jobOwners: Map<string, number>;
  /** the paths array handed to the ingest queue -> uploader's user id, to claim the stored capture */
  uploaders: WeakMap<readonly string[], number>;
}

const users = new WeakMap<FastifyRequest, AuthUser>();

export function setRequestUser(req: FastifyRequest, u: AuthUser): void {
  users.set(req, u);
}

/** The authenticated user of a request (team mode), or null. */
export function requestUser(req: FastifyRequest): AuthUser | null {
  return users.get(req) ?? null;
}

/** May this user read the capture? Admins read all; others what they own, what is shared with them, public ones. */
export async function canRead(a: AuthContext, u: AuthUser, captureId: number): Promise<boolean> {
  if (u.role === 'admin') return true;
  const acc = await a.store.captureAccess(captureId);
  return acc.owner_id === u.id || acc.public || acc.shared_with.includes(u.id);
}

/** May this user delete or share the capture? Its owner and admins. */
export async function canManage(a: AuthContext, u: AuthUser, captureId: number): Promise<boolean> {
  if (u.role === 'admin') return true;
  return (await a.store.captureAccess(captureId)).owner_id === u.id;
}

/** May this user see the ingest job? Its uploader and admins. */
export function canSeeJob(a: AuthContext, u: AuthUser, jobId: string): boolean {
  return u.role === 'admin' || a.jobOwners.get(jobId) === u.id;
}
