/**
 * Attachments of a mail message (RFC 5322 + MIME, RFC 2045/2046), read line by line as the message passes
 * (SMTP DATA, POP3 RETR, IMAP FETCH). Multipart bodies are split at their boundaries, nested up to a depth;
 * each leaf part with a file name (Content-Disposition filename, Content-Type name) or an attachment
 * disposition is decoded (base64, quoted-printable, or as is), hashed and counted as it streams, and
 * reported when its closing boundary (or the message end) arrives. Memory per message: one part's header
 * fields (capped), the boundary stack (capped) and the bytes kept for sniffing or extraction (capped).
 */
import { createSha256 } from '../../../shared/sha256.js';
import { toHex } from '../../../shared/md5.js';
import { decodeWords, parseHeaderValue } from './header-params.js';
import { MAGIC_LEN, magicType } from './magic-type.js';
import { lineDecoder, type LineDecoder } from './transfer-decode.js';

export interface MimeAttachment {
  /** file name as the sender gave it (encoded words and RFC 2231 decoded), null when the part has none */
  name: string | null;
  /** type by the content's first bytes, else the declared Content-Type (without parameters) */
  contentType: string | null;
  /** decoded bytes */
  size: number;
  /** SHA-256 of the decoded bytes, null when the part was not seen whole */
  sha256: string | null;
  complete: boolean;
  /** the first decoded bytes: MAGIC_LEN of them, or up to the extraction cap when bytes are kept */
  content: Uint8Array;
}

export interface MimeLimits {
  /** leaf parts looked at per message */
  maxParts: number;
  /** nested multiparts followed */
  maxDepth: number;
  /** header bytes read per part (the rest of an oversized header block is skipped) */
  maxHeaderBytes: number;
}

export const DEFAULT_MIME_LIMITS: MimeLimits = { maxParts: 256, maxDepth: 8, maxHeaderBytes: 16384 };

/** Bytes kept per attachment for extraction, taken from (and given back to) a shared budget. */
export interface KeepBytes {
  bytes: number;
  budget?: { left: number };
}

const HEADERS = 0;
const BODY = 1;
/** preamble and epilogue: text around the parts, ignored */
const SKIP = 2;

const MAX_BOUNDARY = 70;

class Leaf {
  readonly hash = createSha256();
  size = 0;
  cut = false;
  readonly decoder: LineDecoder;
  private readonly kept: Uint8Array[] = [];
  keptLen = 0;

  constructor(
    readonly name: string | null,
    readonly declaredType: string | null,
    encoding: string | null,
    private readonly keepMax: number,
    private readonly budget: { left: number } | undefined,
  ) {
    this.decoder = lineDecoder(encoding, (b, s, e) => this.bytes(b, s, e));
  }

  private bytes(b: Uint8Array, s: number, e: number): void {
    this.size += e - s;
    this.hash.update(b, s, e);
    let n = Math.min(e - s, this.keepMax - this.keptLen);
    if (this.budget) n = Math.min(n, this.budget.left);
    if (n <= 0) return;
    if (this.budget) this.budget.left -= n;
    this.kept.push(b.slice(s, s + n));
    this.keptLen += n;
  }

  /** The kept bytes in one piece; their budget share is given back (the caller hands them on at once). */
  content(): Uint8Array {
    const out = new Uint8Array(this.keptLen);
    let at = 0;
    for (const k of this.kept) {
      out.set(k, at);
      at += k.length;
    }
    if (this.budget) this.budget.left += this.keptLen;
    this.kept.length = 0;
    this.keptLen = 0;
    return out;
  }
}

export class MimeParts {
  private mode = HEADERS;
  /** "--boundary" of each open multipart, outermost first */
  private readonly stack: string[] = [];
  private field = '';
  private fieldValue = '';
  private contentType = '';
  private disposition = '';
  private encoding = '';
  private headerBytes = 0;
  private leaf: Leaf | null = null;
  private parts = 0;
  private readonly keepMax: number;

  constructor(
    private readonly onAttachment: (a: MimeAttachment) => void,
    private readonly keep: KeepBytes | null = null,
    private readonly limits: MimeLimits = DEFAULT_MIME_LIMITS,
  ) {
    this.keepMax = Math.max(MAGIC_LEN, keep?.bytes ?? 0);
  }

