import { createRequire } from 'node:module';
import {
  DuckDBDataChunk,
  DuckDBListType,
  DuckDBTypeId,
  listValue,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { ColumnDef } from '../../shared/filter/tables.js';
import { isoToNs } from '../../shared/filter/time-bound.js';
import { encodeValue, noNul } from '../codec.js';
import type { PacketBatch } from '../packet-batch.js';
import { inSecond, isoTime } from '../../shared/time.js';

/**
 * Row objects straight into DuckDB data chunks: each column is encoded into a typed array reused from chunk
 * to chunk and copied into the chunk's vector in one call, with its own null mask. This replaces
 * encodeColumn -> Encoded[] -> DuckDBValue[] -> setItem (two arrays per column per batch, a BigInt per
 * 64-bit value and per validity bit) on the import path, which was a third of an import's CPU with its GC.
 * The values written are exactly those of encodeValue (codec.ts) for the column's storage type.
 */

// the raw bindings @duckdb/node-api is built on, resolved from it so both use the one copy
type Bindings = typeof import('@duckdb/node-bindings');
const apiRequire = createRequire(createRequire(import.meta.url).resolve('@duckdb/node-api'));
const duck = apiRequire('@duckdb/node-bindings') as Bindings;

/** DuckDB's vector size: the most rows one data chunk holds. */
export const CHUNK_ROWS = 2048;

const TWO32 = 4294967296;
/** seconds below which any nanosecond count fits int64 (2262-04-11); later times take isoToNs's checks */
const MAX_FAST_SEC = 9_223_372_036;
const I64_MAX = 2n ** 63n - 1n;
const I64_MIN = -(2n ** 63n);

/** A column as the appender sees it: where its value comes from and how it is encoded. */
export interface ChunkColumn {
  /** the row's column; null for a column the rows do not fill (written as NULL) */
  def: ColumnDef | null;
  /** a value given for every row (capture_id), or a counter start (seq: start + row index + 1) */
  constant?: number;
  counterStart?: number;
}

function numOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

// ISO row times (YYYY-MM-DDTHH:MM:SS.ffffff[fff]Z) to epoch nanoseconds as two int32 halves, without BigInt;
// the date part is parsed once per distinct second (rows of a capture share a few seconds)
const FAST_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.(\d{6}|\d{9})Z$/;
let lastSecText = '';
let lastSec = 0;

/**
 * Writes `sec * 1e9 + nsec` (0 <= sec < MAX_FAST_SEC, 0 <= nsec < 1e9) as little-endian int64 at i32[2 * i]:
 * every partial product stays below 2^53, so it is exact.
 */
function putNs(i32: Int32Array, i: number, sec: number, nsec: number): void {
  const a = (sec % 65536) * 1e9 + nsec; // < 2^46 + 1e9
  const b = Math.floor(sec / 65536) * 1e9; // < 2^23 * 2^30
  const bl = b % 65536;
  const low = bl * 65536 + a; // < 2^32 + 2^47
  const lo = low % TWO32;
  const hi = (b - bl) / 65536 + Math.floor(low / TWO32); // (b - bl) / 65536 is b's bits above 16, counted at 2^32
  i32[2 * i] = lo | 0;
  i32[2 * i + 1] = hi | 0;
}

/**
 * The fraction of an ISO time in the second parsed last (its date and time of day are lastSecText's), as
 * nanoseconds, or -1 when v is not such a time: rows of one batch mostly share their second, and comparing
 * characters costs a fraction of the pattern test and the two slices of the general path.
 */
function fracInLastSecond(v: string): number {
  const len = v.length;
  if ((len !== 27 && len !== 30) || v.charCodeAt(len - 1) !== 90 || v.charCodeAt(19) !== 46) return -1;
  if (!inSecond(v, lastSecText)) return -1;
  let frac = 0;
  for (let k = 20; k < len - 1; k++) {
    const d = v.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    frac = frac * 10 + d;
  }
  return len === 27 ? frac * 1000 : frac;
}

/** The time value of a row as int64 nanoseconds at slot i; false when it is NULL. */
function putTime(i32: Int32Array, i64: BigInt64Array, i: number, v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') {
    const ns = fracInLastSecond(v);
    if (ns >= 0) {
      putNs(i32, i, lastSec, ns);
      return true;
    }
  }
  if (typeof v === 'string' && v.length >= 27 && FAST_RE.test(v)) {
    const secText = v.slice(0, 19);
    let ok = secText === lastSecText;
    if (!ok) {
      const ms = Date.parse(secText + 'Z');
      if (!Number.isNaN(ms) && ms >= 0 && ms < MAX_FAST_SEC * 1000) {
        lastSecText = secText;
        lastSec = ms / 1000;
        ok = true;
      }
    }
    if (ok) {
      const frac = v.slice(20, v.length - 1);
      putNs(i32, i, lastSec, frac.length === 6 ? Number(frac) * 1000 : Number(frac));
      return true;
    }
  }
  const ns = typeof v === 'string' ? isoToNs(v) : typeof v === 'bigint' ? v : null;
  // capture times are attacker-controlled: a time past what int64 nanoseconds hold is stored as unknown
  if (ns === null || ns > I64_MAX || ns < I64_MIN) return false;
  i64[i] = ns;
  return true;
}

