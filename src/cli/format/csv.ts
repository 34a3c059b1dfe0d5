/**
 * CSV per RFC 4180 (CRLF line ends, fields quoted when they hold a quote, comma, CR or LF; quotes doubled), with
 * spreadsheet formula-injection protection: a text cell starting with = + - @ TAB or CR gets a leading single
 * quote so Excel/LibreOffice treat it as text. Plain numbers (also negative ones) stay numeric.
 */
import { cellText } from './cell.js';

const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(v: unknown): string {
  let s = cellText(v);
  if (typeof v !== 'number' && s.length > 0 && '=+-@\t\r'.includes(s[0]!) && !PLAIN_NUMBER.test(s))
    s = "'" + s;
  return NEEDS_QUOTES.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/** Header line plus one line per row, columns in the given order. */
export function* csvRows(
  columns: readonly string[],
  rows: Iterable<Record<string, unknown>>,
): Generator<string> {
  yield csvLine(columns);
  for (const r of rows) yield csvLine(columns.map((c) => r[c]));
}
