/**
 * JSON output. Arrays are written one element at a time so a large table never exists as one string.
 * JSON.stringify escapes C0 controls; DEL, C1 controls (8-bit CSI), line separators and bidi overrides are
 * escaped here too, so capture text piped to a terminal or `jq` cannot act on the terminal.
 */
const RISKY = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escapeRisky(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

export function jsonText(v: unknown, indent?: number): string {
  return JSON.stringify(v, null, indent).replace(RISKY, escapeRisky);
}

export function* jsonArrayChunks(rows: Iterable<unknown>): Generator<string> {
  let first = true;
  for (const r of rows) {
    yield (first ? '[\n' : ',\n') + jsonText(r);
    first = false;
  }
  yield first ? '[]\n' : '\n]\n';
}

export function jsonObject(v: unknown): string {
  return jsonText(v, 2) + '\n';
}
