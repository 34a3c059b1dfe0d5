import { sqlType, type Migration } from './ddl.js';

/**
 * Team mode (`pcaplens serve --auth`): users with a role, API tokens, server-side sessions, and who owns
 * and who may read each capture. Secrets are never stored as given: users.password_hash is an scrypt hash
 * with its own salt, api_tokens.token_sha256 and sessions.id_sha256 are SHA-256 digests of random 256-bit
 * values. Times are epoch milliseconds.
 */
export const migration006: Migration = {
  version: 6,
  name: 'auth',
  up(d) {
    const text = sqlType(d, 'text');
    return [
      'CREATE SEQUENCE IF NOT EXISTS user_id_seq START 1',
      `CREATE TABLE users (id BIGINT PRIMARY KEY, name ${text} NOT NULL UNIQUE, role ${text} NOT NULL, ` +
        `password_hash ${text} NOT NULL, created_at BIGINT NOT NULL)`,
      'CREATE SEQUENCE IF NOT EXISTS api_token_id_seq START 1',
      `CREATE TABLE api_tokens (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL, name ${text} NOT NULL, ` +
        `token_sha256 ${text} NOT NULL UNIQUE, created_at BIGINT NOT NULL)`,
      `CREATE TABLE sessions (id_sha256 ${text} PRIMARY KEY, user_id BIGINT NOT NULL, csrf ${text} NOT NULL, ` +
        'created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)',
      'CREATE TABLE capture_owners (capture_id BIGINT PRIMARY KEY, owner_id BIGINT, public BOOLEAN NOT NULL)',
      'CREATE TABLE capture_shares (capture_id BIGINT NOT NULL, user_id BIGINT NOT NULL, PRIMARY KEY (capture_id, user_id))',
    ];
  },
};
