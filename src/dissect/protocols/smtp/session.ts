/**
 * SMTP (RFC 5321) from both sides' lines: AUTH PLAIN / LOGIN (RFC 4954, RFC 4616) credentials, MAIL FROM,
 * RCPT TO, the message of DATA (Subject header, size, SHA-256 of the dot-unstuffed text) and STARTTLS.
 */
import { base64Decode } from '../../../shared/bytes-text.js';
import { Sha256 } from '../../../shared/sha256.js';
import { toHex } from '../../../shared/md5.js';
import type { Emit } from '../ftp/text-events.js';

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
  private inData = false;
  private dataAsked = false;
  private startTlsAsked = false;
  private inHeaders = true;
  private subject: string | null = null;
  private size = 0;
  private hash = new Sha256();
  /** file extraction: message bytes kept, at most keep.bytes, taken from keep.budget */
  private kept: Uint8Array[] = [];
  private keptLen = 0;

  constructor(
    private readonly emit: Emit,
    private readonly keep: { bytes: number; budget?: { left: number } } | null = null,
  ) {}

  client(line: string): void {
    if (this.inData) return this.dataLine(line);
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
      this.inData = true;
      this.inHeaders = true;
      this.subject = null;
      this.size = 0;
      this.hash = new Sha256();
    } else if (code === 220 && this.startTlsAsked) {
      this.emit({ type: 'starttls' });
    } else if (code === 334 && this.auth === '') {
      // a server challenge we did not expect: nothing to do
    } else if (code >= 500 && this.auth !== '') this.auth = '';
  }

  /** The connection ended inside DATA: the message so far is reported as incomplete. */
  close(): void {
    if (this.inData) this.finishMessage(false);
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

  private dataLine(line: string): void {
    if (line === '.') {
      this.finishMessage(true);
      return;
    }
    const text = line.startsWith('..') ? line.slice(1) : line;
    const bytes = new TextEncoder().encode(text + '\r\n');
    this.size += bytes.length;
    this.hash.update(bytes);
    if (this.keep) this.keepBytes(bytes, this.keep);
    if (this.inHeaders) {
      if (text === '') this.inHeaders = false;
      else if (this.subject === null && /^subject:/i.test(text)) this.subject = text.slice(8).trim();
    }
  }

  private keepBytes(b: Uint8Array, keep: { bytes: number; budget?: { left: number } }): void {
    let n = Math.min(b.length, keep.bytes - this.keptLen);
    if (keep.budget) n = Math.min(n, keep.budget.left);
    if (n <= 0) return;
    if (keep.budget) keep.budget.left -= n;
    this.kept.push(n === b.length ? b : b.slice(0, n));
    this.keptLen += n;
  }

  private finishMessage(complete: boolean): void {
    this.inData = false;
    let content: Uint8Array | undefined;
    if (this.keep) {
      content = new Uint8Array(this.keptLen);
      let at = 0;
      for (const k of this.kept) {
        content.set(k, at);
        at += k.length;
      }
      if (this.keep.budget) this.keep.budget.left += this.keptLen;
      this.kept = [];
      this.keptLen = 0;
    }
    this.emit({
      type: 'message',
      subject: this.subject,
      from: this.from,
      to: this.to,
      size: this.size,
      sha256: complete ? toHex(this.hash.digest()) : null,
      ...(content ? { content } : {}),
    });
  }
}
