/**
 * The CLI's I/O, injectable so tests run main() in-process with captured output. Writes honour back-pressure
 * (a large table piped to a slow reader does not pile up in memory).
 */
export interface OutStream {
  write(s: string): boolean | void;
  isTTY?: boolean;
  columns?: number;
  once?(event: 'drain' | 'error', cb: (...args: unknown[]) => void): unknown;
}

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  /** aborted on Ctrl-C */
  signal?: AbortSignal;
}

/** Writes one chunk, waiting for 'drain' when the stream asks for it. */
export async function writeOut(out: OutStream, s: string): Promise<void> {
  if (out.write(s) === false && out.once) {
    await new Promise<void>((resolve) => out.once!('drain', () => resolve()));
  }
}

/** Collects output in memory (tests). */
export class MemoryStream implements OutStream {
  text = '';
  constructor(
    public isTTY = false,
    public columns = 120,
  ) {}
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}
