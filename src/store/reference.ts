/**
 * Plain-JavaScript answers to the store's queries over in-memory rows: what conformance.ts holds every
 * adapter to. Written for clarity, not speed.
 */
import type { CheckedFilter } from '../shared/filter/ast.js';
import { filterPredicate } from '../shared/filter/predicate.js';
import { TABLES, rowColumns, type TableName } from '../shared/filter/tables.js';
import { isoToNs, nsToIso } from '../shared/filter/time-bound.js';
import type { FlowRow } from '../shared/rows.js';
import { encodeColumn } from './codec.js';
import type { Conversation, GraphEdge, HistogramBucket, SortKey, Talker } from './store.js';

type Row = Record<string, unknown>;

export function inWindow(table: TableName, r: Row, from?: string, to?: string): boolean {
  const span = TABLES[table].timeSpan;
  if (!span) return true;
  const start = isoToNs(String(r[span[0]]));
  const end = isoToNs(String(r[span[1]]));
  if (from !== undefined && (end === null || end < isoToNs(from)!)) return false;
  if (to !== undefined && (start === null || start > isoToNs(to)!)) return false;
  return true;
}

export function select(table: TableName, rows: Row[], f?: CheckedFilter, from?: string, to?: string): Row[] {
  const p = f ? filterPredicate(f) : () => true;
  return rows.filter((r) => p(r) && inWindow(table, r, from, to));
}

/** The values a column sorts by: an address's key, then its text; anything else, itself. */
function sortValues(table: TableName, column: string, r: Row): unknown[] {
  const cols = TABLES[table].columns;
  const key = cols.find((c) => c.name === `${column}_key`);
  const c = cols.find((x) => x.name === column)!;
  return key ? [encodeColumn(key, r), encodeColumn(c, r)] : [encodeColumn(c, r)];
}

function cmp(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return (a as number) < (b as number) ? -1 : 1;
}

export function sortRows(
  table: TableName,
  rows: Row[],
  sort: SortKey[] = [],
  keyOf?: (r: Row) => number,
): Row[] {
  const keys = [...sort, ...TABLES[table].key.map((column) => ({ column, desc: false }))];
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      for (const k of keys) {
        const as = k.column === 'seq' ? [keyOf?.(x.r) ?? x.i] : sortValues(table, k.column, x.r);
        const bs = k.column === 'seq' ? [keyOf?.(y.r) ?? y.i] : sortValues(table, k.column, y.r);
        for (let j = 0; j < as.length; j++) {
          const a = as[j];
          const b = bs[j];
          // nulls last either way, as the SQL says NULLS LAST
          if (a === null || b === null) {
            if (a !== b) return a === null ? 1 : -1;
            continue;
          }
          const c = cmp(a, b);
          if (c) return k.desc ? -c : c;
        }
      }
      return 0;
    })
    .map((x) => x.r);
}

/** A row as the store gives it back: exactly the table's row columns, text without U+0000. */
export function stored(table: TableName, r: Row): Row {
  const out: Row = {};
  for (const c of rowColumns(table)) {
    const v = r[c.name] ?? null;
    out[c.name] =
      typeof v === 'string'
        ? v.replaceAll('\0', '\uFFFD')
        : Array.isArray(v)
          ? v.map((x) => (typeof x === 'string' ? x.replaceAll('\0', '\uFFFD') : x))
          : v;
  }
  return out;
}

export function talkers(
  flows: FlowRow[],
  by: 'bytes' | 'packets' | 'peers',
  direction: 'sent' | 'recv' | 'both',
  n: number,
  key: (ip: string) => string | null,
): Talker[] {
  const m = new Map<string, Talker & { peerSet: Set<string> }>();
  const add = (ip: string, peer: string, ps: number, bs: number, pr: number, br: number) => {
    let t = m.get(ip);
    if (!t) {
      t = {
        ip,
        packets_sent: 0,
        bytes_sent: 0,
        packets_recv: 0,
        bytes_recv: 0,
        peers: 0,
        flows: 0,
        peerSet: new Set(),
      };
      m.set(ip, t);
    }
    t.packets_sent += ps;
    t.bytes_sent += bs;
    t.packets_recv += pr;
    t.bytes_recv += br;
    t.flows++;
    t.peerSet.add(peer);
  };
  for (const f of flows) {
    add(f.src_ip, f.dst_ip, f.packets_fwd, f.bytes_fwd, f.packets_rev, f.bytes_rev);
    add(f.dst_ip, f.src_ip, f.packets_rev, f.bytes_rev, f.packets_fwd, f.bytes_fwd);
  }
  const list = [...m.values()].map(({ peerSet, ...t }) => ({ ...t, peers: peerSet.size }));
  const metric = (t: Talker) =>
    by === 'peers'
      ? t.peers
      : direction === 'sent'
        ? t[`${by}_sent`]
        : direction === 'recv'
          ? t[`${by}_recv`]
          : t[`${by}_sent`] + t[`${by}_recv`];
  list.sort((a, b) => metric(b) - metric(a) || cmp(key(a.ip), key(b.ip)) || cmp(a.ip, b.ip));
  return list.slice(0, n);
}

