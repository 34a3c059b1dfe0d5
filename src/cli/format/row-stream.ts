/**
 * Writes rows as they arrive (JSON array or CSV), for tables too large to hold: `flows` hands every finished
 * flow here while the capture is still being read. Rows are written into one reused byte buffer (byte-sink.ts;
 * flow rows by flow-json.ts's named-field writers) that goes out in large writes.
 */
import { columnsFor } from '../columns.js';
import type { FlowRow } from '../../shared/rows.js';
import { ByteSink } from './byte-sink.js';
import { FLOW_KEYS, writeFlowCsv, writeFlowJson } from './flow-json.js';
import { JsonRowWriter } from './json-row.js';
import { writeOut, type OutStream } from '../io.js';

const FLUSH_AT = 1 << 16;

const ROW_START = Buffer.from('[\n');
const ROW_NEXT = Buffer.from(',\n');
const ID_START = Buffer.from('[\n{"id":');
const ID_NEXT = Buffer.from(',\n{"id":');

export class RowStream {
  private readonly sink = new ByteSink(FLUSH_AT * 2);
  private rows = 0;
  private columns: string[] | null = null;
  /** the CSV columns are FLOW_KEYS: lines are written by writeFlowCsv */
  private flowCsv = false;
  private readonly json = new JsonRowWriter();

  constructor(
    private readonly out: OutStream,
    private readonly format: 'json' | 'csv',
    private readonly fixedColumns: readonly string[],
  ) {}

  add(row: object): void {
    const sink = this.sink;
    if (this.format === 'json') {
      sink.bytes(this.rows === 0 ? ROW_START : ROW_NEXT, false);
      if (!writeFlowJson(sink, row as FlowRow, false)) this.json.write(sink, row as Record<string, unknown>);
    } else {
      const r = row as Record<string, unknown>;
      if (this.columns === null) {
        const columns = columnsFor(this.fixedColumns, r);
        this.columns = columns;
        this.flowCsv = columns.length === FLOW_KEYS.length && columns.every((c, i) => c === FLOW_KEYS[i]);
        this.csvLine(columns);
      }
      if (this.flowCsv) writeFlowCsv(sink, row as FlowRow);
      else this.csvLine(this.columns.map((c) => r[c]));
    }
    this.rows++;
    // a synchronous caller cannot wait for 'drain'; process.stdout on files and pipes writes synchronously on
    // Linux, and end() waits for the rest
    if (sink.pos >= FLUSH_AT) this.out.write(sink.take());
  }

  /** A JSON row given as `{"id":` + id + tail (format json only; see flow-json.ts). */
  addJsonTail(id: number, tail: string): void {
    const sink = this.sink;
    this.idHead(id);
    sink.utf8(tail);
    this.rows++;
    if (sink.pos >= FLUSH_AT) this.out.write(sink.take());
  }

  /**
   * JSON rows formatted elsewhere (flow-json-pipe.ts), `rows` of them, each as ROW_NEXT + the row's text: the
   * first row of the stream gets ROW_START instead.
   */
  addJsonRowsText(text: string, rows: number): void {
    if (rows === 0) return;
    const sink = this.sink;
    if (sink.pos > 0) this.out.write(sink.take());
    this.out.write(this.rows === 0 ? '[' + text.slice(1) : text);
    this.rows += rows;
  }

  /**
   * Rows written to the stream's file descriptor by another thread (flow-json-pipe-worker.ts), the first one
   * with ROW_START: counted so that end() closes the array. Nothing of this stream may be buffered then.
   */
  countRowsWritten(rows: number): void {
    this.rows += rows;
  }

  private idHead(id: number): void {
    this.sink.bytes(this.rows === 0 ? ID_START : ID_NEXT, false);
    // as the string `'{"id":' + id` writes it
    if (Number.isSafeInteger(id) && id >= 0) this.sink.uint(id);
    else this.sink.utf8(String(id));
  }

  private csvLine(values: readonly unknown[]): void {
    const sink = this.sink;
    for (let i = 0; i < values.length; i++) {
      if (i > 0) sink.ascii(',');
      sink.csvValue(values[i]);
    }
    sink.ascii('\r\n');
  }

  get count(): number {
    return this.rows;
  }

  async end(): Promise<void> {
    if (this.format === 'json') this.sink.ascii(this.rows === 0 ? '[]\n' : '\n]\n');
    else if (this.columns === null) this.csvLine(this.fixedColumns);
    await writeOut(this.out, this.sink.take());
  }
}