/** The integer part of n for an INTEGER column; out of its range it is refused, as the generic path does. */
function int32Of(n: number): number {
  const t = Math.trunc(n);
  if (t < -2147483648 || t > 2147483647) throw new Error('number out of int32 range');
  return t;
}

/** An integer as little-endian int64 at slot i (exact below 2^53; BigInt beyond, with the range check). */
function putInt64(i32: Int32Array, i64: BigInt64Array, i: number, n: number): void {
  if (n >= 0 && n < 2 ** 53) {
    i32[2 * i] = (n % TWO32) | 0;
    i32[2 * i + 1] = Math.floor(n / TWO32) | 0;
  } else if (n < 0 && n > -(2 ** 53)) {
    // two's complement of |n|: high word floor(n / 2^32), low word n mod 2^32
    const hi = Math.floor(n / TWO32);
    i32[2 * i] = (n - hi * TWO32) | 0;
    i32[2 * i + 1] = hi | 0;
  } else {
    const b = BigInt(n);
    if (BigInt.asIntN(64, b) !== b) throw new Error('bigint out of int64 range');
    i64[i] = b;
  }
}

type Getter = (row: Record<string, unknown>) => unknown;
type Vector = ReturnType<typeof duck.data_chunk_get_vector>;

/** The element type of a LIST column, else null. */
function listOf(t: DuckDBType): DuckDBTypeId | null {
  return t instanceof DuckDBListType ? t.valueType.typeId : null;
}
const getters = new WeakMap<ColumnDef, Getter>();

/**
 * The value of a column from a row: its derive, else a property read compiled for this one name. A shared
 * `row[def.name]` site sees every column name of every table and goes megamorphic (a hash look-up per value);
 * one function per column keeps each read on its own inline cache, monomorphic over the rows of one table.
 */
function getterOf(def: ColumnDef): Getter {
  if (def.derive) return def.derive as Getter;
  let g = getters.get(def);
  if (!g) {
    // the name is a string literal through JSON.stringify: no code can come in through it
    g = new Function('r', `return r[${JSON.stringify(def.name)}];`) as Getter;
    getters.set(def, g);
  }
  return g;
}

/** Reused buffers of one column. */
interface Slot {
  data: ArrayBuffer;
  i32: Int32Array;
  i64: BigInt64Array;
  f64: Float64Array;
  u8: Uint8Array;
  /** validity bits, 1 = valid (DuckDB's layout: bit r % 64 of word r / 64, little-endian) */
  valid: Uint8Array;
  validBuf: ArrayBuffer;
}

function slot(): Slot {
  const data = new ArrayBuffer(CHUNK_ROWS * 8);
  const validBuf = new ArrayBuffer(CHUNK_ROWS / 8);
  return {
    data,
    i32: new Int32Array(data),
    i64: new BigInt64Array(data),
    f64: new Float64Array(data),
    u8: new Uint8Array(data),
    valid: new Uint8Array(validBuf),
    validBuf,
  };
}

/**
 * Fills DuckDB data chunks from row objects for one table's column order; buffers are kept between batches
 * and tables (one writer per store).
 */
export class ChunkWriter {
  private readonly slots: Slot[] = [];
  // one column of VARCHAR values as DuckDB's 16-byte string_t (duckdb.h duckdb_string_t): short ASCII texts
  // are written inline here and copied in one call; the rest go through vector_assign_string_element
  // (grown for the elements of list columns, which may outnumber the rows)
  private strBytes = new Uint8Array(CHUNK_ROWS * 16);
  private strWords = new Uint32Array(this.strBytes.buffer);
  private readonly longRows: number[] = [];
  private readonly longTexts: string[] = [];
  private longCount = 0;
  // a list column: (offset, length) as two uint64 per row (duckdb_list_entry), and int elements
  private readonly entries = new Uint32Array(CHUNK_ROWS * 4);
  private ints = new Int32Array(CHUNK_ROWS);
  private readonly lists: (readonly unknown[] | null)[] = [];