export function histogram(
  packets: Row[],
  flowsById: Map<number, FlowRow>,
  bucketSec: number,
  flowFilter: CheckedFilter | undefined,
  groupBy: 'proto' | 'app' | undefined,
  from?: string,
  to?: string,
): HistogramBucket[] {
  const w = BigInt(Math.round(bucketSec * 1e9));
  const p = flowFilter ? filterPredicate(flowFilter) : () => true;
  const m = new Map<string, HistogramBucket & { b: bigint }>();
  for (const pk of select('packets', packets, undefined, from, to)) {
    const f = flowsById.get(pk.flow_id as number);
    if (!p((f ?? {}) as unknown as Row)) continue;
    const b = isoToNs(String(pk.ts))! / w;
    const g = groupBy ? ((f?.[groupBy] as string | null | undefined) ?? null) : null;
    const k = `${b}|${g}`;
    let e = m.get(k);
    if (!e) {
      e = {
        b,
        ts: nsToIso(b * w),
        group: g === null ? null : g.replaceAll('\0', '\uFFFD'),
        packets: 0,
        bytes: 0,
      };
      m.set(k, e);
    }
    e.packets++;
    e.bytes += pk.len as number;
  }
  return [...m.values()]
    .sort(
      (x, y) =>
        cmp(x.b, y.b) ||
        (x.group === y.group ? 0 : x.group === null ? -1 : y.group === null ? 1 : cmp(x.group, y.group)),
    )
    .map(({ b: _b, ...e }) => e);
}

export function graph(flows: FlowRow[], layer: 2 | 3 | 4, limit: number): GraphEdge[] {
  const m = new Map<string, GraphEdge>();
  for (const f of flows) {
    const [src, dst] = layer === 2 ? [f.src_mac, f.dst_mac] : [f.src_ip, f.dst_ip];
    if (src === null || dst === null) continue;
    const proto = layer === 4 ? f.proto : null;
    const port = layer === 4 ? f.dst_port : null;
    const k = JSON.stringify([src, dst, proto, port]);
    let e = m.get(k);
    if (!e) {
      e = { src, dst, proto, port, flows: 0, packets: 0, bytes: 0, first_ts: f.first_ts, last_ts: f.last_ts };
      m.set(k, e);
    }
    e.flows++;
    e.packets += f.packets_fwd + f.packets_rev;
    e.bytes += f.bytes_fwd + f.bytes_rev;
    if (f.first_ts < e.first_ts) e.first_ts = f.first_ts;
    if (f.last_ts > e.last_ts) e.last_ts = f.last_ts;
  }
  return [...m.values()]
    .sort(
      (a, b) =>
        b.bytes - a.bytes ||
        cmp(a.src, b.src) ||
        cmp(a.dst, b.dst) ||
        cmp(a.proto, b.proto) ||
        (a.port === b.port ? 0 : a.port === null ? -1 : b.port === null ? 1 : a.port - b.port),
    )
    .slice(0, limit);
}

export function conversations(
  flows: FlowRow[],
  layer: 2 | 3,
  key: (ip: string) => string | null,
): Conversation[] {
  const m = new Map<string, Conversation & { ak: string }>();
  for (const f of flows) {
    const [s, t] = layer === 2 ? [f.src_mac, f.dst_mac] : [f.src_ip, f.dst_ip];
    if (s === null || t === null) continue;
    const sk = layer === 2 ? s : (key(s) ?? s);
    const tk = layer === 2 ? t : (key(t) ?? t);
    const keep = sk <= tk;
    const [a, b, ak] = keep ? [s, t, sk] : [t, s, tk];
    const k = `${a}|${b}`;
    let c = m.get(k);
    if (!c) {
      c = {
        a,
        b,
        ak,
        packets_ab: 0,
        bytes_ab: 0,
        packets_ba: 0,
        bytes_ba: 0,
        flows: 0,
        first_ts: f.first_ts,
        last_ts: f.last_ts,
        duration: 0,
      };
      m.set(k, c);
    }
    c.packets_ab += keep ? f.packets_fwd : f.packets_rev;
    c.bytes_ab += keep ? f.bytes_fwd : f.bytes_rev;
    c.packets_ba += keep ? f.packets_rev : f.packets_fwd;
    c.bytes_ba += keep ? f.bytes_rev : f.bytes_fwd;
    c.flows++;
    if (f.first_ts < c.first_ts) c.first_ts = f.first_ts;
    if (f.last_ts > c.last_ts) c.last_ts = f.last_ts;
  }
  return [...m.values()]
    .map((c) => ({ ...c, duration: Number(isoToNs(c.last_ts)! - isoToNs(c.first_ts)!) / 1e9 }))
    .sort(
      (x, y) =>
        y.bytes_ab + y.bytes_ba - (x.bytes_ab + x.bytes_ba) ||
        cmp(x.ak, y.ak) ||
        cmp(x.a, y.a) ||
        cmp(x.b, y.b),
    )
    .map(({ ak: _ak, ...c }) => c);
}
