/**
 * A flow row's JSON text without its id: what the worker threads of a split `flows` run
 * (engine/parallel/flow-split.ts) send instead of the row, so the main thread neither copies row objects nor
 * formats them; it writes `{"id":` + the row's final id + this tail. `{"id":` + row.id + flowJsonTail(row) is
 * exactly JsonRowWriter's text of the row (the id is a flow row's first key): the same key prefixes and value
 * rules (json-row.ts), written from the second key on, with the keys read by for-in instead of a key array.
 */
import type { FlowRow } from '../../shared/rows.js';
import { jsonText } from './json.js';
import { jsonValue } from './json-row.js';

let keys: string[] = [];
let prefixes: string[] = [];

function learn(row: Record<string, unknown>): void {
  keys = Object.keys(row);
  prefixes = keys.map((k, i) => (i === 0 ? '{' : ',') + jsonText(k) + ':');
}

export function flowJsonTail(row: FlowRow): string {
  const r = row as unknown as Record<string, unknown>;
  for (let attempt = 0; attempt < 2; attempt++) {
    let out = '';
    let i = 0;
    let same = true;
    for (const k in r) {
      if (k !== keys[i]) {
        same = false;
        break;
      }
      const v = r[k];
      if (v === undefined) return fallback(row);
      if (i > 0) out += prefixes[i]! + jsonValue(v);
      i++;
    }
    if (same && i === keys.length && keys[0] === 'id') return out + '}';
    learn(r);
  }
  return fallback(row);
}

/** Rows with undefined members or another first key: the general writer, id cut off. */
function fallback(row: FlowRow): string {
  const text = jsonText(row);
  const head = '{"id":' + String(row.id);
  if (!text.startsWith(head)) throw new Error('flow row JSON does not start with its id');
  return text.slice(head.length);
}
