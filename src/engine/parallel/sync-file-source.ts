/**
 * A large plain capture file read with synchronous positional reads on the main thread. An async read is a
 * round trip through libuv's thread pool: on a busy machine (more runnable threads than cores) every one of
 * them waits for the pool thread and then the main thread to be scheduled again. Measured on the 512 MiB
 * bench file at load average ~15 on 2 cores: the main thread waited 1.7-2.7 s in total for 512 async fills,
 * 0.4-0.6 s with synchronous reads; CPU time is the same. A 1 MiB read from the page cache blocks for well
 * under a millisecond, which is less than decoding that MiB takes, so the event loop is not held noticeably
 * longer than by the decoding itself. The second part of a byte-range split (range-part.ts) reads this way,
 * from its cut; every other run reads regular files synchronously too (sources/file-source.ts).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../../wire/source.js';

export class SyncFileSource implements ByteSource {
  readonly compressed = false;
  consumed = 0;
  private fd: number;

  /**
   * `start`: the first byte read (the second part of a byte-range split, range-split.ts, reads from its cut);
   * `consumed` counts from the file's start either way, so progress and offsets stay the file's.
   */
  constructor(
    readonly name: string,
    readonly size: number,
    start = 0,
  ) {
    this.fd = openSync(name, 'r');
    this.consumed = start;
  }

  read(into: Uint8Array, offset: number, length: number): Promise<number> {
    const len = Math.min(length, into.length - offset);
    if (this.fd < 0 || len <= 0) return Promise.resolve(0);
    try {
      const n = readSync(this.fd, into, offset, len, this.consumed);
      this.consumed += n;
      return Promise.resolve(n);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  close(): Promise<void> {
    if (this.fd >= 0) {
      const fd = this.fd;
      this.fd = -1;
      closeSync(fd);
    }
    return Promise.resolve();
  }
}
