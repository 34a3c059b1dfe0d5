/**
 * ASN range tables from "start,end,asn,org" CSV (the @ip-location-db/asn layout, also what users hand in): one
 * pass over the file's bytes (no decoding of the whole text, no split or regex per line), bounds into typed
 * arrays (IPv4 as unsigned 32-bit numbers; IPv6 as four 32-bit words per bound), each organisation decoded once.
 * Look-up is a binary search. The generic geo-csv.ts parser handles every other shape; parseAsnCsv answers null
 * when the bytes are not this one.
 */
import type { GeoFields } from './geo-types.js';
import type { ParsedIp } from './ip.js';

const MAX_ROWS = 5_000_000;
/** ASNs below this are indexed in a flat Int32Array (2 MiB) while parsing */
const SMALL_ASN = 1 << 19;
const NONE = 0xffffffff;
/** data lines that fail to parse before the text is judged not to be an ASN table */
const MAX_LEADING_FAILURES = 8;

type AsnValue = Pick<GeoFields, 'asn' | 'as_org'>;

export interface AsnParseResult {
  table: AsnTable;
  rows: number;
  skipped: number;
}

/** Growable Uint32Array. */
class U32List {
  a = new Uint32Array(1 << 12);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Uint32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): Uint32Array {
    return this.a.slice(0, this.n);
  }
}

/** Cursor over the bytes: each reader advances `pos` past its field and the comma after it. */
class Scan {
  pos = 0;
  /** the IPv6 words of the last address read */
  readonly w = new Uint32Array(4);
  private readonly groups = new Uint16Array(8);
  private readonly full = new Uint16Array(8);
  constructor(readonly s: Uint8Array) {}

  /** Decimal number up to the next comma, or -1. */
  num(): number {
    const s = this.s;
    let i = this.pos;
    let v = 0;
    let digits = 0;
    for (let c = at(s, i); c >= 48 && c <= 57; c = at(s, ++i)) {
      v = v * 10 + (c - 48);
      if (++digits > 10) return -1;
    }
    const c = at(s, i);
    if (digits === 0) return -1;
    if (c !== 44) return -1;
    this.pos = i + 1;
    return v;
  }

  /**
   * The ASN field: a decimal up to the next comma or the line's end, or -1. Its own function so its arithmetic
   * stays on small integers (num() goes to doubles with the IPv4 bounds above 2^31).
   */
  asn(): number {
    const s = this.s;
    let i = this.pos;
    let v = 0;
    let digits = 0;
    for (let c = at(s, i); c >= 48 && c <= 57; c = at(s, ++i)) {
      v = v * 10 + (c - 48);
      if (++digits > 10) return -1;
    }
    const c = at(s, i);
    if (digits === 0 || v > 0xffffffff) return -1;
    if (c === 44) this.pos = i + 1;
    else if (c === 10 || c === 13 || c === -1) this.pos = i;
    else return -1;
    return v;
  }

  /** Dotted IPv4 up to the next comma, as a number, or -1. */
  ipv4(): number {
    const s = this.s;
    let i = this.pos;
    let v = 0;
    for (let part = 0; part < 4; part++) {
      let x = 0;
      let d = 0;
      for (let c = at(s, i); c >= 48 && c <= 57 && d < 3; c = at(s, ++i), d++) x = x * 10 + (c - 48);
      if (d === 0 || x > 255) return -1;
      v = v * 256 + x;
      const c = at(s, i);
      if (part < 3) {
        if (c !== 46) return -1;
        i++;
      } else if (c !== 44) return -1;
    }
    this.pos = i + 1;
    return v;
  }

