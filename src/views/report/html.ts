/** HTML building blocks for the self-contained report: every capture string passes through htmlEscape. */
import { htmlEscape } from '../escape.js';

/** No script, no external fetch: the page is static and works opened from disk. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export const REPORT_CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#1f2d3d;color:#fff;padding:16px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.8}
nav{padding:8px 28px;background:#e9edf2;font-size:14px}nav a{margin-right:14px;color:#1f4e79}
main{padding:8px 28px 40px}section{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:12px 18px;margin:16px 0}
h2{font-size:18px;margin:4px 0 10px}table{border-collapse:collapse;font-size:12.5px;width:100%}
th,td{border-bottom:1px solid #e6e9ee;padding:3px 8px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f0f3f6;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.muted{color:#68707a}.note{background:#fff8e1;border-left:3px solid #f0b400;padding:6px 10px;margin:8px 0;font-size:13px}
.empty{color:#68707a;font-style:italic}.bar{display:inline-block;height:9px;background:#4e79a7;vertical-align:middle}
.scroll{max-height:560px;overflow:auto;border:1px solid #e6e9ee}.figure{overflow:auto;max-height:900px;border:1px solid #e6e9ee}.figure svg{max-width:100%;height:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0;font-size:14px}dt{color:#68707a}dd{margin:0}
.sev-high{color:#b00020;font-weight:bold}.sev-medium{color:#c25e00}.secret{color:#68707a;font-style:italic}
`;

export const esc = htmlEscape;

export type CellValue = string | number | boolean | null | undefined | readonly unknown[] | object;

/** Text of a cell: lists joined with ", ", host names with their source, other objects as JSON. */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.map((x) => cellText(x as CellValue)).join(', ');
  const o = v as Record<string, unknown>;
  if (typeof o.name === 'string' && typeof o.source === 'string') return `${o.name} (${o.source})`;
  return JSON.stringify(v);
}

export interface Column<R> {
  title: string;
  value: (r: R) => CellValue;
  /** right-aligned number */
  numeric?: boolean;
  /** already-safe HTML for the cell (the function must escape what it embeds) */
  html?: (r: R) => string;
}

export function htmlTable<R>(
  columns: readonly Column<R>[],
  rows: readonly R[],
  limit: number,
  total?: number,
): string {
  const shown = rows.slice(0, limit);
  const head = columns.map((c) => `<th>${esc(c.title)}</th>`).join('');
  const body = shown
    .map(
      (r) =>
        '<tr>' +
        columns
          .map((c) => {
            const inner = c.html ? c.html(r) : esc(cellText(c.value(r)));
            return c.numeric ? `<td class="n">${inner}</td>` : `<td>${inner}</td>`;
          })
          .join('') +
        '</tr>',
    )
    .join('\n');
  const all = total ?? rows.length;
  const more =
    all > shown.length
      ? `<p class="muted">Showing ${shown.length} of ${all} rows; the full table is in tables/.</p>`
      : '';
  const table = `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
  return (shown.length > 25 ? `<div class="scroll">${table}</div>` : table) + more;
}

export function section(id: string, title: string, body: string): string {
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>\n${body}\n</section>`;
}

export function notAnalysed(what: string): string {
  return `<p class="empty">${esc(what)}: not analysed in this version.</p>`;
}

export function definitionList(items: readonly [string, string][]): string {
  return '<dl>' + items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('') + '</dl>';
}
