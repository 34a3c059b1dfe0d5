/**
 * CSV per RFC 4180 (CRLF line ends, fields quoted when they hold a quote, comma, CR or LF; quotes doubled), with
 * spreadsheet formula-injection protection: a text cell starting with = + - @ TAB or CR gets a leading single
 * quote so Excel/LibreOffice treat it as text. Plain numbers (also negative ones) stay numeric.
 */
import { cellText } from './cell.js';
import { terminalSafe } from './terminal-safe.js';

/**
 * Controls that act on a terminal when the CSV is printed (ESC, BEL, C1 CSI, bidi overrides): shown escaped like
 * the table does. TAB, CR and LF stay: they are data inside a quoted field.
 */
const RISKY = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(v: unknown): string {
  let s = cellText(v).replace(RISKY, terminalSafe);
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
