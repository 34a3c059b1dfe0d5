/**
 * Response headers for every reply: the UI runs no inline script, is never framed, and nothing is sniffed.
 * Inline styles stay allowed because D3 and Svelte set style attributes on elements.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Host name of a Host header without its port ("[::1]:5000" -> "[::1]"). */
export function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

/**
 * A page on another site can reach a loopback server through DNS rebinding (its own name resolving to
 * 127.0.0.1): when bound to loopback only loopback names are served.
 */
export function hostAllowed(host: string | undefined, allowed: ReadonlySet<string> | null): boolean {
  if (allowed === null) return true;
  if (!host) return false;
  const name = hostName(host.toLowerCase());
  return LOOPBACK_HOSTS.has(name) || allowed.has(name);
}

/** A state-changing request from a browser must come from our own origin (no cross-site form posts). */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
