/**
 * A flow row's JSON text without its id: what the worker threads of a split `flows` run
 * (engine/parallel/flow-split.ts) send instead of the row, so the main thread neither copies row objects nor
 * formats them; it writes `{"id":` + the row's final id + this tail. `{"id":` + row.id + flowJsonTail(row) is
 * exactly JsonRowWriter's text of the row (the id is a flow row's first key).
 */
import type { FlowRow } from '../../shared/rows.js';
import { JsonRowWriter } from './json-row.js';

const writer = new JsonRowWriter();

export function flowJsonTail(row: FlowRow): string {
  const text = writer.text(row as unknown as Record<string, unknown>);
  const head = '{"id":' + String(row.id);
  if (!text.startsWith(head)) throw new Error('flow row JSON does not start with its id');
  return text.slice(head.length);
}
