/**
 * IMAP (RFC 9051): LOGIN with atoms or quoted strings, AUTHENTICATE PLAIN/LOGIN, STARTTLS, and the messages
 * FETCH returns as literals (section 4.3: "{n}" then exactly n bytes): BODY[], BODY[TEXT], RFC822,
 * RFC822.TEXT and BINARY[] go to the MIME/IMF extractor like POP3 RETR; other literals (header fields,
 * parts) are skipped by count so their lines are never read as responses.
 */
import { latin1 } from '../../../shared/bytes-text.js';
import { SaslExchange } from '../smtp/sasl.js';
import type { Emit } from '../ftp/text-events.js';
import { LineSplitter } from '../ftp/lines.js';
import { MessageText } from '../imf/message-text.js';
import type { KeepBytes } from '../imf/mime-parts.js';

/** Longest server line read; longer ones are cut (their literal marker is then not seen). */
const MAX_LINE = 8192;
/** A FETCH data item that carries a whole message (or its text) and the literal length after it. */
const MESSAGE_ITEM = /(?:BODY\[(?:TEXT)?\]|BINARY\[\]|RFC822(?:\.TEXT)?)(?:<\d+>)? ?\{(\d{1,10})\}$/i;
const ANY_LITERAL = /\{(\d{1,10})\+?\}$/;

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
  private readonly sasl: SaslExchange;
  private startTlsTag: string | null = null;

  /** server side, read as bytes: the current line, and the literal being read */
  /** the server line being read (made on the first server byte: many sessions never get one) */
  private line: Uint8Array | null = null;
  private lineLen = 0;
  private lineCut = false;
  private literalLeft = 0;
  private literal: MessageText | null = null;
  private literalLines: LineSplitter | null = null;

  constructor(
    private readonly emit: Emit,
    /** file extraction: message and attachment bytes kept, at most keep.bytes each */
    private readonly keep: KeepBytes | null = null,
    /** false: mail text is not read (nothing takes messages or attachments) */
    private readonly readMessages = true,
  ) {
    this.sasl = new SaslExchange(emit, 'authenticate');
  }

  /**
   * Server bytes as they come: lines go to server(); a line ending in a literal marker makes the next n bytes
   * that literal, whatever they contain.
   */
  serverData(b: Uint8Array, start = 0, end = b.length): void {
    let i = start;
    while (i < end) {
      if (this.literalLeft > 0) {
        const k = Math.min(this.literalLeft, end - i);
        this.literalLines?.push(b, i, i + k);
        this.literalLeft -= k;
        i += k;
        if (this.literalLeft === 0) this.endLiteral(true);
        continue;
      }
      const c = b[i++]!;
      const line = (this.line ??= new Uint8Array(MAX_LINE));
      if (c !== 10) {
        if (this.lineLen < MAX_LINE) line[this.lineLen++] = c;
        else this.lineCut = true;
        continue;
      }
      let n = this.lineLen;
      if (n > 0 && line[n - 1] === 13) n--;
      const text = latin1(line, 0, n, n);
      const cut = this.lineCut;
      this.lineLen = 0;
      this.lineCut = false;
      this.server(text);
      if (!cut) this.openLiteral(text);
    }
  }

  /** A gap in the server's bytes: the line or literal in progress is lost. */
  serverGap(): void {
    this.lineLen = 0;
    this.lineCut = false;
    if (this.literal) this.endLiteral(false);
    this.literalLeft = 0;
  }

  /** The connection ended: a message still being read is reported as incomplete. */
  close(): void {
    if (this.literal) this.endLiteral(false);
    this.literalLeft = 0;
  }

  private openLiteral(text: string): void {
    const any = ANY_LITERAL.exec(text);
    if (!any) return;
    const n = Number(any[1]);
    if (!Number.isSafeInteger(n) || n === 0) return;
    this.literalLeft = n;
    const m = /^\* \d+ FETCH /i.test(text) || this.inFetch ? MESSAGE_ITEM.exec(text) : null;
    if (m) {
      const msg = new MessageText(this.emit, this.keep, this.readMessages);
      this.literal = msg;
      this.literalLines = new LineSplitter((l, cut) => msg.line(l, cut));
    }
    // the FETCH response goes on after the literal (more items, more literals) until its line ends
    this.inFetch = /^\* \d+ FETCH /i.test(text) || this.inFetch;
  }

  private inFetch = false;

  private endLiteral(complete: boolean): void {
    const msg = this.literal;
    const lines = this.literalLines;
    this.literal = null;
    this.literalLines = null;
    if (!msg || !lines) return;
    // a literal that does not end in CRLF: its last line still belongs to the message
    if (lines.pending > 0) lines.push(NEWLINE);
    this.emit({ type: 'message', from: null, to: [], ...msg.finish(complete) });
  }

  client(line: string): void {
    if (this.sasl.continue(line)) return;
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
      if (mech === 'PLAIN') this.sasl.plain(rest[1]);
      else if (mech === 'LOGIN') this.sasl.login();
    } else if (verb === 'STARTTLS') this.startTlsTag = tag ?? null;
  }

  server(line: string): void {
    // a line that does not end in another literal ends the FETCH response it continued
    if (!ANY_LITERAL.test(line)) this.inFetch = false;
    if (this.startTlsTag && line.startsWith(`${this.startTlsTag} OK`)) this.emit({ type: 'starttls' });
    if (/^\S+ (NO|BAD)/.test(line)) this.sasl.cancel();
  }
}

const NEWLINE = new Uint8Array([10]);
