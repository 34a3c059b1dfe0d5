import type { ErrorCode } from '../shared/errors.js';
import type { Problem } from '../shared/problem.js';
import type { ChunkBuffer } from './chunk-buffer.js';
import { READ_END, READ_NEED_MORE } from './reader.js';
import type { InterfaceInfo, ResolvedName, ReadStatus } from './reader.js';

/** A hostile file could raise one problem per packet; past this many, further ones are counted, not kept. */
export const MAX_PROBLEMS = 100;

/** What the pcap and pcapng readers share: the chunk buffer, the problem list and the end-of-stream logic. */
export abstract class ReaderBase {
  readonly problems: Problem[] = [];
  readonly interfaces: InterfaceInfo[] = [];
  readonly names: ResolvedName[] = [];
  readonly comments: string[] = [];
  /** problems beyond MAX_PROBLEMS, not kept */
  suppressedProblems = 0;
  protected done = false;
  /** packets delivered so far (the last one's frame number) */
  protected count = 0;

  constructor(
    protected readonly cb: ChunkBuffer,
    readonly name: string,
  ) {}

  get compressed(): boolean {
    return this.cb.source.compressed === true;
  }

  /** Stream offset of the next unread byte. */
  get position(): number {
    return this.cb.position;
  }

  fill(): Promise<void> {
    return this.cb.fill();
  }

  async close(): Promise<void> {
    await this.cb.settle();
    return this.cb.source.close();
  }

  protected problem(code: ErrorCode, offset: number, message: string, packet?: number): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      this.suppressedProblems++;
      return;
    }
    const p: Problem = { file: this.name, offset, code, message };
    if (packet !== undefined) p.packet = packet;
    this.problems.push(p);
  }

  /** Records a fatal problem at `offset` and ends the stream. */
  protected stop(code: ErrorCode, offset: number, message: string): ReadStatus {
    this.problem(code, offset, message);
    this.done = true;
    return READ_END;
  }

  /**
   * The record at the current position needs `n` bytes but fewer are buffered: asks for a fill, or ends the
   * stream when the input has ended (a clean end between records, a truncated record, or a source failure).
   * `what` names the record for the truncation message.
   */
  protected needMore(n: number, what: string): ReadStatus {
    const cb = this.cb;
    const at = cb.position;
    // bytes the input will ever have from here on (exact once it ended; from the file size before that)
    const remaining = cb.eof ? cb.avail : cb.remainingHint();
    if (n > remaining) {
      if (cb.error) return this.stop(cb.error.code, cb.base + cb.end, `read failed: ${cb.error.message}`);
      this.done = true;
      if (remaining <= 0) return READ_END;
      return this.stop(
        'E_TRUNCATED',
        at,
        `file ends inside ${what} at offset ${at} (${remaining} of ${n} bytes present) after ${this.count} packets`,
      );
    }
    cb.need = n;
    return READ_NEED_MORE;
  }
}
