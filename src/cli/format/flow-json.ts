/**
 * A flow row's JSON text without its id: what the worker threads of a split `flows` run
 * (engine/parallel/flow-split.ts) send instead of the row, so the main thread neither copies row objects nor
 * formats them; it writes `{"id":` + the row's final id + this tail. `{"id":` + row.id + flowJsonTail(row) is
 * exactly JsonRowWriter's text of the row (the id is a flow row's first key): the same key prefixes and value
 * rules (json-row.ts), written from the second key on, with the keys read by for-in instead of a key array.
 */
import type { FlowRow } from '../../shared/rows.js';
import { ByteSink } from './byte-sink.js';
import { jsonText } from './json.js';
import { jsonValue, keyPrefix } from './json-row.js';
import { FLOW_COLUMNS } from '../columns.js';

let keys: string[] = [];
let prefixes: string[] = [];

function learn(row: Record<string, unknown>): void {
  keys = Object.keys(row);
  prefixes = keys.map((k, i) => (i === 0 ? '{' : ',') + jsonText(k) + ':');
}

export function flowJsonTail(row: FlowRow): string {
  if (writeFlowJson(scratch, row, true)) return scratch.take();
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

/**
 * The keys of a flow row in the order flow/flow-row.ts builds them (the CSV column order too). Rows with exactly
 * these own keys are written by named property reads (one V8 shape, no keyed look-ups); any other row goes
 * through the general writers, so the output never depends on this list being current, only the speed.
 */
export const FLOW_KEYS = FLOW_COLUMNS;

const P = FLOW_KEYS.map((k, i) => keyPrefix(k, i === 0).bytes);
const scratch = new ByteSink(4096);

/** Whether the row's own enumerable keys (the ones JSON.stringify writes) are FLOW_KEYS, in that order. */
export function hasFlowKeys(row: object): boolean {
  // Object.keys copies V8's enum cache: cheaper than a for-in walk
  const keys = Object.keys(row);
  if (keys.length !== FLOW_KEYS.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== FLOW_KEYS[i]) return false;
  return true;
}

function put(sink: ByteSink, prefix: Uint8Array, v: unknown): boolean {
  if (v === undefined) return false;
  sink.bytes(prefix, false);
  sink.jsonValue(v);
  return true;
}

/**
 * A flow row's JSON text (the same bytes as JsonRowWriter's text / jsonText of the row, as UTF-8) written into
 * the sink, or with `tail` only what follows `{"id":N` (as flowJsonTail). Answers false, writing nothing, for a
 * row without exactly the flow keys or with an undefined member: the caller then uses the general writer.
 */
export function writeFlowJson(sink: ByteSink, r: FlowRow, tail: boolean): boolean {
  if (!hasFlowKeys(r)) return false;
  const start = sink.pos;
  if (
    (tail || put(sink, P[0]!, r.id)) &&
    put(sink, P[1]!, r.proto) &&
    put(sink, P[2]!, r.ip_version) &&
    put(sink, P[3]!, r.ip_proto) &&
    put(sink, P[4]!, r.src_ip) &&
    put(sink, P[5]!, r.src_port) &&
    put(sink, P[6]!, r.dst_ip) &&
    put(sink, P[7]!, r.dst_port) &&
    put(sink, P[8]!, r.src_mac) &&
    put(sink, P[9]!, r.dst_mac) &&
    put(sink, P[10]!, r.vlan) &&
    put(sink, P[11]!, r.packets_fwd) &&
    put(sink, P[12]!, r.bytes_fwd) &&
    put(sink, P[13]!, r.packets_rev) &&
    put(sink, P[14]!, r.bytes_rev) &&
    put(sink, P[15]!, r.first_ts) &&
    put(sink, P[16]!, r.last_ts) &&
    put(sink, P[17]!, r.duration) &&
    put(sink, P[18]!, r.app) &&
    put(sink, P[19]!, r.app_source) &&
    put(sink, P[20]!, r.tcp_flags) &&
    put(sink, P[21]!, r.tcp_state) &&
    put(sink, P[22]!, r.community_id) &&
    put(sink, P[23]!, r.tunnel_depth) &&
    (!tail || r.id !== undefined)
  ) {
    sink.ascii('}');
    return true;
  }
  sink.pos = start;
  return false;
}

const COMMA = Buffer.from(',');

function cell(sink: ByteSink, v: unknown): void {
  sink.bytes(COMMA, false);
  sink.csvValue(v);
}

/** A flow row as one CSV line in FLOW_KEYS column order: the same bytes as csvLine of those values, as UTF-8. */
export function writeFlowCsv(sink: ByteSink, r: FlowRow): void {
  sink.csvValue(r.id);
  cell(sink, r.proto);
  cell(sink, r.ip_version);
  cell(sink, r.ip_proto);
  cell(sink, r.src_ip);
  cell(sink, r.src_port);
  cell(sink, r.dst_ip);
  cell(sink, r.dst_port);
  cell(sink, r.src_mac);
  cell(sink, r.dst_mac);
  cell(sink, r.vlan);
  cell(sink, r.packets_fwd);
  cell(sink, r.bytes_fwd);
  cell(sink, r.packets_rev);
  cell(sink, r.bytes_rev);
  cell(sink, r.first_ts);
  cell(sink, r.last_ts);
  cell(sink, r.duration);
  cell(sink, r.app);
  cell(sink, r.app_source);
  cell(sink, r.tcp_flags);
  cell(sink, r.tcp_state);
  cell(sink, r.community_id);
  cell(sink, r.tunnel_depth);
  sink.ascii('\r\n');
}

/** Rows with undefined members or another first key: the general writer, id cut off. */
function fallback(row: FlowRow): string {
  const text = jsonText(row);
  const head = '{"id":' + String(row.id);
  if (!text.startsWith(head)) throw new Error('flow row JSON does not start with its id');
  return text.slice(head.length);
}