  /** Clears the string_t slots of the next `n` values (a NULL or an empty text stays all zeros). */
  private beginTexts(n: number): void {
    if (n * 16 > this.strBytes.length) {
      this.strBytes = new Uint8Array(Math.max(n, this.strBytes.length / 8) * 16);
      this.strWords = new Uint32Array(this.strBytes.buffer);
    } else this.strBytes.fill(0, 0, n * 16);
    this.longCount = 0;
  }

  /**
   * Text t of row r: inline when it is at most 12 bytes of ASCII without NUL (DuckDB keeps such strings
   * inside the string_t: length, then the bytes, zero-padded), else kept for endTexts. Every value that
   * reaches the store goes through noNul, so a NUL always takes the long way.
   */
  private putText(r: number, t: string): void {
    const len = t.length;
    if (len <= 12) {
      const b = this.strBytes;
      const at = r * 16 + 4;
      let i = 0;
      for (; i < len; i++) {
        const c = t.charCodeAt(i);
        if (c === 0 || c > 127) break;
        b[at + i] = c;
      }
      if (i === len) {
        this.strWords[r * 4] = len;
        return;
      }
    }
    this.longRows[this.longCount] = r;
    this.longTexts[this.longCount++] = t;
  }

  /** Copies the inline texts of `n` rows into the vector, then assigns the others one by one. */
  private endTexts(vector: Vector, n: number): void {
    duck.copy_data_to_vector(vector, 0, this.strBytes.buffer, 0, n * 16);
    for (let i = 0; i < this.longCount; i++)
      duck.vector_assign_string_element(vector, this.longRows[i]!, noNul(this.longTexts[i]!));
    this.longTexts.length = 0;
  }

  /**
   * A text[] or int[] column of `n` rows into a LIST vector: the row's list entries, then every element into
   * the child vector in one copy (texts as in putText). The elements are those of encodeValue (text: String
   * and noNul; int: trunc of the number, 0 for what is not one); a value that is not an array is NULL.
   */
  private putLists(
    vector: Vector,
    n: number,
    ints: boolean,
    value: (r: number) => unknown,
    setNull: (r: number) => void,
  ): void {
    const lists = this.lists;
    let total = 0;
    for (let r = 0; r < n; r++) {
      const v = value(r);
      if (Array.isArray(v)) {
        lists[r] = v;
        total += v.length;
      } else {
        lists[r] = null;
        setNull(r);
      }
    }
    duck.list_vector_reserve(vector, total);
    duck.list_vector_set_size(vector, total);
    const e = this.entries;
    let at = 0;
    for (let r = 0; r < n; r++) {
      const len = lists[r]?.length ?? 0;
      // offset and length below 2^32 (a chunk's elements): the high words stay 0
      e[r * 4] = at;
      e[r * 4 + 1] = 0;
      e[r * 4 + 2] = len;
      e[r * 4 + 3] = 0;
      at += len;
    }
    duck.copy_data_to_vector(vector, 0, e.buffer, 0, n * 16);
    if (total === 0) return;
    const child = duck.list_vector_get_child(vector);
    if (ints) {
      if (this.ints.length < total) this.ints = new Int32Array(Math.max(total, this.ints.length * 2));
      const out = this.ints;
      let k = 0;
      for (let r = 0; r < n; r++) {
        const l = lists[r];
        if (l)
          for (const x of l) {
            out[k++] = int32Of(numOf(x) ?? 0);
          }
      }
      duck.copy_data_to_vector(child, 0, out.buffer, 0, total * 4);
    } else {
      this.beginTexts(total);
      let k = 0;
      for (let r = 0; r < n; r++) {
        const l = lists[r];
        if (l) for (const x of l) this.putText(k++, typeof x === 'string' ? x : String(x));
      }
      this.endTexts(child, total);
    }
    lists.length = 0;
  }

  private slotAt(ci: number): Slot {
    let s = this.slots[ci];
    if (!s) this.slots[ci] = s = slot();
    return s;
  }

