/** POP3 (RFC 1939, RFC 5034): USER/PASS, APOP, AUTH PLAIN/LOGIN, STLS. */
import { b64Text, plainCredentials } from '../smtp/session.js';
import type { Emit } from '../ftp/text-events.js';

export class Pop3Session {
  private user: string | null = null;
  private auth: '' | 'plain' | 'login-user' | 'login-pass' = '';
  private stls = false;

  constructor(private readonly emit: Emit) {}

  client(line: string): void {
    if (this.auth === 'plain') {
      this.auth = '';
      const c = plainCredentials(line);
      this.emit({
        type: 'credential',
        method: 'auth plain',
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
        method: 'auth login',
        username: this.user,
        password: b64Text(line),
        detail: null,
      });
      return;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) return;
    const verb = m[1]!.toUpperCase();
    const arg = m[2]!;
    if (verb === 'USER') this.user = arg;
    else if (verb === 'PASS') {
      this.emit({
        type: 'credential',
        method: 'user/pass',
        username: this.user,
        password: arg,
        detail: null,
      });
      this.user = null;
    } else if (verb === 'APOP') {
      const [u, digest] = arg.split(/\s+/);
      this.emit({
        type: 'credential',
        method: 'apop',
        username: u ?? null,
        password: null,
        detail: digest ? `digest ${digest}` : null,
      });
    } else if (verb === 'AUTH') {
      const [mech = '', initial] = arg.split(/\s+/);
      if (mech.toUpperCase() === 'PLAIN') {
        if (initial) {
          const c = plainCredentials(initial);
          this.emit({
            type: 'credential',
            method: 'auth plain',
            username: c?.user ?? null,
            password: c?.password ?? null,
            detail: null,
          });
        } else this.auth = 'plain';
      } else if (mech.toUpperCase() === 'LOGIN') this.auth = 'login-user';
    } else if (verb === 'STLS') this.stls = true;
  }

  server(line: string): void {
    if (line.startsWith('+OK') && this.stls) this.emit({ type: 'starttls' });
    else if (line.startsWith('-ERR')) {
      this.auth = '';
      this.stls = false;
    }
  }
}
