/**
 * Writes rows as they arrive (JSON array or CSV), for tables too large to hold: `flows` hands every finished
 * flow here while the capture is still being read. Output is batched into large writes.
 */
import { columnsFor } from '../columns.js';
import { csvLine } from './csv.js';
import { JsonRowWriter } from './json-row.js';
import { writeOut, type OutStream } from '../io.js';

const FLUSH_AT = 1 << 16;

export class RowStream {
  private buf = '';
  private rows = 0;
  private columns: string[] | null = null;
  private readonly json = new JsonRowWriter();

  constructor(
    private readonly out: OutStream,
    private readonly format: 'json' | 'csv',
    private readonly fixedColumns: readonly string[],
  ) {}

  add(row: object): void {
    const r = row as Record<string, unknown>;
    if (this.format === 'json') {
      this.buf += (this.rows === 0 ? '[\n' : ',\n') + this.json.text(r);
    } else {
      if (this.columns === null) {
        this.columns = columnsFor(this.fixedColumns, r);
        this.buf += csvLine(this.columns);
      }
      this.buf += csvLine(this.columns.map((c) => r[c]));
    }
    this.rows++;
    // a synchronous caller cannot wait for 'drain'; process.stdout on files and pipes writes synchronously on
    // Linux, and end() waits for the rest
    if (this.buf.length >= FLUSH_AT) {
      this.out.write(this.buf);
      this.buf = '';
    }
  }

  /** A JSON row given as `{"id":` + id + tail (format json only; see flow-json.ts). */
  addJsonTail(id: number, tail: string): void {
    this.buf += (this.rows === 0 ? '[\n{"id":' : ',\n{"id":') + id + tail;
    this.rows++;
    if (this.buf.length >= FLUSH_AT) {
      this.out.write(this.buf);
      this.buf = '';
    }
  }

  get count(): number {
    return this.rows;
  }

  async end(): Promise<void> {
    if (this.format === 'json') this.buf += this.rows === 0 ? '[]\n' : '\n]\n';
    else if (this.columns === null) this.buf += csvLine(this.fixedColumns);
    await writeOut(this.out, this.buf);
    this.buf = '';
  }
}