  /** One line of the message (dot-unstuffed, without CRLF); `cut` when the line was too long to hold whole. */
  line(s: string, cut = false): void {
    if (this.stack.length > 0 && s.charCodeAt(0) === 45 && s.charCodeAt(1) === 45 && this.boundary(s)) return;
    if (this.mode === HEADERS) this.headerLine(s);
    else if (this.mode === BODY && this.leaf !== null) {
      if (cut) this.leaf.cut = true;
      this.leaf.decoder.line(s);
    }
  }

  /** The message ended (complete: its end was seen, nothing missing): a part still open ends with it. */
  end(complete: boolean): void {
    if (this.mode === HEADERS) this.headersDone();
    this.finishLeaf(complete);
    this.stack.length = 0;
    this.mode = SKIP;
  }

  /** A delimiter line of an open multipart (inner ones first): ends the current part. */
  private boundary(s: string): boolean {
    outer: for (let i = this.stack.length - 1; i >= 0; i--) {
      const b = this.stack[i]!;
      if (!s.startsWith(b)) continue;
      const close = s.charCodeAt(b.length) === 45 && s.charCodeAt(b.length + 1) === 45;
      // only transport padding may follow the delimiter (RFC 2046 section 5.1.1)
      for (let k = b.length + (close ? 2 : 0); k < s.length; k++) {
        const c = s.charCodeAt(k);
        if (c !== 32 && c !== 9) continue outer;
      }
      if (this.mode === HEADERS) this.headersDone();
      this.finishLeaf(true);
      this.stack.length = i + 1;
      if (close) {
        this.stack.pop();
        this.mode = SKIP;
      } else this.startPart();
      return true;
    }
    return false;
  }

  private startPart(): void {
    this.mode = HEADERS;
    this.field = '';
    this.fieldValue = '';
    this.contentType = '';
    this.disposition = '';
    this.encoding = '';
    this.headerBytes = 0;
  }

  private headerLine(s: string): void {
    if (s === '') {
      this.headersDone();
      return;
    }
    this.headerBytes += s.length + 2;
    if (this.headerBytes > this.limits.maxHeaderBytes) return;
    const c = s.charCodeAt(0);
    if (c === 32 || c === 9) {
      // folded continuation of the field before
      if (this.field !== '') this.fieldValue += ' ' + s.trim();
      return;
    }
    this.takeField();
    const colon = s.indexOf(':');
    if (colon <= 0) return;
    const name = s.slice(0, colon).trim().toLowerCase();
    if (name === 'content-type' || name === 'content-disposition' || name === 'content-transfer-encoding') {
      this.field = name;
      this.fieldValue = s.slice(colon + 1).trim();
    }
  }

  private takeField(): void {
    if (this.field === 'content-type') this.contentType = this.fieldValue;
    else if (this.field === 'content-disposition') this.disposition = this.fieldValue;
    else if (this.field === 'content-transfer-encoding') this.encoding = this.fieldValue;
    this.field = '';
    this.fieldValue = '';
  }

  private headersDone(): void {
    this.takeField();
    const ct = parseHeaderValue(this.contentType);
    if (ct.value.startsWith('multipart/')) {
      const b = ct.params.get('boundary');
      if (b && b.length <= MAX_BOUNDARY && this.stack.length < this.limits.maxDepth) {
        this.stack.push('--' + b);
        this.mode = SKIP;
        return;
      }
    }
    this.mode = BODY;
    this.leaf = null;
    const cd = parseHeaderValue(this.disposition);
    const raw = cd.params.get('filename') ?? ct.params.get('name') ?? null;
    if (raw === null && cd.value !== 'attachment') return;
    if (++this.parts > this.limits.maxParts) return;
    this.leaf = new Leaf(
      raw === null ? null : decodeWords(raw),
      ct.value || null,
      this.encoding,
      this.keepMax,
      this.keep?.budget,
    );
  }

  private finishLeaf(complete: boolean): void {
    const l = this.leaf;
    if (l === null) return;
    this.leaf = null;
    const whole = complete && !l.cut;
    const content = l.content();
    this.onAttachment({
      name: l.name,
      contentType: magicType(content) ?? l.declaredType,
      size: l.size,
      sha256: whole ? toHex(l.hash.digest()) : null,
      complete: whole,
      content,
    });
  }
}