  /** IPv6 text (hex groups, one "::") up to the next comma into `w`; false when it is not one. */
  ipv6(): boolean {
    const s = this.s;
    const g = this.groups;
    let i = this.pos;
    let n = 0;
    let gap = -1;
    if (at(s, i) === 58 && at(s, i + 1) === 58) {
      gap = 0;
      i += 2;
    }
    for (;;) {
      const c0 = at(s, i);
      if (c0 === 44) break;
      let x = 0;
      let d = 0;
      for (let c = c0; d < 4; c = at(s, ++i), d++) {
        const h =
          c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
        if (h < 0) break;
        x = (x << 4) | h;
      }
      if (d === 0 || n === 8) return false;
      g[n++] = x;
      const c = at(s, i);
      if (c === 44) break;
      if (c !== 58) return false; // a dotted IPv4 tail or junk: left to the generic parser
      if (at(s, i + 1) === 58) {
        if (gap >= 0) return false;
        gap = n;
        i += 2;
        if (at(s, i) === 44) break;
      } else i++;
    }
    if (gap < 0 ? n !== 8 : n > 7) return false;
    const full = this.full;
    full.fill(0);
    const tail = gap < 0 ? 0 : n - gap;
    for (let k = 0; k < (gap < 0 ? n : gap); k++) full[k] = g[k]!;
    for (let k = 0; k < tail; k++) full[8 - tail + k] = g[gap + k]!;
    for (let k = 0; k < 4; k++) this.w[k] = ((full[2 * k]! << 16) | full[2 * k + 1]!) >>> 0;
    this.pos = i + 1;
    return true;
  }

  /** Index of the end of the current line (before \r\n or \n). */
  lineEnd(): number {
    // a plain loop: Buffer#indexOf is a native call, costly per short line
    const s = this.s;
    let i = this.pos;
    while (i < s.length && s[i] !== 10) i++;
    return i;
  }
}

/** Byte at i, or -1 past the end. */
function at(b: Uint8Array, i: number): number {
  return i < b.length ? b[i]! : -1;
}

const utf8 = new TextDecoder();

function unquote(field: string): string {
  const t = field.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/""/g, '"');
  return t;
}

/**
 * Parses the text, or null when its data lines are not "start,end,asn,org" with IPv4 (dotted or decimal) or
 * IPv6 (text) bounds. Lines that fail after the table was recognised are counted in `skipped`.
 */
