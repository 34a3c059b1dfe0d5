/**
 * Follow-stream index of one flow: which capture bytes make up each direction's stream, merged where frames
 * follow each other. Bounded: past maxRefs the index stops growing and says so (truncated), and follow-stream
 * then shows only the beginning.
 */
import type { Dir, StreamRef } from './types.js';

export type StreamIndexEntry = StreamRef;

export class StreamIndex {
  readonly entries: StreamIndexEntry[] = [];
  /** gaps as [dir, streamOffset, len] */
  readonly gaps: [Dir, number, number][] = [];
  truncated = false;

  constructor(private readonly maxRefs = 100_000) {}

  add(ref: StreamRef): void {
    if (this.entries.length >= this.maxRefs) {
      this.truncated = true;
      return;
    }
    this.entries.push({ ...ref });
  }

  addGap(dir: Dir, streamOffset: number, len: number): void {
    if (this.gaps.length >= this.maxRefs) {
      this.truncated = true;
      return;
    }
    this.gaps.push([dir, streamOffset, len]);
  }
}
