/** The session cookie: parsing the Cookie header and writing Set-Cookie (no dependency for two functions). */
export const SESSION_COOKIE = 'pcaplens_session';

/** Value of one cookie of a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Path=/ and, when asked,
 * Secure (sent over HTTPS only). maxAgeSec 0 deletes it.
 */
export function sessionCookie(value: string, maxAgeSec: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(maxAgeSec))}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
