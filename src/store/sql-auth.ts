import type { AuthStore, CaptureAccess, Role, SessionRow, TokenRow, UserRow } from './auth-store.js';

/** The AuthStore over the tables of migration 6, shared by the SQL stores (DuckDB, PostgreSQL). */
type Row = Record<string, unknown>;
export interface AuthSql {
  read(sql: string, params?: unknown[]): Promise<Row[]>;
  /** statements in one transaction */
  write<T>(fn: (all: (sql: string, params?: unknown[]) => Promise<Row[]>) => Promise<T>): Promise<T>;
}

const num = (v: unknown) => Number(v);
const USER_COLS = 'id, name, role, password_hash, created_at';
const TOKEN_COLS = 'id, user_id, name, token_sha256, created_at';

function user(r: Row): UserRow {
  return {
    id: num(r.id),
    name: String(r.name),
    role: r.role === 'admin' ? 'admin' : 'analyst',
    password_hash: String(r.password_hash),
    created_at: num(r.created_at),
  };
}

function token(r: Row): TokenRow {
  return {
    id: num(r.id),
    user_id: num(r.user_id),
    name: String(r.name),
    token_sha256: String(r.token_sha256),
    created_at: num(r.created_at),
  };
}

export class SqlAuthStore implements AuthStore {
  constructor(private readonly db: AuthSql) {}

  async createUser(u: { name: string; role: Role; password_hash: string }): Promise<UserRow> {
    return this.db.write(async (all) => {
      const [idRow] = await all("SELECT nextval('user_id_seq') AS id");
      const row = { id: num(idRow?.id), ...u, created_at: Date.now() };
      await all(`INSERT INTO users (${USER_COLS}) VALUES ($1, $2, $3, $4, $5)`, [
        row.id,
        row.name,
        row.role,
        row.password_hash,
        row.created_at,
      ]);
      return row;
    });
  }

  async userByName(name: string): Promise<UserRow | null> {
    const [r] = await this.db.read(`SELECT ${USER_COLS} FROM users WHERE name = $1`, [name]);
    return r ? user(r) : null;
  }

  async userById(id: number): Promise<UserRow | null> {
    const [r] = await this.db.read(`SELECT ${USER_COLS} FROM users WHERE id = $1`, [id]);
    return r ? user(r) : null;
  }

  async listUsers(): Promise<UserRow[]> {
    return (await this.db.read(`SELECT ${USER_COLS} FROM users ORDER BY id`)).map(user);
  }

  async setPasswordHash(userId: number, hash: string): Promise<void> {
    await this.db.write((all) => all('UPDATE users SET password_hash = $1 WHERE id = $2', [hash, userId]));
  }

  async deleteUser(userId: number): Promise<boolean> {
    return this.db.write(async (all) => {
      const found = await all('SELECT id FROM users WHERE id = $1', [userId]);
      if (!found.length) return false;
      await all('DELETE FROM api_tokens WHERE user_id = $1', [userId]);
      await all('DELETE FROM sessions WHERE user_id = $1', [userId]);
      await all('DELETE FROM capture_shares WHERE user_id = $1', [userId]);
      await all('DELETE FROM users WHERE id = $1', [userId]);
      return true;
    });
  }

  async createToken(t: { user_id: number; name: string; token_sha256: string }): Promise<TokenRow> {
    return this.db.write(async (all) => {
      const [idRow] = await all("SELECT nextval('api_token_id_seq') AS id");
      const row = { id: num(idRow?.id), ...t, created_at: Date.now() };
      await all(`INSERT INTO api_tokens (${TOKEN_COLS}) VALUES ($1, $2, $3, $4, $5)`, [
        row.id,
        row.user_id,
        row.name,
        row.token_sha256,
        row.created_at,
      ]);
      return row;
    });
  }

  async tokenBySha256(sha256: string): Promise<TokenRow | null> {
    const [r] = await this.db.read(`SELECT ${TOKEN_COLS} FROM api_tokens WHERE token_sha256 = $1`, [sha256]);
    return r ? token(r) : null;
  }

  async listTokens(userId?: number): Promise<TokenRow[]> {
    const rows =
      userId === undefined
        ? await this.db.read(`SELECT ${TOKEN_COLS} FROM api_tokens ORDER BY id`)
        : await this.db.read(`SELECT ${TOKEN_COLS} FROM api_tokens WHERE user_id = $1 ORDER BY id`, [userId]);
    return rows.map(token);
  }

  async deleteToken(id: number): Promise<boolean> {
    return this.db.write(async (all) => {
      const found = await all('SELECT id FROM api_tokens WHERE id = $1', [id]);
      if (!found.length) return false;
      await all('DELETE FROM api_tokens WHERE id = $1', [id]);
      return true;
    });
  }

