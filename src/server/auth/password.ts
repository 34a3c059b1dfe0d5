import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Secrets of team mode. Passwords are chosen by people and may be weak, so they get a slow, memory-hard
 * hash (scrypt, N=2^15 r=8 p=1: 32 MiB and tens of milliseconds per guess) with a random per-user salt;
 * the parameters travel in the stored text so they can be raised later without breaking old hashes.
 *
 * API tokens and session ids are 256 random bits made here: guessing one is hopeless whatever the hash, so
 * they are stored as plain SHA-256 (fast to look up by digest on every request, and a leaked table still
 * does not give a usable token). A slow hash would only cost CPU on every request without adding safety.
 */
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const SALT_LEN = 16;
/** scrypt needs 128 * N * r bytes; node's default maxmem (32 MiB) is exactly that, leave headroom */
const MAX_MEM = 128 * N * R * 2;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LEN, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** "scrypt$N$r$p$salt$hash" (base64url salt and hash). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison of the derived key; false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // refuse parameters that would let a tampered row make us burn unbounded memory or CPU
  if (!(n >= 1024 && n <= 1 << 20 && (n & (n - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16))
    return false;
  if (128 * n * r * 2 > 4 * MAX_MEM) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const want = Buffer.from(parts[5]!, 'base64url');
  if (want.length !== KEY_LEN || salt.length < 8) return false;
  const got = await derive(password, salt, n, r, p);
  return timingSafeEqual(got, want);
}

/** A hash of a random password: verified against when the user does not exist, so timing does not tell. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

/** Hex SHA-256 of a high-entropy secret (token, session id). */
export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new API token: "plk_" and 256 random bits (the prefix makes leaked tokens easy to find in logs and code). */
export function newToken(): string {
  return `plk_${randomBytes(32).toString('base64url')}`;
}

/** 256 random bits, base64url (session ids, CSRF tokens). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time equality of two strings of any length. */
export function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}
