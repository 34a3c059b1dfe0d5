/**
 * One mail message as its lines pass (SMTP DATA, POP3 RETR): size and SHA-256 of the text, the Subject
 * header, the text kept for extraction (capped, from a shared budget) and the MIME attachments, which are
 * reported through `emit` as each one ends. Lines are byte strings (one char per byte) without CRLF, already
 * dot-unstuffed by the caller.
 */
import { createSha256, type IncrementalSha256 } from '../../../shared/sha256.js';
import { toHex } from '../../../shared/md5.js';
import type { Emit } from '../ftp/text-events.js';
import { decodeWords } from './header-params.js';
import { MimeParts, type KeepBytes } from './mime-parts.js';

export interface MessageSummary {
  subject: string | null;
  size: number;
  /** null when the message was not seen whole */
  sha256: string | null;
  content?: Uint8Array;
}

export class MessageText {
  private inHeaders = true;
  private subject: string | null = null;
  private size = 0;
  private cut = false;
  private readonly hash: IncrementalSha256 | null;
  private readonly mime: MimeParts | null;
  private buf = new Uint8Array(1024);
  private kept: Uint8Array[] = [];
  private keptLen = 0;

  constructor(
    emit: Emit,
    private readonly keep: KeepBytes | null,
    /**
     * false when nothing takes the message or its attachments (a run without file rows): lines pass unread,
     * finish() tells size 0 and no hash, no attachment is reported
     */
    read = true,
  ) {
    this.hash = read ? createSha256() : null;
    this.mime = !read
      ? null
      : new MimeParts(
          (a) =>
            emit({
              type: 'attachment',
              name: a.name,
              contentType: a.contentType,
              size: a.size,
              sha256: a.sha256,
              complete: a.complete,
              content: a.content,
            }),
          keep,
        );
  }

  line(text: string, cut = false): void {
    const hash = this.hash;
    const mime = this.mime;
    if (hash === null || mime === null) return;
    const need = text.length + 2;
    if (this.buf.length < need) this.buf = new Uint8Array(Math.max(need, this.buf.length * 2));
    const b = this.buf;
    for (let i = 0; i < text.length; i++) b[i] = text.charCodeAt(i) & 0xff;
    b[text.length] = 13;
    b[text.length + 1] = 10;
    this.size += need;
    hash.update(b, 0, need);
    if (cut) this.cut = true;
    if (this.keep) this.keepBytes(b, need, this.keep);
    if (this.inHeaders) {
      if (text === '') this.inHeaders = false;
      else if (this.subject === null && /^subject:/i.test(text))
        this.subject = decodeWords(text.slice(8).trim());
    }
    mime.line(text, cut);
  }

  /** The message ended (complete: its terminating line was seen). */
  finish(complete: boolean): MessageSummary {
    this.mime?.end(complete);
    const whole = complete && !this.cut;
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
    return {
      subject: this.subject,
      size: this.size,
      sha256: whole && this.hash ? toHex(this.hash.digest()) : null,
      ...(content ? { content } : {}),
    };
  }

  private keepBytes(b: Uint8Array, len: number, keep: KeepBytes): void {
    let n = Math.min(len, keep.bytes - this.keptLen);
    if (keep.budget) n = Math.min(n, keep.budget.left);
    if (n <= 0) return;
    if (keep.budget) keep.budget.left -= n;
    this.kept.push(b.slice(0, n));
    this.keptLen += n;
  }
}
