import { PcaplensError } from '../../shared/errors.js';
import type { AuthStore, Role, TokenRow, UserRow } from '../../store/auth-store.js';
import { hashPassword, newToken, sha256Hex } from './password.js';

/** Managing users and tokens (the `user` and `token` commands, and tests): rules in one place. */
export const MIN_PASSWORD = 10;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function checkName(name: string, what = 'user name'): string {
  if (!NAME.test(name))
    throw new PcaplensError(
      'E_USAGE',
      `bad ${what} ${JSON.stringify(name.slice(0, 80))}: 1-64 letters, digits, . _ @ - (starting with a letter or digit)`,
    );
  return name;
}

export function checkPassword(pw: string): string {
  if ([...pw].length < MIN_PASSWORD)
    throw new PcaplensError('E_USAGE', `password too short: at least ${MIN_PASSWORD} characters`);
  if (pw.length > 1024) throw new PcaplensError('E_USAGE', 'password too long: at most 1024 characters');
  return pw;
}

export async function addUser(a: AuthStore, name: string, role: Role, password: string): Promise<UserRow> {
  checkName(name);
  checkPassword(password);
  if (await a.userByName(name)) throw new PcaplensError('E_EXISTS', `user ${name} exists`);
  return a.createUser({ name, role, password_hash: await hashPassword(password) });
}

export async function userNamed(a: AuthStore, name: string): Promise<UserRow> {
  const u = await a.userByName(name);
  if (!u) throw new PcaplensError('E_NOT_FOUND', `no user ${JSON.stringify(name)}`);
  return u;
}

/**
 * Sets a user's password and ends all their sessions: whoever logged in with the old password (perhaps the
 * reason for the change) is logged out everywhere. API tokens stay; revoke them with `token rm`.
 * Returns the number of sessions ended.
 */
export async function changePassword(a: AuthStore, name: string, password: string): Promise<number> {
  checkPassword(password);
  const u = await userNamed(a, name);
  await a.setPasswordHash(u.id, await hashPassword(password));
  return a.deleteUserSessions(u.id);
}

/** Removes a user; the last admin stays (someone must be able to manage the server). */
export async function removeUser(a: AuthStore, name: string): Promise<void> {
  const u = await userNamed(a, name);
  if (u.role === 'admin' && (await a.listUsers()).filter((x) => x.role === 'admin').length === 1)
    throw new PcaplensError('E_USAGE', `${name} is the last admin; add another admin first`);
  await a.deleteUser(u.id);
}

/** A new token for the user: returns the token text (shown once; only its SHA-256 is kept). */
export async function createToken(
  a: AuthStore,
  userName: string,
  tokenName: string,
): Promise<{ token: string; row: TokenRow }> {
  checkName(tokenName, 'token name');
  const u = await userNamed(a, userName);
  if ((await a.listTokens(u.id)).some((t) => t.name === tokenName))
    throw new PcaplensError('E_EXISTS', `user ${userName} already has a token named ${tokenName}`);
  const token = newToken();
  const row = await a.createToken({ user_id: u.id, name: tokenName, token_sha256: sha256Hex(token) });
  return { token, row };
}
