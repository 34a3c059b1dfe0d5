/**
 * What team mode (`pcaplens serve --auth`) keeps in the store: users, API tokens, sessions and per-capture
 * ownership and sharing. The SQL stores implement it (tables of migration 6); a store without it cannot run
 * team mode. Secrets arrive here already hashed: this layer never sees a password, a token or a session id.
 */
export type Role = 'admin' | 'analyst';

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  /** scrypt$N$r$p$salt$hash (server/auth/password.ts) */
  password_hash: string;
  /** epoch ms */
  created_at: number;
}

export interface TokenRow {
  id: number;
  user_id: number;
  name: string;
  /** hex SHA-256 of the token */
  token_sha256: string;
  created_at: number;
}

export interface SessionRow {
  /** hex SHA-256 of the session id the cookie carries */
  id_sha256: string;
  user_id: number;
  /** the CSRF token bound to this session */
  csrf: string;
  /** login time: the absolute cap counts from here */
  created_at: number;
  /** end of the idle window; moved forward while the session is used (never past the absolute cap) */
  expires_at: number;
}

export interface CaptureAccess {
  /** null: nobody owns it (imported with the CLI, or before team mode): admins only */
  owner_id: number | null;
  /** every user may read it */
  public: boolean;
  /** users it is shared with */
  shared_with: number[];
}

export interface AuthStore {
  createUser(u: { name: string; role: Role; password_hash: string }): Promise<UserRow>;
  userByName(name: string): Promise<UserRow | null>;
  userById(id: number): Promise<UserRow | null>;
  listUsers(): Promise<UserRow[]>;
  setPasswordHash(userId: number, hash: string): Promise<void>;
  /** Removes the user with their tokens, sessions and shares; the captures they own stay (admins see them). */
  deleteUser(userId: number): Promise<boolean>;

  createToken(t: { user_id: number; name: string; token_sha256: string }): Promise<TokenRow>;
  tokenBySha256(sha256: string): Promise<TokenRow | null>;
  listTokens(userId?: number): Promise<TokenRow[]>;
  deleteToken(id: number): Promise<boolean>;

  createSession(s: SessionRow): Promise<void>;
  /** The session, or null when there is none or it has expired (now: epoch ms). */
  session(idSha256: string, now: number): Promise<SessionRow | null>;
  deleteSession(idSha256: string): Promise<void>;
  /** Moves a session's expiry (sliding expiry); false when the session is gone. */
  extendSession(idSha256: string, expiresAt: number): Promise<boolean>;
  /** Ends every session of a user (password change); returns how many. Their API tokens stay. */
  deleteUserSessions(userId: number): Promise<number>;
  /** Drops expired sessions; returns how many. */
  deleteExpiredSessions(now: number): Promise<number>;

  /** Records the owner of a capture unless it has one; returns the owner it has afterwards. */
  claimCapture(captureId: number, userId: number): Promise<number | null>;
  captureAccess(captureId: number): Promise<CaptureAccess>;
  /** All capture ids this user may read (owned, shared or public); admins read everything anyway. */
  readableCaptureIds(userId: number): Promise<Set<number>>;
  setCapturePublic(captureId: number, isPublic: boolean): Promise<void>;
  shareCapture(captureId: number, userId: number): Promise<void>;
  unshareCapture(captureId: number, userId: number): Promise<boolean>;
  /** Forgets ownership and shares of a deleted capture. */
  forgetCapture(captureId: number): Promise<void>;
}

/** The AuthStore of a store that has one. */
export function authStoreOf(store: object): AuthStore | null {
  const a = (store as { auth?: unknown }).auth;
  return a && typeof a === 'object' ? (a as AuthStore) : null;
}
