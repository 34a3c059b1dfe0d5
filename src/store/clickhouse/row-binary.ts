import type { StorageType } from '../../shared/filter/tables.js';
import type { Encoded } from '../codec.js';

/**
 * ClickHouse's RowBinary insert format, written into one growing buffer: little-endian numbers, strings and
 * arrays as a LEB128 length then the bytes/elements, Nullable as one byte (1 = NULL) before the value.
 * Measured (scale-out spike): building RowBinary costs a seventh of building TSV text in Node.
 */
export class RowBinary {
  private buf = Buffer.allocUnsafe(1 << 16);
  private pos = 0;

  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
  }

  varuint(n: number): void {
    this.room(10);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }

  i32(v: number): void {
    this.room(4);
    this.buf.writeInt32LE(v | 0, this.pos);
    this.pos += 4;
  }

  i64(v: number | bigint): void {
    this.room(8);
    if (typeof v === 'number' && v >= 0 && v < 4294967296) {
      this.buf.writeUInt32LE(v, this.pos);
      this.buf.writeUInt32LE(0, this.pos + 4);
    } else this.buf.writeBigInt64LE(BigInt(v), this.pos);
    this.pos += 8;
  }

  u64(v: number | bigint): void {
    this.room(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.pos);
    this.pos += 8;
  }

  f64(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  str(s: string): void {
    const max = s.length * 3;
    this.room(max + 10);
    if (max < 128) {
      // short strings (the common case): encode after a one-byte length and patch it
      const at = this.pos++;
      const n = this.buf.write(s, this.pos, 'utf8');
      this.buf[at] = n;
      this.pos += n;
      return;
    }
    const b = Buffer.from(s, 'utf8');
    this.varuint(b.length);
    this.room(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }

  /** the bytes written so far; the writer starts empty again */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }
}

/** Writes one stored value of an abstract type (Nullable scalars; arrays are followed by their __n flag). */
export function writeValue(w: RowBinary, type: StorageType, v: Encoded): void {
  switch (type) {
    case 'text[]':
    case 'int[]': {
      const a = Array.isArray(v) ? v : [];
      w.varuint(a.length);
      if (type === 'text[]') for (const x of a) w.str(String(x));
      else for (const x of a) w.i32(Number(x));
      w.u8(Array.isArray(v) ? 1 : 0);
      return;
    }
  }
  if (v === null || v === undefined) {
    w.u8(1);
    return;
  }
  w.u8(0);
  switch (type) {
    case 'text':
    case 'json':
      w.str(String(v));
      return;
    case 'int':
      w.i32(Number(v));
      return;
    case 'bigint':
    case 'time':
      w.i64(typeof v === 'bigint' ? v : Math.trunc(Number(v)));
      return;
    case 'float':
      w.f64(Number(v));
      return;
    case 'bool':
      w.u8(v ? 1 : 0);
      return;
  }
}