export function parseAsnCsv(text: Uint8Array, maxRows = MAX_ROWS): AsnParseResult | null {
  const sc = new Scan(text);
  const s4 = new U32List();
  const e4 = new U32List();
  const v4 = new U32List();
  const b6 = new U32List(); // 8 words per row: start then end
  const v6 = new U32List();
  const values: AsnValue[] = [];
  /** ASN -> id of its first value (a flat table for the common 16- and low 32-bit ASNs, a Map past it) */
  const smallAsn = new Int32Array(SMALL_ASN).fill(-1);
  const byAsn = new Map<number, number>();
  /** per value: where its organisation was first written ([start, end) byte offsets), the next value of its ASN */
  const raw = new U32List();
  const nextSame = new U32List();
  const start6 = new Uint32Array(4);
  let rows = 0;
  let skipped = 0;
  let failures = 0;
  if (text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf) sc.pos = 3; // UTF-8 byte order mark
  while (sc.pos < text.length && rows < maxRows) {
    const lineStart = sc.pos;
    const end = sc.lineEnd();
    const next = end + 1;
    const first = at(text, lineStart);
    if (end === lineStart || first === 35 /* # */ || (first === 13 && end === lineStart + 1)) {
      sc.pos = next;
      continue;
    }
    let ok = false;
    let fam = 0;
    let a = -1;
    let b = -1;
    // IPv4 as decimal, dotted IPv4, or IPv6 text; the end bound has the start's family
    const save = sc.pos;
    a = sc.num();
    if (a >= 0 && a <= 0xffffffff) {
      b = sc.num();
      fam = 4;
    } else {
      sc.pos = save;
      a = sc.ipv4();
      if (a >= 0) {
        b = sc.ipv4();
        fam = 4;
      } else {
        sc.pos = save;
        if (sc.ipv6()) {
          start6.set(sc.w);
          if (sc.ipv6()) fam = 6;
        }
      }
    }
    let asn = -1;
    if ((fam === 4 && b >= a && b <= 0xffffffff) || fam === 6) {
      if (at(text, sc.pos) === 65 && at(text, sc.pos + 1) === 83) sc.pos += 2; // "AS"
      asn = sc.asn();
    }
    if (asn >= 0 && sc.pos <= end) {
      let stop = end;
      if (at(text, stop - 1) === 13) stop--;
      // rows repeat their ASN's organisation text: compared in place against the values already made for
      // that ASN (a chain per ASN), so a string is decoded only for a new (ASN, organisation) pair
      const first = asn < SMALL_ASN ? smallAsn[asn]! : (byAsn.get(asn) ?? -1);
      let id = first;
      let last = -1;
      while (id >= 0 && !sameBytes(text, sc.pos, stop, raw.a[2 * id]!, raw.a[2 * id + 1]!)) {
        last = id;
        id = nextSame.a[id]!;
        if (id === NONE) id = -1;
      }
      if (id < 0) {
        id = values.length;
        values.push({ asn, as_org: unquote(utf8.decode(text.subarray(sc.pos, stop))) || null });
        raw.push(sc.pos);
        raw.push(stop);
        nextSame.push(NONE);
        if (last >= 0) nextSame.a[last] = id;
        else if (asn < SMALL_ASN) smallAsn[asn] = id;
        else byAsn.set(asn, id);
      }
      if (fam === 4) {
        s4.push(a);
        e4.push(b);
        v4.push(id);
        ok = true;
      } else if (compareWords(start6, 0, sc.w, 0) <= 0) {
        for (let k = 0; k < 4; k++) b6.push(start6[k]!);
        for (let k = 0; k < 4; k++) b6.push(sc.w[k]!);
        v6.push(id);
        ok = true;
      }
    }
    sc.pos = next;
    if (ok) rows++;
    else if (rows === 0 && ++failures > MAX_LEADING_FAILURES) return null;
    else if (rows > 0) skipped++;
  }
  if (rows === 0) return null;
  return {
    table: AsnTable.build(s4.done(), e4.done(), v4.done(), b6.done(), v6.done(), values),
    rows,
    // lines before the first good one (a header) count too, as geo-csv.ts counts them
    skipped: skipped + failures,
  };
}

/** b[from, to) equals b[from2, to2). */
function sameBytes(b: Uint8Array, from: number, to: number, from2: number, to2: number): boolean {
  if (to - from !== to2 - from2) return false;
  for (let i = 0; i < to - from; i++) if (b[from + i] !== b[from2 + i]) return false;
  return true;
}

function compareWords(x: Uint32Array, xo: number, y: Uint32Array, yo: number): number {
  for (let k = 0; k < 4; k++) {
    const a = x[xo + k]!;
    const b = y[yo + k]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

const BINARY_FORMAT = 'pcaplens-asn-table/1';
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 64 * MAX_ROWS;
}

function toLittleEndian(a: Uint32Array): Uint32Array {
  if (LITTLE_ENDIAN) return a;
  const out = new Uint32Array(a.length);
  const v = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) v.setUint32(4 * i, a[i]!, true);
  return out;
}

/** n words at byte offset `at`, copied (the offset need not be aligned, and the copy outlives the file buffer). */
/**
 * The n little-endian words at bytes[at..]: a view on the bytes themselves when the machine is little-endian and
 * the words are aligned (no copy), else a copy.
 */
function wordsAt(bytes: Uint8Array, at: number, n: number): Uint32Array {
  if (LITTLE_ENDIAN && (bytes.byteOffset + at) % 4 === 0)
    return new Uint32Array(bytes.buffer, bytes.byteOffset + at, n);
  return fromLittleEndian(bytes, at, n);
}

