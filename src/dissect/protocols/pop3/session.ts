/**
 * POP3 (RFC 1939, RFC 5034): USER/PASS, APOP, AUTH PLAIN/LOGIN, STLS, and the messages RETR fetches (with
 * their MIME attachments). Responses come in command order, so the client's commands are queued to know
 * which response is multi-line and which one carries a message.
 */
import { SaslExchange } from '../smtp/sasl.js';
import type { Emit } from '../ftp/text-events.js';
import { MessageText } from '../imf/message-text.js';
import type { KeepBytes } from '../imf/mime-parts.js';

/** commands awaiting their response, at most (pipelining, RFC 2449) */
const MAX_PENDING = 64;
/** commands whose +OK starts a multi-line response; LIST and UIDL only without an argument */
const MULTI = new Set(['RETR', 'TOP', 'CAPA', 'LIST', 'UIDL']);

export class Pop3Session {
  private user: string | null = null;
  private readonly sasl: SaslExchange;
  private stls = false;
  private readonly pending: string[] = [];
  /** inside a multi-line response: 'skip' for listings, a message for RETR */
  private multi: MessageText | 'skip' | null = null;

  constructor(
    private readonly emit: Emit,
    /** file extraction: message and attachment bytes kept, at most keep.bytes each */
    private readonly keep: KeepBytes | null = null,
    /** false: mail text is not read (nothing takes messages or attachments) */
    private readonly readMessages = true,
  ) {
    this.sasl = new SaslExchange(emit, 'auth');
  }

  client(line: string): void {
    const step = this.sasl.continue(line);
    if (step) {
      // a LOGIN user name stands for USER's as well
      if (step === 'user') this.user = this.sasl.user;
      return;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) return;
    const verb = m[1]!.toUpperCase();
    const arg = m[2]!;
    if (this.pending.length < MAX_PENDING) {
      this.pending.push(
        MULTI.has(verb) && !((verb === 'LIST' || verb === 'UIDL') && arg.trim() !== '') ? verb : '',
      );
    }
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
      if (mech.toUpperCase() === 'PLAIN') this.sasl.plain(initial);
      else if (mech.toUpperCase() === 'LOGIN') this.sasl.login();
    } else if (verb === 'STLS') this.stls = true;
  }

  server(line: string, cut = false): void {
    if (this.multi !== null) return this.multiLine(line, cut);
    // "+ " continues an AUTH exchange: not the command's final answer
    if (line.startsWith('+ ') || line === '+') return;
    const cmd = this.pending.shift();
    if (line.startsWith('+OK')) {
      if (this.stls) this.emit({ type: 'starttls' });
      else if (cmd === 'RETR') this.multi = new MessageText(this.emit, this.keep, this.readMessages);
      else if (cmd) this.multi = 'skip';
    } else if (line.startsWith('-ERR')) {
      this.sasl.cancel();
      this.stls = false;
    }
  }

  /** The connection ended inside a message: what came is reported as incomplete. */
  close(): void {
    if (this.multi instanceof MessageText) this.finishMessage(this.multi, false);
    this.multi = null;
  }

  private multiLine(line: string, cut: boolean): void {
    const m = this.multi;
    if (line === '.') {
      this.multi = null;
      if (m instanceof MessageText) this.finishMessage(m, true);
      return;
    }
    if (m instanceof MessageText) m.line(line.startsWith('..') ? line.slice(1) : line, cut);
  }

  private finishMessage(m: MessageText, complete: boolean): void {
    this.emit({ type: 'message', from: null, to: [], ...m.finish(complete) });
  }
}
