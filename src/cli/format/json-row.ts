/**
 * Fast JSON for flat rows with a fixed set of keys (a flows table writes hundreds of thousands of them):
 * numbers, null and booleans go out directly, plain printable-ASCII strings without quotes or backslashes are
 * quoted directly, and everything else (other strings, arrays, objects) goes through jsonText. The output
 * parses to the same value as jsonText's.
 */
import type { ByteSink } from './byte-sink.js';
import { jsonText } from './json.js';

const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** One JSON value as JsonRowWriter writes it (exported for flow-json.ts). */
export function jsonValue(v: unknown): string {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'string':
      return PLAIN.test(v) ? '"' + v + '"' : jsonText(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'null';
    default:
      return v === null ? 'null' : jsonText(v);
  }
}

/** A key prefix (`{"key":` or `,"key":`) as UTF-8 bytes. */
export interface KeyPrefix {
  bytes: Uint8Array;
  wide: boolean;
}

export function keyPrefix(key: string, first: boolean): KeyPrefix {
  const bytes = Buffer.from((first ? '{' : ',') + jsonText(key) + ':', 'utf8');
  return { bytes, wide: bytes.some((b) => b >= 0x80) };
}

export class JsonRowWriter {
  private keys: string[] = [];
  private prefixes: string[] = [];
  private prefixBytes: KeyPrefix[] = [];

  private sameKeys(keys: string[]): boolean {
    if (keys.length !== this.keys.length) return false;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== this.keys[i]) return false;
    return true;
  }

  /** One row as JSON text (compact, keys in the row's own order). */
  text(row: Record<string, unknown>): string {
    const keys = Object.keys(row);
    if (keys.length === 0) return '{}';
    if (!this.sameKeys(keys)) {
      this.keys = keys;
      this.prefixes = keys.map((k, i) => (i === 0 ? '{' : ',') + jsonText(k) + ':');
      this.prefixBytes = keys.map((k, i) => keyPrefix(k, i === 0));
    }
    let out = '';
    for (let i = 0; i < keys.length; i++) {
      const v = row[keys[i]!];
      // JSON.stringify drops undefined members; keep the two forms identical
      if (v === undefined) return jsonText(row);
      out += this.prefixes[i]! + jsonValue(v);
    }
    return out + '}';
  }

  /** The same row text as text(row), written into the sink as UTF-8. */
  write(sink: ByteSink, row: Record<string, unknown>): void {
    const keys = Object.keys(row);
    if (keys.length === 0) {
      sink.ascii('{}');
      return;
    }
    if (!this.sameKeys(keys)) {
      this.keys = keys;
      this.prefixes = keys.map((k, i) => (i === 0 ? '{' : ',') + jsonText(k) + ':');
      this.prefixBytes = keys.map((k, i) => keyPrefix(k, i === 0));
    }
    const start = sink.pos;
    for (let i = 0; i < keys.length; i++) {
      const v = row[keys[i]!];
      if (v === undefined) {
        sink.pos = start;
        sink.utf8(jsonText(row));
        return;
      }
      const k = this.prefixBytes[i]!;
      sink.bytes(k.bytes, k.wide);
      sink.jsonValue(v);
    }
    sink.ascii('}');
  }
}