function fromLittleEndian(bytes: Uint8Array, at: number, n: number): Uint32Array {
  const out = new Uint32Array(n);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes.subarray(at, at + 4 * n));
  else {
    const v = new DataView(bytes.buffer, bytes.byteOffset + at, 4 * n);
    for (let i = 0; i < n; i++) out[i] = v.getUint32(4 * i, true);
  }
  return out;
}

export class AsnTable {
  private readonly q = new Uint32Array(4);
  private constructor(
    private readonly s4: Uint32Array,
    private readonly e4: Uint32Array,
    private readonly val4: Uint32Array,
    /** 8 words per row: start (4), end (4) */
    private readonly b6: Uint32Array,
    private readonly val6: Uint32Array,
    /** per value id; a table loaded from its binary form fills it on first use through `make` */
    private readonly values: (AsnValue | undefined)[],
    private readonly make: ((id: number) => AsnValue) | null = null,
  ) {}

  private value(id: number): AsnValue | null {
    let v = this.values[id];
    if (v === undefined && this.make && id < this.values.length) v = this.values[id] = this.make(id);
    return v ?? null;
  }

  /** Sorts by start when the input was not sorted (the bundled files are). */
  static build(
    s4: Uint32Array,
    e4: Uint32Array,
    v4: Uint32Array,
    b6: Uint32Array,
    v6: Uint32Array,
    values: AsnValue[],
  ): AsnTable {
    let sorted4 = true;
    for (let i = 1; i < s4.length && sorted4; i++) sorted4 = s4[i - 1]! <= s4[i]!;
    if (!sorted4) {
      const order = Array.from(s4.keys()).sort((a, b) => s4[a]! - s4[b]!);
      s4 = Uint32Array.from(order, (i) => s4[i]!);
      e4 = Uint32Array.from(order, (i) => e4[i]!);
      v4 = Uint32Array.from(order, (i) => v4[i]!);
    }
    const n6 = v6.length;
    let sorted6 = true;
    for (let i = 1; i < n6 && sorted6; i++) sorted6 = compareWords(b6, 8 * (i - 1), b6, 8 * i) <= 0;
    if (!sorted6) {
      const order = Array.from(v6.keys()).sort((a, b) => compareWords(b6, 8 * a, b6, 8 * b));
      const nb = new Uint32Array(b6.length);
      order.forEach((i, k) => nb.set(b6.subarray(8 * i, 8 * i + 8), 8 * k));
      b6 = nb;
      v6 = Uint32Array.from(order, (i) => v6[i]!);
    }
    return new AsnTable(s4, e4, v4, b6, v6, values);
  }

  /**
   * The table as bytes (data/asn/, built by scripts/build-asn-data.ts): a JSON header, then the arrays as they
   * are in memory and the organisations as one UTF-8 text, so loading it is a copy, not a parse.
   */
  toBinary(header: Record<string, unknown>): Uint8Array {
    const all = Array.from(this.values, (_, id) => this.value(id));
    const orgs = all.map((v) => v?.as_org ?? '');
    const orgEnd = new Uint32Array(orgs.length);
    let end = 0;
    orgs.forEach((o, i) => (orgEnd[i] = end += o.length));
    // IPv4 bounds as the gap from the previous start and the range's length: small numbers, which gzip well
    const s4 = this.s4;
    const gaps = s4.map((v, i) => (i === 0 ? v : v - s4[i - 1]!));
    const lengths = this.e4.map((v, i) => v - s4[i]!);
    const arrays = [
      gaps,
      lengths,
      this.val4,
      this.b6,
      this.val6,
      Uint32Array.from(all, (v) => v?.asn ?? 0),
      orgEnd,
    ];
    const head = new TextEncoder().encode(
      JSON.stringify({
        ...header,
        format: BINARY_FORMAT,
        n4: this.s4.length,
        n6: this.val6.length,
        values: orgs.length,
      }),
    );
    const headLen = (head.length + 3) & ~3;
    const text = new TextEncoder().encode(orgs.join(''));
    const words = arrays.reduce((n, a) => n + a.length, 0);
    const out = new Uint8Array(4 + headLen + 4 * words + text.length);
    new DataView(out.buffer).setUint32(0, head.length, true);
    out.set(head, 4);
    let at = 4 + headLen;
    for (const a of arrays) {
      out.set(new Uint8Array(toLittleEndian(a).buffer, 0, 4 * a.length), at);
      at += 4 * a.length;
    }
    out.set(text, at);
    return out;
  }