  /** One chunk of rows[start, end) with the given columns (in the table's order) and DuckDB types. */
  chunk(
    types: readonly DuckDBType[],
    columns: readonly ChunkColumn[],
    rows: readonly Record<string, unknown>[],
    start: number,
    end: number,
  ): DuckDBDataChunk {
    const n = end - start;
    const chunk = DuckDBDataChunk.create(types, n);
    for (let ci = 0; ci < columns.length; ci++) {
      const col = columns[ci]!;
      const typeId = types[ci]!.typeId;
      const vector = duck.data_chunk_get_vector(chunk.chunk, ci);
      const s = this.slotAt(ci);
      const valid = s.valid;
      valid.fill(0xff, 0, (n + 7) >> 3);
      let nulls = 0;
      const setNull = (r: number) => {
        valid[r >> 3]! &= ~(1 << (r & 7));
        nulls++;
      };
      const def = col.def;
      const get: Getter = def ? getterOf(def) : () => null;
      if (col.constant !== undefined || col.counterStart !== undefined) {
        const base = col.constant ?? col.counterStart! + start + 1;
        const step = col.constant !== undefined ? 0 : 1;
        if (typeId !== DuckDBTypeId.BIGINT) throw new Error(`column ${ci}: expected BIGINT`);
        for (let r = 0; r < n; r++) putInt64(s.i32, s.i64, r, base + r * step);
        duck.copy_data_to_vector(vector, 0, s.data, 0, n * 8);
        continue;
      }
      if (!def) {
        for (let r = 0; r < n; r++) setNull(r);
      } else if (typeId === DuckDBTypeId.VARCHAR && (def.type === 'text' || def.type === 'json')) {
        this.beginTexts(n);
        for (let r = 0; r < n; r++) {
          const row = rows[start + r]!;
          const v = get(row);
          if (v === undefined || v === null) setNull(r);
          else
            this.putText(r, def.type === 'json' ? JSON.stringify(v) : typeof v === 'string' ? v : String(v));
        }
        this.endTexts(vector, n);
      } else if (typeId === DuckDBTypeId.BIGINT && (def.type === 'bigint' || def.type === 'int')) {
        for (let r = 0; r < n; r++) {
          const row = rows[start + r]!;
          const x = numOf(get(row));
          if (x === null) setNull(r);
          else putInt64(s.i32, s.i64, r, Math.trunc(x));
        }
        duck.copy_data_to_vector(vector, 0, s.data, 0, n * 8);
      } else if (typeId === DuckDBTypeId.BIGINT && def.type === 'time') {
        for (let r = 0; r < n; r++) {
          const row = rows[start + r]!;
          if (!putTime(s.i32, s.i64, r, get(row))) setNull(r);
        }
        duck.copy_data_to_vector(vector, 0, s.data, 0, n * 8);
      } else if (typeId === DuckDBTypeId.INTEGER && (def.type === 'int' || def.type === 'bigint')) {
        for (let r = 0; r < n; r++) {
          const row = rows[start + r]!;
          const x = numOf(get(row));
          if (x === null) setNull(r);
          else {
            s.i32[r] = int32Of(x);
          }
        }
        duck.copy_data_to_vector(vector, 0, s.data, 0, n * 4);
      } else if (typeId === DuckDBTypeId.DOUBLE && def.type === 'float') {
        for (let r = 0; r < n; r++) {
          const row = rows[start + r]!;
          const x = numOf(get(row));
          if (x === null) setNull(r);
          else s.f64[r] = x;
        }
        duck.copy_data_to_vector(vector, 0, s.data, 0, n * 8);
      } else if (
        typeId === DuckDBTypeId.LIST &&
        ((def.type === 'text[]' && listOf(types[ci]!) === DuckDBTypeId.VARCHAR) ||
          (def.type === 'int[]' && listOf(types[ci]!) === DuckDBTypeId.INTEGER))
      ) {
        this.putLists(vector, n, def.type === 'int[]', (r) => get(rows[start + r]!), setNull);
      } else if (typeId === DuckDBTypeId.BOOLEAN && def.type === 'bool' && duck.sizeof_bool === 1) {
        for (let r = 0; r < n; r++) {
          const row = rows[start + r]!;
          const v = get(row);
          if (v === undefined || v === null) setNull(r);
          else s.u8[r] = (typeof v === 'boolean' ? v : Boolean(v)) ? 1 : 0;
        }
        duck.copy_data_to_vector(vector, 0, s.data, 0, n);
      } else {
        // lists (and any pairing not above): the generic path, value by value
        const values: DuckDBValue[] = new Array<DuckDBValue>(n);
        for (let r = 0; r < n; r++) {
          const row = rows[start + r]!;
          const e = encodeValue(def.type, get(row));
          values[r] =
            e === null
              ? null
              : Array.isArray(e)
                ? listValue(e)
                : typeof e === 'number' && (typeId === DuckDBTypeId.BIGINT || def.type === 'time')
                  ? BigInt(e)
                  : (e as DuckDBValue);
        }
        chunk.setColumnValues(ci, values);
        continue;
      }
      if (nulls > 0) {
        duck.vector_ensure_validity_writable(vector);
        duck.copy_data_to_vector_validity(vector, 0, s.validBuf, 0, (n + 7) >> 3);
      }
    }
    return chunk;
  }

