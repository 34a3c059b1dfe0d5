/** Writes a list of rows in the chosen format. */
import type { OutputFormat } from '../args.js';
import { columnsFor } from '../columns.js';
import { csvRows } from '../format/csv.js';
import { jsonArrayChunks } from '../format/json.js';
import { renderTable } from '../format/table.js';
import { writeOut, type OutStream } from '../io.js';

/** Rows per write when streaming JSON/CSV (one write per row would be slow, one string for all too big). */
const BATCH = 512;

export async function writeRows(
  out: OutStream,
  format: OutputFormat,
  rows: readonly object[],
  allColumns: readonly string[],
  tableColumns: readonly string[],
): Promise<void> {
  const records = rows as readonly Record<string, unknown>[];
  if (format === 'table') {
    if (records.length === 0) return void (await writeOut(out, '(no rows)\n'));
    return void (await writeOut(out, renderTable(tableColumns, records, { maxColumnWidth: 40 })));
  }
  const chunks =
    format === 'json' ? jsonArrayChunks(records) : csvRows(columnsFor(allColumns, records[0]), records);
  let buf = '';
  let n = 0;
  for (const c of chunks) {
    buf += c;
    if (++n % BATCH === 0) {
      await writeOut(out, buf);
      buf = '';
    }
  }
  if (buf) await writeOut(out, buf);
}