  /**
   * A table from toBinary's bytes and its header, or null when the bytes are not that format. The table reads
   * its columns from `bytes` where it can (no copy): the caller hands them over and does not change them after.
   */
  static fromBinary(bytes: Uint8Array): { table: AsnTable; header: Record<string, unknown> } | null {
    if (bytes.length < 4) return null;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headLen = view.getUint32(0, true);
    if (4 + headLen > bytes.length) return null;
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(utf8.decode(bytes.subarray(4, 4 + headLen))) as Record<string, unknown>;
    } catch {
      return null;
    }
    const { n4, n6, values: nv } = header;
    if (header['format'] !== BINARY_FORMAT || !isCount(n4) || !isCount(n6) || !isCount(nv)) return null;
    let at = 4 + ((headLen + 3) & ~3);
    const sizes = [n4, n4, n4, 8 * n6, n6, nv, nv];
    if (at + 4 * sizes.reduce((a, b) => a + b, 0) > bytes.length) return null;
    const [gaps, lengths, val4, b6, val6, asns, orgEnd] = sizes.map((n) => {
      const a = wordsAt(bytes, at, n);
      at += 4 * n;
      return a;
    }) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
    // the IPv4 bounds from their gaps and lengths, into arrays of their own (the bytes are left as they are)
    const s4 = new Uint32Array(n4);
    const e4 = new Uint32Array(n4);
    let start = 0;
    for (let i = 0; i < n4; i++) {
      start = i === 0 ? gaps[0]! : (start + gaps[i]!) >>> 0;
      s4[i] = start;
      e4[i] = start + lengths[i]!;
    }
    const text = utf8.decode(bytes.subarray(at));
    let last = 0;
    for (let i = 0; i < nv; i++) {
      if (orgEnd[i]! < last || orgEnd[i]! > text.length) return null;
      last = orgEnd[i]!;
    }
    for (const v of [val4, val6]) for (let i = 0; i < v.length; i++) if (v[i]! >= nv) return null;
    // a capture asks for a few thousand of the ~90 k organisations: each made on its first look-up
    const make = (id: number): AsnValue => ({
      asn: asns[id]!,
      as_org: text.slice(id === 0 ? 0 : orgEnd[id - 1]!, orgEnd[id]!) || null,
    });
    return { table: new AsnTable(s4, e4, val4, b6, val6, new Array<AsnValue | undefined>(nv), make), header };
  }

  get size(): number {
    return this.s4.length + this.val6.length;
  }

  get(ip: ParsedIp): AsnValue | null {
    if (ip.v === 4) {
      const s = this.s4;
      let lo = 0;
      let hi = s.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (s[mid]! <= ip.n) lo = mid + 1;
        else hi = mid;
      }
      const i = lo - 1;
      if (i < 0 || this.e4[i]! < ip.n) return null;
      return this.value(this.val4[i]!);
    }
    const q = this.q;
    const b = ip.bytes;
    for (let k = 0; k < 4; k++)
      q[k] = ((b[4 * k]! << 24) | (b[4 * k + 1]! << 16) | (b[4 * k + 2]! << 8) | b[4 * k + 3]!) >>> 0;
    const b6 = this.b6;
    let lo = 0;
    let hi = this.val6.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWords(b6, 8 * mid, q, 0) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    if (i < 0 || compareWords(b6, 8 * i + 4, q, 0) < 0) return null;
    return this.value(this.val6[i]!);
  }
}