  /**
   * One chunk of packet index rows [start, end) from a PacketBatch, for the packets table's column order
   * (`names`); the values are those of the batch's rows() through the row path.
   */
  packetChunk(
    types: readonly DuckDBType[],
    names: readonly string[],
    batch: PacketBatch,
    captureId: number,
    start: number,
    end: number,
  ): DuckDBDataChunk {
    const n = end - start;
    const chunk = DuckDBDataChunk.create(types, n);
    for (let ci = 0; ci < names.length; ci++) {
      const typeId = types[ci]!.typeId;
      const vector = duck.data_chunk_get_vector(chunk.chunk, ci);
      const s = this.slotAt(ci);
      const valid = s.valid;
      valid.fill(0xff, 0, (n + 7) >> 3);
      let nulls = 0;
      const name = names[ci]!;
      const int64 = (src: Float64Array | null) => {
        if (typeId !== DuckDBTypeId.BIGINT) throw new Error(`packets.${name}: expected BIGINT`);
        for (let r = 0; r < n; r++) {
          const x = src ? src[start + r]! : captureId;
          if (Number.isNaN(x)) {
            valid[r >> 3]! &= ~(1 << (r & 7));
            nulls++;
          } else putInt64(s.i32, s.i64, r, Math.trunc(x));
        }
        duck.copy_data_to_vector(vector, 0, s.data, 0, n * 8);
      };
      const int32 = (src: Float64Array | Int32Array) => {
        if (typeId !== DuckDBTypeId.INTEGER) throw new Error(`packets.${name}: expected INTEGER`);
        for (let r = 0; r < n; r++) {
          s.i32[r] = int32Of(src[start + r]!);
        }
        duck.copy_data_to_vector(vector, 0, s.data, 0, n * 4);
      };
      switch (name) {
        case 'capture_id':
          int64(null);
          break;
        case 'n':
          int64(batch.n);
          break;
        case 'file_offset':
          int64(batch.fileOffset);
          break;
        case 'flow_id':
          int64(batch.flowId);
          break;
        case 'file_index':
          int32(batch.fileIndex);
          break;
        case 'caplen':
          int32(batch.caplen);
          break;
        case 'len':
          int32(batch.len);
          break;
        case 'ts':
          if (typeId !== DuckDBTypeId.BIGINT) throw new Error('packets.ts: expected BIGINT');
          for (let r = 0; r < n; r++) {
            const sec = batch.tsSec[start + r]!;
            const nsec = batch.tsNsec[start + r]!;
            if (
              Number.isInteger(sec) &&
              sec >= 0 &&
              sec < MAX_FAST_SEC &&
              Number.isInteger(nsec) &&
              nsec >= 0 &&
              nsec < 1e9
            )
              putNs(s.i32, r, sec, nsec);
            // odd times go the row path's way: through their ISO text
            else if (!putTime(s.i32, s.i64, r, isoTime(sec, nsec))) {
              valid[r >> 3]! &= ~(1 << (r & 7));
              nulls++;
            }
          }
          duck.copy_data_to_vector(vector, 0, s.data, 0, n * 8);
          break;
        case 'protocol':
          if (typeId !== DuckDBTypeId.VARCHAR) throw new Error('packets.protocol: expected VARCHAR');
          this.beginTexts(n);
          for (let r = 0; r < n; r++) {
            const v = batch.protocol(start + r);
            if (v === null) {
              valid[r >> 3]! &= ~(1 << (r & 7));
              nulls++;
            } else this.putText(r, v);
          }
          this.endTexts(vector, n);
          break;
        default:
          // a column the packet index does not fill
          for (let r = 0; r < n; r++) valid[r >> 3]! &= ~(1 << (r & 7));
          nulls = n;
      }
      if (nulls > 0) {
        duck.vector_ensure_validity_writable(vector);
        duck.copy_data_to_vector_validity(vector, 0, s.validBuf, 0, (n + 7) >> 3);
      }
    }
    return chunk;
  }
}
