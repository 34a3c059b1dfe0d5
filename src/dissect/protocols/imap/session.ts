/** IMAP (RFC 9051): LOGIN with atoms or quoted strings, AUTHENTICATE PLAIN/LOGIN, STARTTLS. */
import { b64Text, plainCredentials } from '../smtp/session.js';
import type { Emit } from '../ftp/text-events.js';

/** Splits IMAP arguments: atoms and "quoted strings" (with \" and \\ escapes). Literals {n} are not followed. */
export function imapArgs(s: string, max = 8): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length && out.length < max) {
    while (s[i] === ' ') i++;
    if (i >= s.length) break;
    if (s[i] === '"') {
      let v = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        v += s[i++];
      }
      i++;
      out.push(v);
    } else {
      const j = s.indexOf(' ', i);
      out.push(s.slice(i, j < 0 ? s.length : j));
      i = j < 0 ? s.length : j;
    }
  }
  return out;
}

export class ImapSession {
  private auth: '' | 'plain' | 'login-user' | 'login-pass' = '';
  private user: string | null = null;
  private startTlsTag: string | null = null;

  constructor(private readonly emit: Emit) {}

  client(line: string): void {
    if (this.auth === 'plain') {
      this.auth = '';
      const c = plainCredentials(line);
      this.emit({
        type: 'credential',
        method: 'authenticate plain',
        username: c?.user ?? null,
        password: c?.password ?? null,
        detail: null,
      });
      return;
    }
    if (this.auth === 'login-user') {
      this.user = b64Text(line);
      this.auth = 'login-pass';
      return;
    }
    if (this.auth === 'login-pass') {
      this.auth = '';
      this.emit({
        type: 'credential',
        method: 'authenticate login',
        username: this.user,
        password: b64Text(line),
        detail: null,
      });
      return;
    }
    const [tag, cmd = '', ...rest] = imapArgs(line, 6);
    const verb = cmd.toUpperCase();
    if (verb === 'LOGIN') {
      this.emit({
        type: 'credential',
        method: 'login',
        username: rest[0] ?? null,
        password: rest[1] ?? null,
        detail: null,
      });
    } else if (verb === 'AUTHENTICATE') {
      const mech = (rest[0] ?? '').toUpperCase();
      if (mech === 'PLAIN') {
        if (rest[1]) {
          const c = plainCredentials(rest[1]);
          this.emit({
            type: 'credential',
            method: 'authenticate plain',
            username: c?.user ?? null,
            password: c?.password ?? null,
            detail: null,
          });
        } else this.auth = 'plain';
      } else if (mech === 'LOGIN') this.auth = 'login-user';
    } else if (verb === 'STARTTLS') this.startTlsTag = tag ?? null;
  }

  server(line: string): void {
    if (this.startTlsTag && line.startsWith(`${this.startTlsTag} OK`)) this.emit({ type: 'starttls' });
    if (/^\S+ (NO|BAD)/.test(line)) this.auth = '';
  }
}
