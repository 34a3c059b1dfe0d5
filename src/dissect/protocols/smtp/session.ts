/**
 * SMTP (RFC 5321) from both sides' lines: AUTH PLAIN / LOGIN (RFC 4954, RFC 4616) credentials, MAIL FROM,
 * RCPT TO, the message of DATA (Subject header, size, SHA-256 of the dot-unstuffed text, its MIME
 * attachments) and STARTTLS.
 */
import type { Emit } from '../ftp/text-events.js';
import { MessageText } from '../imf/message-text.js';
import type { KeepBytes } from '../imf/mime-parts.js';
import { SaslExchange } from './sasl.js';

const MAX_RCPT = 64;
export class SmtpSession {
  private readonly sasl: SaslExchange;
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
    /** false: mail text is not read (nothing takes messages or attachments) */
    private readonly readMessages = true,
  ) {
    this.sasl = new SaslExchange(emit, 'auth');
  }

  client(line: string, cut = false): void {
    if (this.message !== null) return this.dataLine(line, cut);
    if (this.sasl.continue(line)) return;
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) return;
    const verb = m[1]!.toUpperCase();
    const arg = m[2]!;
    if (verb === 'AUTH') {
      const [mech = '', initial] = arg.split(/\s+/);
      const mu = mech.toUpperCase();
      // "=" is PLAIN's empty initial response: the credentials follow on the next line
      if (mu === 'PLAIN') this.sasl.plain(initial === '=' ? undefined : initial);
      else if (mu === 'LOGIN') this.sasl.login(initial);
      else
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
      this.message = new MessageText(this.emit, this.keep, this.readMessages);
    } else if (code === 220 && this.startTlsAsked) {
      this.emit({ type: 'starttls' });
    } else if (code >= 500) this.sasl.cancel();
  }

  /** The connection ended inside DATA: the message so far is reported as incomplete. */
  close(): void {
    if (this.message !== null) this.finishMessage(false);
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
