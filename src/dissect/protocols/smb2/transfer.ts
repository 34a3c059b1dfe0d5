/**
 * The bytes of one direction of one open SMB2 file (WRITE request data = upload, READ response data =
 * download), hashed while they arrive in file order from offset 0. Data out of order (a seek, a re-read, a
 * missed segment) stops the hash (sha256 null, complete false) but not the count. Bytes kept for extraction
 * are capped per file and taken from a shared budget, as for FTP and HTTP.
 */
import { createSha256, type IncrementalSha256 } from '../../../shared/sha256.js';
import { toHex } from '../../../shared/md5.js';

export interface KeepFileBytes {
  bytes: number;
  budget?: { left: number };
}

export class Transfer {
  /** bytes seen */
  size = 0;
  /** the file offset the next in-order byte has */
  private next = 0;
  private inOrder = true;
  private hash: IncrementalSha256 | null = createSha256();
  private kept: Uint8Array[] = [];
  private keptLen = 0;
  /** first packet and time the data was seen */
  packet = 0;
  tsSec = 0;
  tsNsec = 0;

  constructor(private readonly keep: KeepFileBytes | null) {}

  /** b[start, end) is file data at file offset `at`. */
  data(b: Uint8Array, start: number, end: number, at: number): void {
    const n = end - start;
    if (n <= 0) return;
    this.size += n;
    if (!this.inOrder) return;
    if (at !== this.next) {
      this.inOrder = false;
      this.hash = null;
      return;
    }
    this.next += n;
    this.hash!.update(b, start, end);
    if (this.keep) this.keepBytes(b, start, end, this.keep);
  }

  /** A gap in the stream while data was expected. */
  lost(): void {
    this.inOrder = false;
    this.hash = null;
  }

  private keepBytes(b: Uint8Array, start: number, end: number, k: KeepFileBytes): void {
    let n = Math.min(end - start, k.bytes - this.keptLen);
    if (k.budget) n = Math.min(n, k.budget.left);
    if (n <= 0) return;
    if (k.budget) k.budget.left -= n;
    this.kept.push(b.slice(start, start + n));
    this.keptLen += n;
  }

  /** SHA-256 of the data when it all came in order; then the kept content, released from the budget. */
  finish(): { sha256: string | null; complete: boolean; content: Uint8Array | null } {
    const sha256 = this.inOrder && this.hash ? toHex(this.hash.digest()) : null;
    let content: Uint8Array | null = null;
    if (this.keptLen > 0) {
      content = new Uint8Array(this.keptLen);
      let o = 0;
      for (const p of this.kept) {
        content.set(p, o);
        o += p.length;
      }
    }
    if (this.keep?.budget) this.keep.budget.left += this.keptLen;
    this.kept = [];
    this.keptLen = 0;
    return { sha256, complete: sha256 !== null, content };
  }
}
