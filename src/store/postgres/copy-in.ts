import type { AppendColumn } from '../sql-store.js';
import type { Encoded } from '../codec.js';

/**
 * COPY ... FROM STDIN for `pg` without an extra package. pg runs any object with a `submit(connection)`
 * method as a query and hands it the protocol events (CopyInResponse, ErrorResponse, ReadyForQuery), so
 * this sends the statement, then the rows in COPY text format, then CopyDone. See the PostgreSQL manual,
 * "COPY" (text format) and "Message Flow: COPY Operations".
 */

/** Text-format escaping of one field: backslash, and the characters that delimit fields and rows. */
function escapeText(s: string): string {
  return /[\\\n\r\t]/.test(s)
    ? s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'))
    : s;
}

/** An array literal `{"a","b"}`: each element quoted, with its backslashes and quotes escaped. */
function arrayLiteral(v: (string | number | null)[], numeric: boolean): string {
  const items = v.map((x) =>
    x === null ? 'NULL' : numeric ? String(x) : `"${String(x).replace(/[\\"]/g, (c) => '\\' + c)}"`,
  );
  return `{${items.join(',')}}`;
}

function field(type: AppendColumn['type'], v: Encoded): string {
  if (v === null) return '\\N';
  switch (type) {
    case 'bool':
      return v ? 't' : 'f';
    case 'text[]':
      return escapeText(arrayLiteral(v as string[], false));
    case 'int[]':
      return arrayLiteral(v as number[], true);
    case 'text':
    case 'json':
      return escapeText(String(v));
    default:
      return String(v);
  }
}

/** Column-major values to COPY text rows. */
export function copyText(columns: AppendColumn[], data: Encoded[][]): string {
  const rows = data[0]?.length ?? 0;
  const lines: string[] = new Array(rows);
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < columns.length; c++) {
      if (c) line += '\t';
      line += field(columns[c]!.type, data[c]![r] ?? null);
    }
    lines[r] = line;
  }
  return rows ? lines.join('\n') + '\n' : '';
}

interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** Pieces of at most this size go into one CopyData message. */
const CHUNK = 1 << 20;

export class CopyIn {
  private error: Error | null = null;
  readonly done: Promise<void>;
  private settle!: (e: Error | null) => void;

  constructor(
    readonly text: string,
    private readonly payload: Buffer,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = (e) => (e ? reject(e) : resolve());
    });
  }

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: PgConnection): void {
    for (let off = 0; off < this.payload.length; off += CHUNK) {
      connection.sendCopyFromChunk(this.payload.subarray(off, off + CHUNK));
    }
    connection.endCopyFrom();
  }
  handleError(err: Error): void {
    this.error = err;
    // a dead connection sends no ReadyForQuery; a server error does, and settles there
    if (!(err as { severity?: string }).severity) this.settle(err);
  }
  handleReadyForQuery(): void {
    this.settle(this.error);
  }
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handleCopyData(): void {}
  handlePortalSuspended(): void {}
}
