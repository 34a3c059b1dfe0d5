/**
 * Blocking writes to a file descriptor, and the waits between the threads that write rows straight to standard
 * output (flow-json-pipe.ts).
 */
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * All of buf[0, n) to fd, waiting out a full pipe (EAGAIN on a non-blocking descriptor); false when the reader
 * has gone away (EPIPE: `pcaplens flows x.pcap | head`).
 */
export function writeAll(out: number, buf: Uint8Array, n: number): boolean {
  let off = 0;
  while (off < n) {
    try {
      off += writeSync(out, buf, off, n - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return false;
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 2);
    }
  }
  return true;
}

/**
 * Waits, blocking this thread, until `ok` holds for cell[0], which another thread changes and notifies. Gives up
 * after `stuckMs` without a change (a thread that died): false.
 */
export function waitFor(cell: Int32Array, ok: (value: number) => boolean, stuckMs: number): boolean {
  let waited = 0;
  for (;;) {
    const now = Atomics.load(cell, 0);
    if (ok(now)) return true;
    if (waited >= stuckMs) return false;
    if (Atomics.wait(cell, 0, now, 1000) === 'timed-out') waited += 1000;
  }
}

/** Waits until turn[0] is `seq`: the batches of rows before it are written, by whichever thread had them. */
export function waitTurn(turn: Int32Array, seq: number, stuckMs: number): boolean {
  return waitFor(turn, (now) => now === seq, stuckMs);
}

/** Marks the batch written: the next one's writer may go. */
export function passTurn(turn: Int32Array): void {
  Atomics.add(turn, 0, 1);
  Atomics.notify(turn, 0);
}
