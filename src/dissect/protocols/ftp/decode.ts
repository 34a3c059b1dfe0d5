/**
 * FTP control connection (RFC 959, RFC 2428 for EPRT/EPSV): commands, replies, the USER/PASS pair and the
 * addresses of data connections announced by PORT/EPRT (client) and 227/229 replies (server), so a data
 * connection can be tied to the control connection that set it up.
 */

export interface FtpCommand {
  verb: string;
  arg: string;
}

export function parseCommand(line: string): FtpCommand | null {
  const m = /^([A-Za-z]{3,4})(?: (.*))?$/.exec(line);
  if (!m) return null;
  return { verb: m[1]!.toUpperCase(), arg: m[2] ?? '' };
}

export interface FtpReply {
  code: number;
  text: string;
  /** a "123-" line that continues a multi-line reply */
  more: boolean;
}

export function parseReply(line: string): FtpReply | null {
  const m = /^(\d{3})([ -])(.*)$/.exec(line);
  if (!m) return null;
  return { code: Number(m[1]), text: m[3]!, more: m[2] === '-' };
}

export interface DataEndpoint {
  /** null when the reply leaves the address to the control connection's server (EPSV) */
  ip: string | null;
  port: number;
}

/** "h1,h2,h3,h4,p1,p2" of PORT and of a 227 reply. */
export function parseHostPort(s: string): DataEndpoint | null {
  const m = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(s);
  if (!m) return null;
  const n = m.slice(1).map(Number);
  if (n.some((x) => x > 255)) return null;
  return { ip: `${n[0]}.${n[1]}.${n[2]}.${n[3]}`, port: n[4]! * 256 + n[5]! };
}

/** EPRT |af|addr|port| (RFC 2428 section 2). */
export function parseEprt(s: string): DataEndpoint | null {
  const d = s.charAt(0);
  if (!d) return null;
  const parts = s.split(d);
  if (parts.length < 5) return null;
  const port = Number(parts[3]);
  if (!(port > 0 && port < 65536) || (parts[1] !== '1' && parts[1] !== '2')) return null;
  return { ip: parts[2]!, port };
}

/** 229 Entering Extended Passive Mode (|||port|). */
export function parseEpsv(text: string): DataEndpoint | null {
  const m = /\((.)\1\1(\d{1,5})\1\)/.exec(text);
  if (!m) return null;
  const port = Number(m[2]);
  return port > 0 && port < 65536 ? { ip: null, port } : null;
}