  async createSession(s: SessionRow): Promise<void> {
    await this.db.write((all) =>
      all(
        'INSERT INTO sessions (id_sha256, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [s.id_sha256, s.user_id, s.csrf, s.created_at, s.expires_at],
      ),
    );
  }

  async session(idSha256: string, now: number): Promise<SessionRow | null> {
    const [r] = await this.db.read(
      'SELECT id_sha256, user_id, csrf, created_at, expires_at FROM sessions WHERE id_sha256 = $1 AND expires_at > $2',
      [idSha256, now],
    );
    return r
      ? {
          id_sha256: String(r.id_sha256),
          user_id: num(r.user_id),
          csrf: String(r.csrf),
          created_at: num(r.created_at),
          expires_at: num(r.expires_at),
        }
      : null;
  }

  async deleteSession(idSha256: string): Promise<void> {
    await this.db.write((all) => all('DELETE FROM sessions WHERE id_sha256 = $1', [idSha256]));
  }

  async extendSession(idSha256: string, expiresAt: number): Promise<boolean> {
    return this.db.write(async (all) => {
      const found = await all('SELECT id_sha256 FROM sessions WHERE id_sha256 = $1', [idSha256]);
      if (!found.length) return false;
      await all('UPDATE sessions SET expires_at = $1 WHERE id_sha256 = $2', [expiresAt, idSha256]);
      return true;
    });
  }

  async deleteUserSessions(userId: number): Promise<number> {
    return this.db.write(async (all) => {
      const [c] = await all('SELECT count(*) AS n FROM sessions WHERE user_id = $1', [userId]);
      await all('DELETE FROM sessions WHERE user_id = $1', [userId]);
      return num(c?.n ?? 0);
    });
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return this.db.write(async (all) => {
      const [c] = await all('SELECT count(*) AS n FROM sessions WHERE expires_at <= $1', [now]);
      await all('DELETE FROM sessions WHERE expires_at <= $1', [now]);
      return num(c?.n ?? 0);
    });
  }

  async claimCapture(captureId: number, userId: number): Promise<number | null> {
    return this.db.write(async (all) => {
      const [r] = await all('SELECT owner_id FROM capture_owners WHERE capture_id = $1', [captureId]);
      if (r) return r.owner_id === null || r.owner_id === undefined ? null : num(r.owner_id);
      await all('INSERT INTO capture_owners (capture_id, owner_id, public) VALUES ($1, $2, false)', [
        captureId,
        userId,
      ]);
      return userId;
    });
  }

  async captureAccess(captureId: number): Promise<CaptureAccess> {
    const [[o], shares] = await Promise.all([
      this.db.read('SELECT owner_id, public FROM capture_owners WHERE capture_id = $1', [captureId]),
      this.db.read('SELECT user_id FROM capture_shares WHERE capture_id = $1 ORDER BY user_id', [captureId]),
    ]);
    return {
      owner_id: o && o.owner_id !== null && o.owner_id !== undefined ? num(o.owner_id) : null,
      public: o ? o.public === true : false,
      shared_with: shares.map((s) => num(s.user_id)),
    };
  }

  async readableCaptureIds(userId: number): Promise<Set<number>> {
    const rows = await this.db.read(
      'SELECT capture_id FROM capture_owners WHERE owner_id = $1 OR public = true ' +
        'UNION SELECT capture_id FROM capture_shares WHERE user_id = $1',
      [userId],
    );
    return new Set(rows.map((r) => num(r.capture_id)));
  }

  async setCapturePublic(captureId: number, isPublic: boolean): Promise<void> {
    await this.db.write(async (all) => {
      const [r] = await all('SELECT capture_id FROM capture_owners WHERE capture_id = $1', [captureId]);
      if (r) await all('UPDATE capture_owners SET public = $1 WHERE capture_id = $2', [isPublic, captureId]);
      else
        await all('INSERT INTO capture_owners (capture_id, owner_id, public) VALUES ($1, NULL, $2)', [
          captureId,
          isPublic,
        ]);
    });
  }

  async shareCapture(captureId: number, userId: number): Promise<void> {
    await this.db.write((all) =>
      all('INSERT INTO capture_shares (capture_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        captureId,
        userId,
      ]),
    );
  }

  async unshareCapture(captureId: number, userId: number): Promise<boolean> {
    return this.db.write(async (all) => {
      const found = await all('SELECT user_id FROM capture_shares WHERE capture_id = $1 AND user_id = $2', [
        captureId,
        userId,
      ]);
      if (!found.length) return false;
      await all('DELETE FROM capture_shares WHERE capture_id = $1 AND user_id = $2', [captureId, userId]);
      return true;
    });
  }

  async forgetCapture(captureId: number): Promise<void> {
    await this.db.write(async (all) => {
      await all('DELETE FROM capture_shares WHERE capture_id = $1', [captureId]);
      await all('DELETE FROM capture_owners WHERE capture_id = $1', [captureId]);
    });
  }
}
