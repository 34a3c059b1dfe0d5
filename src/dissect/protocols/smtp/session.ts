/**
 * SMTP (RFC 5321) from both sides' lines: AUTH PLAIN / LOGIN (RFC 4954, RFC 4616) credentials, MAIL FROM,
 * RCPT TO, the message of DATA (Subject header, size, SHA-256 of the dot-unstuffed text, its MIME
 * attachments) and STARTTLS.
 */
import { base64Decode } from '../../../shared/bytes-text.js';
import type { Emit } from '../ftp/text-events.js';
import { MessageText } from '../imf/message-text.js';
import type { KeepBytes } from '../imf/mime-parts.js';

const MAX_RCPT = 64;
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

export class SmtpSession {
  /** 'login-user' / 'login-pass': waiting for the next client line of AUTH LOGIN; 'plain': for AUTH PLAIN's */
  private auth: '' | 'login-user' | 'login-pass' | 'plain' = '';
  private loginUser: string | null = null;
  private from: string | null = null;
  private to: string[] = [];
  private dataAsked = false;
  private startTlsAsked = false;
  /** the message of DATA while it passes */
  private message: MessageText | null = null;

  constructor(
    private readonly emit: Emit,
    /** file extraction: message and attachment bytes kept, at most keep.bytes each, taken from keep.budget */
    private readonly keep: KeepBytes | null = null,
  ) {}

  client(line: string, cut = false): void {
    if (this.message !== null) return this.dataLine(line, cut);
    if (this.auth === 'plain') {
      this.auth = '';
      this.plain(line);
      return;
    }
    if (this.auth === 'login-user') {
      this.loginUser = b64Text(line);
      this.auth = 'login-pass';
      return;
    }
    if (this.auth === 'login-pass') {
      this.auth = '';
      this.emit({
        type: 'credential',
        method: 'auth login',
        username: this.loginUser,
        password: b64Text(line),
        detail: null,
      });
      return;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) return;
    const verb = m[1]!.toUpperCase();
    const arg = m[2]!;
    if (verb === 'AUTH') {
      const [mech = '', initial] = arg.split(/\s+/);
      const mu = mech.toUpperCase();
      if (mu === 'PLAIN') {
        if (initial && initial !== '=') this.plain(initial);
        else this.auth = 'plain';
      } else if (mu === 'LOGIN') {
        if (initial) {
          this.loginUser = b64Text(initial);
          this.auth = 'login-pass';
        } else this.auth = 'login-user';
      } else
        this.emit({
          type: 'credential',
          method: `auth ${mech.toLowerCase()}`,
          username: null,
          password: null,
          detail: null,
        });
    } else if (verb === 'MAIL') {
      this.from = /<([^>]*)>/.exec(arg)?.[1] ?? arg.replace(/^FROM:\s*/i, '');
      this.to = [];
    } else if (verb === 'RCPT') {
      if (this.to.length < MAX_RCPT) this.to.push(/<([^>]*)>/.exec(arg)?.[1] ?? arg.replace(/^TO:\s*/i, ''));
    } else if (verb === 'DATA') this.dataAsked = true;
    else if (verb === 'STARTTLS') this.startTlsAsked = true;
  }

  server(line: string): void {
    const code = Number(line.slice(0, 3));
    if (line[3] === '-') return;
    if (code === 354 && this.dataAsked) {
      this.dataAsked = false;
      this.message = new MessageText(this.emit, this.keep);
    } else if (code === 220 && this.startTlsAsked) {
      this.emit({ type: 'starttls' });
    } else if (code === 334 && this.auth === '') {
      // a server challenge we did not expect: nothing to do
    } else if (code >= 500 && this.auth !== '') this.auth = '';
  }

  /** The connection ended inside DATA: the message so far is reported as incomplete. */
  close(): void {
    if (this.message !== null) this.finishMessage(false);
  }

  private plain(b64: string): void {
    const c = plainCredentials(b64);
    this.emit({
      type: 'credential',
      method: 'auth plain',
      username: c?.user ?? null,
      password: c?.password ?? null,
      detail: null,
    });
  }

  private dataLine(line: string, cut: boolean): void {
    if (line === '.') {
      this.finishMessage(true);
      return;
    }
    this.message!.line(line.startsWith('..') ? line.slice(1) : line, cut);
  }

  private finishMessage(complete: boolean): void {
    const m = this.message!.finish(complete);
    this.message = null;
    this.emit({ type: 'message', from: this.from, to: this.to, ...m });
  }
}
