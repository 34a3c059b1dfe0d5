/** Tiny helpers for SVG text built as strings (views stay DOM-free). */
import { xmlEscape } from './escape.js';
import { num } from './format.js';

export function svgOpen(width: number, height: number, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" ` +
    `viewBox="0 0 ${num(width)} ${num(height)}" font-family="Helvetica, Arial, sans-serif" font-size="11">` +
    `<title>${xmlEscape(title)}</title><rect width="100%" height="100%" fill="#ffffff"/>`
  );
}

export function svgText(
  x: number,
  y: number,
  text: string,
  attrs: Record<string, string | number> = {},
): string {
  const extra = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
  return `<text x="${num(x)}" y="${num(y)}"${extra}>${xmlEscape(text)}</text>`;
}

/** Cuts a label for display (the full text goes into a <title> tooltip). */
export function shorten(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}

/** Categorical palette (10 colours, colour-blind friendlier "tableau10"). */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];
