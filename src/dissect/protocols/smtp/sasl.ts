/**
 * The client lines that carry a SASL PLAIN or LOGIN exchange after the command that starts it (SMTP AUTH,
 * POP3 AUTH, IMAP AUTHENTICATE; RFC 4616, RFC 4954): the credential comes out when the exchange is complete.
 */
import type { Emit } from '../ftp/text-events.js';
import { base64Decode } from '../../../shared/bytes-text.js';

const td = new TextDecoder('utf-8', { fatal: false });

/** base64 -> text, or null. */
export function b64Text(s: string): string | null {
  const b = base64Decode(s.trim(), 1024);
  return b ? td.decode(b) : null;
}

/** AUTH PLAIN payload: authzid NUL authcid NUL password. */
export function plainCredentials(b64: string): { user: string; password: string } | null {
  const t = b64Text(b64);
  if (t === null) return null;
  const parts = t.split('\0');
  if (parts.length !== 3) return null;
  return { user: parts[1] || parts[0]!, password: parts[2]! };
}

export class SaslExchange {
  private state: '' | 'plain' | 'login-user' | 'login-pass' = '';
  /** the user name sent in the current LOGIN exchange */
  user: string | null = null;

  constructor(
    private readonly emit: Emit,
    /** the protocol's word for it, first in the credential's method: 'auth' or 'authenticate' */
    private readonly verb: string,
  ) {}

  /** PLAIN, with its initial response or waiting for it on the next line. */
  plain(initial?: string): void {
    if (initial) this.plainCredential(initial);
    else this.state = 'plain';
  }

  /** LOGIN, with the user name as initial response or waiting for it. */
  login(initialUser?: string): void {
    if (initialUser) {
      this.user = b64Text(initialUser);
      this.state = 'login-pass';
    } else this.state = 'login-user';
  }

  /** The server refused: the exchange is over. */
  cancel(): void {
    this.state = '';
  }

  /** A client line: 'user' or 'done' when it belonged to the exchange, false when it is a command. */
  continue(line: string): 'user' | 'done' | false {
    switch (this.state) {
      case 'plain':
        this.state = '';
        this.plainCredential(line);
        return 'done';
      case 'login-user':
        this.user = b64Text(line);
        this.state = 'login-pass';
        return 'user';
      case 'login-pass':
        this.state = '';
        this.emit({
          type: 'credential',
          method: `${this.verb} login`,
          username: this.user,
          password: b64Text(line),
          detail: null,
        });
        return 'done';
      default:
        return false;
    }
  }

  private plainCredential(b64: string): void {
    const c = plainCredentials(b64);
    this.emit({
      type: 'credential',
      method: `${this.verb} plain`,
      username: c?.user ?? null,
      password: c?.password ?? null,
      detail: null,
    });
  }
}
