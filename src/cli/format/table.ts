/**
 * Aligned text table for a terminal. Every cell passes through terminalSafe (a capture cannot drive the
 * terminal) and is cut to a maximum width; numbers are right-aligned.
 */
import { cellText } from './cell.js';
import { displayWidth, terminalSafe, truncateToWidth } from './terminal-safe.js';

export interface TableOptions {
  /** widest a column may get before its cells are cut with an ellipsis */
  maxColumnWidth?: number;
}

export function renderTable(
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  opts: TableOptions = {},
): string {
  const max = Math.max(4, opts.maxColumnWidth ?? 40);
  const cells = rows.map((r) => columns.map((c) => truncateToWidth(terminalSafe(cellText(r[c])), max)));
  const head = columns.map((c) => truncateToWidth(terminalSafe(c), max));
  const numeric = columns.map(
    (c) => rows.length > 0 && rows.every((r) => typeof r[c] === 'number' || r[c] == null),
  );
  const widths = head.map((h, i) => Math.max(displayWidth(h), ...cells.map((row) => displayWidth(row[i]!))));
  const line = (vals: readonly string[]): string =>
    vals
      .map((v, i) => {
        const pad = ' '.repeat(widths[i]! - displayWidth(v));
        return numeric[i] ? pad + v : v + pad;
      })
      .join('  ')
      .trimEnd() + '\n';
  let out = line(head);
  out += line(widths.map((w) => '-'.repeat(w)));
  for (const row of cells) out += line(row);
  return out;
}

/** Two-column key/value view (used for `summary`). */
export function renderKeyValue(pairs: readonly [string, unknown][], opts: TableOptions = {}): string {
  const max = Math.max(8, opts.maxColumnWidth ?? 240);
  const keys = pairs.map(([k]) => terminalSafe(k));
  const w = Math.max(0, ...keys.map(displayWidth));
  return pairs
    .map(([, v], i) => {
      const k = keys[i]!;
      return (
        k + ' '.repeat(w - displayWidth(k)) + '  ' + truncateToWidth(terminalSafe(cellText(v)), max) + '\n'
      );
    })
    .join('');
}
